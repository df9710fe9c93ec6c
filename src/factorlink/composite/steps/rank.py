"""Ranks along the units axis, NaN left unranked."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def _rank_column(col: Array, ties: str) -> Array:
    out = np.full(col.shape, np.nan)
    ok = ~np.isnan(col)
    values = col[ok]
    ordered = np.sort(values)
    below = np.searchsorted(ordered, values, side="left").astype(np.float64)
    if ties == "min":
        out[ok] = below + 1
    else:
        upto = np.searchsorted(ordered, values, side="right").astype(np.float64)
        out[ok] = (below + 1 + upto) / 2
    return out


def ranks(x: Array, *, descending: bool = False, ties: str = "average") -> Array:
    """Ranks of each column of a (..., units, columns) array along the units axis.

    Ascending ranks 1..n with tied values sharing their average rank (R's default) or the
    lowest ("min", sport ranking); `descending` makes the highest value rank 1.
    """
    x = np.asarray(x, dtype=np.float64)
    source = -x if descending else x
    flat = np.moveaxis(source, -2, -1).reshape(-1, x.shape[-2])
    out = np.stack([_rank_column(row, ties) for row in flat]) if flat.size else flat.copy()
    shape = (*x.shape[:-2], x.shape[-1], x.shape[-2])
    return np.moveaxis(out.reshape(shape), -1, -2)
