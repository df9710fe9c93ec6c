"""The base of every request body: control characters are dropped from all text."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, model_validator

from factorlink.validation.parsers import drop_controls


def strip_controls(value: Any) -> Any:
    """Drops control characters from every string inside a JSON-like value."""
    if isinstance(value, str):
        return drop_controls(value)
    if isinstance(value, list):
        return [strip_controls(v) for v in value]
    if isinstance(value, dict):
        return {k: strip_controls(v) for k, v in value.items()}
    return value


class InputModel(BaseModel):
    """A request body; its text arrives without control characters."""

    @model_validator(mode="before")
    @classmethod
    def _strip_controls(cls, data: Any) -> Any:
        return strip_controls(data)
