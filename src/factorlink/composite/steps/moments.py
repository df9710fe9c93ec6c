"""Skewness and kurtosis as the R package e1071 computes them with type 2 (as Excel does).

Both work column by column on a 2-D array and ignore NaN, so a whole data set is checked in
one call. A column with too few values or no spread has NaN moments.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def _centred(x: Array) -> tuple[Array, Array]:
    n = np.sum(~np.isnan(x), axis=0).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(x, axis=0) / n
    return np.where(np.isnan(x), 0.0, x - mean), n


def skewness(x: Array) -> Array:
    """Sample skewness G1 of each column (e1071 type 2); needs three values."""
    d, n = _centred(np.atleast_2d(x.T).T)
    m2, m3 = np.sum(d**2, axis=0), np.sum(d**3, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        g1 = np.sqrt(n) * m3 / m2**1.5
        out = g1 * np.sqrt(n * (n - 1)) / (n - 2)
    return np.where((n >= 3) & (m2 > 0), out, np.nan)


def kurtosis(x: Array) -> Array:
    """Sample excess kurtosis G2 of each column (e1071 type 2); needs four values."""
    d, n = _centred(np.atleast_2d(x.T).T)
    m2, m4 = np.sum(d**2, axis=0), np.sum(d**4, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = n * m4 / m2**2
        out = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return np.where((n >= 4) & (m2 > 0), out, np.nan)


def column_stat(name: str, x: Array, axis: int = 0) -> Array:
    """nanmin/nanmax/nanmean/nanmedian/nanstd(ddof=1) along an axis; all-NaN gives NaN quietly."""
    funcs: dict[str, Callable[..., Any]] = {
        "min": np.nanmin,
        "max": np.nanmax,
        "mean": np.nanmean,
        "median": np.nanmedian,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if name == "std":
            return np.asarray(np.nanstd(x, axis=axis, ddof=1), dtype=np.float64)
        return np.asarray(funcs[name](x, axis=axis), dtype=np.float64)
