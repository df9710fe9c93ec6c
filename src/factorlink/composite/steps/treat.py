"""Outlier treatment: winsorise while skewness and kurtosis are both too high, else log.

An indicator fails when |skewness| ≥ skew_max AND kurtosis ≥ kurt_max (COINr's rule). A failing
indicator has its most extreme value (on the side of its skew) set to the next one, one step at
a time, until it passes or `winmax` points are winsorised; if it still fails, the ORIGINAL values
are log-transformed instead: log(x − min + 0.01·(max − min)). Columns are treated together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from factorlink.composite.steps.moments import column_stat, kurtosis, skewness

Array = NDArray[np.float64]


@dataclass(frozen=True)
class TreatSpec:
    """How to treat outliers."""

    winmax: int = 5
    skew_max: float = 2.0
    kurt_max: float = 3.5
    fallback: str = "log"  # or "none"


@dataclass(frozen=True)
class Treatment:
    """What happened to each column of one slice (a year)."""

    skew: Array
    kurt: Array
    winsorised: NDArray[np.int64]
    logged: NDArray[np.bool_]
    passes: NDArray[np.bool_]
    points: NDArray[np.int8]  # per value: 1 winsorised high, -1 low, 0 untouched


def failing(x: Array, spec: TreatSpec) -> NDArray[np.bool_]:
    """Columns whose |skewness| and kurtosis both reach the thresholds (NaN moments pass)."""
    with np.errstate(invalid="ignore"):
        fails = (np.abs(skewness(x)) >= spec.skew_max) & (kurtosis(x) >= spec.kurt_max)
    out: NDArray[np.bool_] = np.asarray(fails, dtype=bool)
    return out


def _replace_extreme(col: Array, high: bool) -> NDArray[np.bool_]:
    """Sets the extreme value(s) of a column to the next one in; returns where it changed."""
    extreme = np.nanmax(col) if high else np.nanmin(col)
    at: NDArray[np.bool_] = np.asarray(col == extreme, dtype=bool)
    rest = col[~at & ~np.isnan(col)]
    if rest.size:
        col[at] = rest.max() if high else rest.min()
    return at


def winsorise(x: Array, spec: TreatSpec) -> tuple[Array, NDArray[np.int64], NDArray[np.int8]]:
    """Winsorises each failing column of a (units, indicators) slice up to winmax points."""
    x = x.copy()
    m = x.shape[1]
    high_at = np.zeros(x.shape, dtype=bool)
    low_at = np.zeros(x.shape, dtype=bool)
    count = np.zeros(m, dtype=np.int64)
    todo = failing(x, spec) & (count < spec.winmax)
    while todo.any():
        cols = np.flatnonzero(todo)
        skew = skewness(x[:, cols])
        for col, s in zip(cols, skew, strict=True):
            high = bool(s >= 0)
            at = _replace_extreme(x[:, col], high)
            # Ties are winsorised together; a point already moved is tied with the next one.
            (high_at if high else low_at)[:, col] = at
            count[col] = high_at[:, col].sum() + low_at[:, col].sum()
        todo = failing(x, spec) & (count < spec.winmax)
    points = np.where(high_at, 1, np.where(low_at, -1, 0)).astype(np.int8)
    return x, count, points


def log_transform(x: Array) -> Array:
    """log(x − min + 0.01·(max − min)) per column: positive, order-preserving."""
    lo, hi = column_stat("min", x), column_stat("max", x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.log(x - lo + 0.01 * (hi - lo))


def treat_slice(x: Array, spec: TreatSpec) -> tuple[Array, Treatment]:
    """Treats one (units, indicators) slice; returns the treated values and what was done."""
    skew, kurt = skewness(x), kurtosis(x)
    won, count, points = winsorise(x, spec)
    still = failing(won, spec)
    logged = still & (spec.fallback == "log")
    out = np.where(logged, log_transform(x), won)
    points[:, logged] = 0
    count = np.where(logged, 0, count)
    passes = ~failing(out, spec)
    return out, Treatment(skew, kurt, count, logged, passes, points)


def treat(values: Array, spec: TreatSpec) -> tuple[Array, list[Treatment]]:
    """Treats each year of a (years, units, indicators) array separately."""
    out = np.empty_like(values)
    logs = []
    for t in range(values.shape[0]):
        out[t], log = treat_slice(values[t], spec)
        logs.append(log)
    return out, logs
