"""Aggregation up the framework: each aggregate is a weighted mean of its children.

Missing children are left out and the remaining weights re-scaled (COINr's a_amean); an
aggregate with no child value is missing. Geometric and harmonic means need positive values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from factorlink.composite.steps.weights import pca_weights

Array = NDArray[np.float64]

METHODS = ("arithmetic", "geometric", "harmonic")


@dataclass(frozen=True)
class Tree:
    """The framework as index arrays: indicators are nodes 0..m-1, aggregates follow.

    `children[k]` lists the node positions under aggregate k; aggregates come children first.
    """

    n_indicators: int
    children: tuple[NDArray[np.int64], ...]

    @property
    def n_nodes(self) -> int:
        return self.n_indicators + len(self.children)


def weighted_mean(x: Array, w: Array, method: str) -> Array:
    """Weighted mean along the last axis, ignoring NaN and re-scaling the weights present."""
    present = ~np.isnan(x)
    total = present @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "arithmetic":
            out = np.where(present, x, 0.0) @ w / total
        elif method == "geometric":
            out = np.exp(np.where(present, np.log(np.where(present, x, 1.0)), 0.0) @ w / total)
        elif method == "harmonic":
            out = total / (np.where(present, 1.0 / np.where(present, x, 1.0), 0.0) @ w)
        else:
            raise ValueError(method)
    return np.where(total > 0, out, np.nan)


def aggregate(
    normalised: Array, tree: Tree, weights: Array, method: str, *, pca: bool = False
) -> tuple[Array, Array]:
    """Scores of every aggregate, (years, units, aggregates), and the weights used per node."""
    years, units, m = normalised.shape
    nodes = np.full((years, units, tree.n_nodes), np.nan)
    nodes[:, :, :m] = normalised
    used = weights.astype(np.float64).copy()
    for k, kids in enumerate(tree.children):
        x = nodes[:, :, kids]
        if pca:
            used[kids] = pca_weights(x.reshape(-1, len(kids)))
        nodes[:, :, m + k] = weighted_mean(x, used[kids], method)
    return nodes[:, :, m:], used
