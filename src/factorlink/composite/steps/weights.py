"""Weights: equal, from the framework file, or from principal components."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

METHODS = ("file", "equal", "pca")


def pca_weights(x: Array) -> Array:
    """Squared loadings of the first principal component of the columns' correlations.

    The Handbook's factor-analysis weights for one factor: they sum to one and give more
    weight to the indicators that carry the common signal. Rows with a gap are left out; with
    too few rows, or one column, the weights are equal.
    """
    n = x.shape[1]
    rows = x[~np.isnan(x).any(axis=1)]
    if n < 2 or rows.shape[0] < 3:
        return np.full(n, 1.0 / n)
    sd = rows.std(axis=0)
    if (sd == 0).any():
        return np.full(n, 1.0 / n)
    corr = np.corrcoef(rows, rowvar=False)
    eigenvalues, vectors = np.linalg.eigh(corr)
    first = vectors[:, int(np.argmax(eigenvalues))]
    return np.asarray(first**2 / np.sum(first**2), dtype=np.float64)
