"""Chinese patent numbers (专利号 / 申请号) and their check digit (pure).

Since 1 October 2003 an application number has 12 digits — the year (4), the kind of right (1:
1 invention, 2 utility model, 3 design, 8 an invention entering China under the PCT, 9 a utility
model under the PCT) and a serial number (7) — then a dot and a check character; before, 8
digits (a two-digit year, the kind, five serial digits) and the check. A granted patent keeps
the number with "ZL" in front (ZL202310123456.6), an application is often written with "CN".

The check character: the digits times the weights 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5 (from the
left, cycling from 2 to 9), summed, modulo 11; a remainder of 10 is written X.
"""

from __future__ import annotations

import re

KINDS = {"1": "发明", "2": "实用新型", "3": "外观设计", "8": "发明(PCT)", "9": "实用新型(PCT)"}
_SHAPE = re.compile(r"^(?:ZL|CN)?(\d{8}|\d{12})\.?([0-9X])?$")


def check_char(digits: str) -> str:
    """The check character of an 8- or 12-digit application number."""
    total = sum(int(d) * (2 + i % 8) for i, d in enumerate(digits))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def split(text: str) -> tuple[str, str | None] | None:
    """The digits and the written check character of a number shaped like a patent number
    (spaces and the ZL/CN prefix dropped), or None when it is not so shaped."""
    cleaned = re.sub(r"[\s\u3000]", "", text).upper()
    match = _SHAPE.match(cleaned)
    if match is None:
        return None
    return match.group(1), match.group(2)


def canonical(digits: str, check: str) -> str:
    """The number as written on a certificate: ZL, the digits, a dot and the check."""
    return f"ZL{digits}.{check}"
