"""Masks for personal data, as every viewer without the right to it sees it (pure)."""

from __future__ import annotations

import re

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


# A mainland mobile number inside free text: 11 digits starting 13–19, optionally after +86/86
# and with the spaces, dashes or dots people type between its groups (138 1234 5678), but not
# inside a longer run of digits (an id, a credit code, an amount).
_MOBILE_IN_TEXT = re.compile(
    r"(?<![\d.])(?:\+?86[\s\-.]?)?(1[3-9]\d)[\s\-.]?\d{4}[\s\-.]?(\d{4})(?![\d])"
)


def mask_mobiles_in(text: str | None) -> str | None:
    """Masks every mobile number typed inside a free text, as `mask_mobile` masks a contact:
    "请致电13812345678" -> "请致电138****5678"; the rest of the text is left as it is."""
    if not text:
        return text
    return _MOBILE_IN_TEXT.sub(lambda m: f"{m[1]}****{m[2]}", text)
