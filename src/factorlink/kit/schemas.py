"""The base of every request body: control and invisible characters are dropped from all text.

What is dropped (`validation.parsers.drop_controls`): control characters (PostgreSQL refuses
NUL), lone surrogates, and the invisible format characters — bidirectional controls such as
U+202E and zero-width characters such as U+200B and the byte-order mark — so that stored names
and titles read as they look. The same function runs over every cell of an import and every
listing form, so the API, the web pages and imports agree. Secrets (passwords) are left as
typed: they are hashed, never shown, and must match what the web form and the CLI send.
"""

from __future__ import annotations

import typing
from functools import cache
from typing import Any

from pydantic import BaseModel, SecretStr, model_validator

from factorlink.validation.parsers import drop_controls


def strip_controls(value: Any) -> Any:
    """Drops control and invisible characters from every string inside a JSON-like value."""
    if isinstance(value, str):
        return drop_controls(value)
    if isinstance(value, list):
        return [strip_controls(v) for v in value]
    if isinstance(value, dict):
        return {k: strip_controls(v) for k, v in value.items()}
    return value


def _mentions_secret(annotation: Any) -> bool:
    return annotation is SecretStr or any(_mentions_secret(a) for a in typing.get_args(annotation))


@cache
def _secret_keys(model: type[BaseModel]) -> frozenset[str]:
    keys: set[str] = set()
    for name, info in model.model_fields.items():
        if _mentions_secret(info.annotation):
            keys.update(k for k in (name, info.alias) if k)
    return frozenset(keys)


class InputModel(BaseModel):
    """A request body; its text arrives without control or invisible characters (secrets
    excepted)."""

    @model_validator(mode="before")
    @classmethod
    def _strip_controls(cls, data: Any) -> Any:
        if isinstance(data, dict):
            secrets = _secret_keys(cls)
            return {k: v if k in secrets else strip_controls(v) for k, v in data.items()}
        return strip_controls(data)
