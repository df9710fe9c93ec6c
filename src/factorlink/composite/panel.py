"""A panel of indicator values: years × units × indicators, with denominators and groups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from factorlink.composite.framework import Framework

Array = NDArray[np.float64]


@dataclass
class Observations:
    """Values read from one or more sources, keyed by (unit, year) then code."""

    values: dict[tuple[str, int], dict[str, float]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    groups: dict[str, dict[str, str]] = field(default_factory=dict)  # group → unit → label
    where: dict[tuple[str, int, str], str] = field(default_factory=dict)  # for duplicate errors

    def units(self) -> list[str]:
        """Units in the order first seen."""
        return list(dict.fromkeys(u for u, _ in self.values))

    def years(self) -> list[int]:
        """Years present, ascending."""
        return sorted({y for _, y in self.values})


@dataclass(frozen=True)
class Panel:
    """The data the pipeline works on, in the framework's indicator order."""

    years: tuple[int, ...]
    units: tuple[str, ...]
    names: tuple[str, ...]
    values: Array  # (years, units, indicators)
    denominators: Array  # (years, units, denominators)
    groups: dict[str, tuple[str, ...]]

    def group_codes(self, group: str) -> NDArray[np.int64]:
        """Each unit's group as an integer (−1 where the unit has no label)."""
        labels = self.groups[group]
        known = sorted({g for g in labels if g})
        return np.array([known.index(g) if g else -1 for g in labels], dtype=np.int64)


def _grid(obs: Observations, codes: list[str], units: list[str], years: list[int]) -> Array:
    out = np.full((len(years), len(units), len(codes)), np.nan)
    u_at = {u: i for i, u in enumerate(units)}
    y_at = {y: i for i, y in enumerate(years)}
    c_at = {c: i for i, c in enumerate(codes)}
    for (unit, year), row in obs.values.items():
        for code, value in row.items():
            if code in c_at:
                out[y_at[year], u_at[unit], c_at[code]] = value
    return out


def build_panel(
    obs: Observations, framework: Framework, years: Iterable[int] | None = None
) -> Panel:
    """Arranges observations as arrays; years default to those present in the data."""
    year_list = sorted(years) if years is not None else obs.years()
    units = obs.units()
    return Panel(
        years=tuple(year_list),
        units=tuple(units),
        names=tuple(obs.names.get(u, u) for u in units),
        values=_grid(obs, [i.code for i in framework.indicators], units, year_list),
        denominators=_grid(obs, [d.code for d in framework.denominators], units, year_list),
        groups={g: tuple(m.get(u, "") for u in units) for g, m in obs.groups.items()},
    )
