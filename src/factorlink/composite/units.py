"""Which units a pipeline accepts: any, a list of codes, or the corridor's cities by any name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from factorlink.errors import InvalidInput
from factorlink.reference import city_name, get_region


@dataclass(frozen=True)
class Units:
    """Resolves what a data file calls a unit to its code, and names it."""

    kind: str  # "any", "list" or "corridor"
    codes: tuple[str, ...] = ()

    def resolve(self, text: str) -> str | None:
        """The unit's code, or None when the pipeline does not know the unit."""
        if self.kind == "corridor":
            match = get_region().resolve(text)
            return match.city.code if match and match.district is None else None
        if self.kind == "list":
            return text if text in self.codes else None
        return text or None

    def name(self, code: str) -> str | None:
        """A display name for a unit code, where one is known."""
        return city_name(code) if self.kind == "corridor" else None


def units_for(config: Any) -> Units:
    """`units:` of a pipeline file: absent (any), `corridor`, or a list of codes."""
    if config is None:
        return Units("any")
    if config == "corridor":
        return Units("corridor")
    if isinstance(config, Sequence) and not isinstance(config, str) and config:
        return Units("list", tuple(str(c) for c in config))
    raise InvalidInput(
        "units 应为 corridor 或单位代码列表",
        message_en="units must be 'corridor' or a list of unit codes",
        errors=[
            {"field": "units", "reason": "应为 corridor 或列表", "reason_en": "corridor or a list"}
        ],
    )
