"""Masks for personal data, as every viewer without the right to it sees it (pure)."""

from __future__ import annotations

# The fields that hold personal data: masked for most viewers, never echoed in errors or logs.
PERSONAL_FIELDS = frozenset({"contact_name", "contact_mobile"})


def mask_name(name: str | None) -> str | None:
    """张三 -> 张**: the family name stays, the rest (and its length) is hidden."""
    if not name or not name.strip():
        return name
    return name.strip()[0] + "**"


def mask_mobile(mobile: str | None) -> str | None:
    """13812341234 -> 138****1234."""
    if not mobile:
        return mobile
    digits = mobile.strip()
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "****" + digits[-4:]
