"""Normalisation: indicators in different units brought onto one scale, best is high.

Every method works per indicator over the units of one year, or over all years together
(`across_years`), which keeps scores of different years comparable for growth. Direction −1
indicators are turned round so that a higher normalised value is always better.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from factorlink.composite.steps.moments import column_stat
from factorlink.composite.steps.rank import ranks

Array = NDArray[np.float64]

METHODS = (
    "minmax",
    "zscore",
    "rank",
    "distance_to_max",
    "distance_to_target",
    "distance_to_reference",
    "goalposts",
)


@dataclass(frozen=True)
class NormaliseSpec:
    """A normalisation method and its parameters."""

    method: str = "minmax"
    low: float = 0.0  # minmax range
    high: float = 100.0
    mean: float = 0.0  # zscore
    sd: float = 1.0
    cap: bool = True  # distance_to_target: values beyond the target score 100
    reference_unit: int | None = None  # distance_to_reference: a unit's value ...
    reference_year: int | None = None  # ... or the units' mean in a year (an index position)
    across_years: bool = False


@dataclass(frozen=True)
class IndicatorParams:
    """What normalisation needs to know about each indicator."""

    direction: Array  # +1 or −1
    target: Array  # NaN where none
    goal_low: Array
    goal_high: Array


def _minmax(x: Array, spec: NormaliseSpec) -> Array:
    lo, hi = column_stat("min", x, axis=-2), column_stat("max", x, axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = (x - lo[..., None, :]) / (hi - lo)[..., None, :]
    return spec.low + (spec.high - spec.low) * scaled


def _zscore(x: Array, spec: NormaliseSpec) -> Array:
    mean, sd = column_stat("mean", x, axis=-2), column_stat("std", x, axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return spec.mean + spec.sd * (x - mean[..., None, :]) / sd[..., None, :]


def _ratio(x: Array, ref: Array, d: Array) -> Array:
    """100·x/ref for positive indicators, 100·ref/x for negative ones."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(d > 0, 100 * x / ref, 100 * ref / x)


def _to_target(x: Array, p: IndicatorParams, spec: NormaliseSpec) -> Array:
    lo, hi = (
        column_stat("min", x, axis=-2)[..., None, :],
        column_stat("max", x, axis=-2)[..., None, :],
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.where(p.direction > 0, (x - lo) / (p.target - lo), (hi - x) / (hi - p.target))
    return 100 * (np.minimum(y, 1.0) if spec.cap else y)


def _goalposts(x: Array, p: IndicatorParams) -> Array:
    with np.errstate(invalid="ignore", divide="ignore"):
        span = p.goal_high - p.goal_low
        y = np.where(p.direction > 0, (x - p.goal_low) / span, (p.goal_high - x) / span)
    return 100 * np.clip(y, 0.0, 1.0)


def _reference(values: Array, spec: NormaliseSpec) -> Array:
    """The reference value of each indicator, shaped to broadcast against values."""
    if spec.reference_unit is not None:
        return values[:, spec.reference_unit : spec.reference_unit + 1, :]
    year = spec.reference_year or 0
    return column_stat("mean", values[year], axis=0)[None, None, :]


def _by_slice(x: Array, spec: NormaliseSpec, p: IndicatorParams) -> Array:
    """Methods whose parameters come from the slice's own units."""
    turned = x * p.direction
    if spec.method == "minmax":
        return _minmax(turned, spec)
    if spec.method == "zscore":
        return _zscore(turned, spec)
    if spec.method == "rank":
        return ranks(turned)
    if spec.method == "distance_to_max":
        best = np.where(
            p.direction > 0, column_stat("max", x, axis=-2), column_stat("min", x, axis=-2)
        )
        return _ratio(x, best[..., None, :], p.direction)
    if spec.method == "distance_to_target":
        return _to_target(x, p, spec)
    if spec.method == "goalposts":
        return _goalposts(x, p)
    raise ValueError(spec.method)


def normalise(values: Array, spec: NormaliseSpec, params: IndicatorParams) -> Array:
    """Normalises a (years, units, indicators) array per year or across all years."""
    if spec.method == "distance_to_reference":
        return _ratio(values, _reference(values, spec), params.direction)
    if not spec.across_years:
        return _by_slice(values, spec, params)
    years, units, m = values.shape
    pooled = values.reshape(1, years * units, m)
    return _by_slice(pooled, spec, params).reshape(years, units, m)
