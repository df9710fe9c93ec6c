"""Growth against a base year: cumulative percent change and compound annual growth rate."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def cumulative_percent(scores: Array, base: int) -> Array:
    """(s_t / s_base − 1) × 100 along the first (years) axis; NaN where the base is not positive."""
    ref = scores[base]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (scores / ref - 1.0) * 100.0
    return np.where(ref > 0, out, np.nan)


def cagr_percent(scores: Array, years: NDArray[np.int64], base: int) -> Array:
    """((s_t / s_base)^(1 / (year_t − year_base)) − 1) × 100; NaN at and before the base year."""
    ref = scores[base]
    span = (years - years[base]).astype(np.float64)
    shape = (-1,) + (1,) * (scores.ndim - 1)
    span = span.reshape(shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = scores / ref
        out = (np.power(ratio, 1.0 / np.where(span > 0, span, np.nan)) - 1.0) * 100.0
    return np.where((ref > 0) & (span > 0) & (ratio >= 0), out, np.nan)
