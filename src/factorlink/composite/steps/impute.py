"""Imputation of missing values: per indicator and year, over the units still in the index."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from factorlink.composite.steps.moments import column_stat

Array = NDArray[np.float64]

METHODS = ("none", "mean", "median", "group_mean", "group_median", "previous_year")


def _fill(values: Array, estimate: Array) -> Array:
    return np.where(np.isnan(values), estimate, values)


def _by_group(values: Array, groups: NDArray[np.int64], stat: str) -> Array:
    """Each unit's estimate is the statistic over the units of its group (same year)."""
    estimate = np.full(values.shape, np.nan)
    for g in np.unique(groups[groups >= 0]):
        members = groups == g
        estimate[:, members, :] = column_stat(stat, values[:, members, :], axis=1)[:, None, :]
    return estimate


def _carry_forward(values: Array) -> Array:
    """A unit's last known value of an indicator stands in for the following missing years."""
    out = values.copy()
    for t in range(1, out.shape[0]):
        out[t] = _fill(out[t], out[t - 1])
    return out


def impute(
    values: Array,
    method: str,
    active: NDArray[np.bool_],
    groups: NDArray[np.int64] | None = None,
) -> Array:
    """Fills NaN of a (years, units, indicators) array; screened-out units stay as they are."""
    if method == "none":
        return values
    if method == "previous_year":
        return _carry_forward(values)
    masked = np.where(active[:, :, None], values, np.nan)
    if method in ("mean", "median"):
        estimate = column_stat(method, masked, axis=1)[:, None, :]
    else:
        if groups is None:
            raise ValueError("group imputation needs groups")
        estimate = _by_group(masked, groups, method.removeprefix("group_"))
    return np.where(active[:, :, None], _fill(values, estimate), values)
