"""Screening: units with too little data are left out of a year's index."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def availability(values: Array) -> Array:
    """Share of indicators with a value, per year and unit."""
    return np.asarray(np.mean(~np.isnan(values), axis=2), dtype=np.float64)


def screen(values: Array, active: NDArray[np.bool_], min_share: float) -> NDArray[np.bool_]:
    """The units still in each year's index: active and with at least min_share of the data."""
    return active & (availability(values) >= min_share)
