"""Denomination: indicators divided by a size measure (population, GDP, area, …)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def denominate(values: Array, denominators: Array, which: NDArray[np.int64], scale: Array) -> Array:
    """Divides indicator i by denominator which[i] (−1: left as is), times scale[i].

    A missing or zero denominator leaves the value missing rather than infinite.
    """
    out = values.copy()
    for i in np.flatnonzero(which >= 0):
        d = denominators[:, :, which[i]]
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, :, i] = np.where(d != 0, values[:, :, i] / d * scale[i], np.nan)
    return out
