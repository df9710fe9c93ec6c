"""The error a field parser raises."""

from __future__ import annotations


class FieldError(ValueError):
    """A value that breaks a rule, with the reason in Chinese and English."""

    def __init__(self, reason: str, reason_en: str) -> None:
        super().__init__(f"{reason} ({reason_en})")
        self.reason = reason
        self.reason_en = reason_en
