"""Money as the API speaks it (万元) and as the auction keeps it (whole 元)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from factorlink.errors import InvalidInput

YUAN_PER_WAN = 10_000
# 1万亿元, like the deal amounts of introductions: far beyond any lot, and safely finite.
MAX_WAN = 100_000_000


def to_yuan(wan: float, field: str) -> int:
    """Converts 万元 to whole 元; refuses fractions of a 元, negatives and the absurd."""
    try:
        exact = Decimal(str(wan)) * YUAN_PER_WAN
    except InvalidOperation:
        exact = Decimal("NaN")
    if not exact.is_finite() or exact < 0 or exact > MAX_WAN * YUAN_PER_WAN:
        raise _bad(field, f"{field}应为0到{MAX_WAN}之间的金额(万元)", "amount out of range")
    if exact != exact.to_integral_value():
        raise _bad(field, f"{field}最多精确到元(万元的小数点后4位)", "at most 4 decimals of 万元")
    return int(exact)


def to_wan(yuan: int | None) -> float | None:
    """Converts whole 元 to 万元 for display."""
    return None if yuan is None else yuan / YUAN_PER_WAN


def _bad(field: str, reason: str, reason_en: str) -> InvalidInput:
    return InvalidInput(
        reason,
        message_en=f"{field}: {reason_en}",
        errors=[{"field": field, "reason": reason, "reason_en": reason_en}],
    )


def wan_text(yuan: int) -> str:
    """An amount as people write it: 260, 12.5 (万元), never in exponent notation."""
    return f"{yuan / YUAN_PER_WAN:.4f}".rstrip("0").rstrip(".")
