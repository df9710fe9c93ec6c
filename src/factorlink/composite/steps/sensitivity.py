"""Uncertainty analysis: Monte Carlo over weights and method choices → rank intervals.

Each run draws every node's weight from w·U(1 − noise, 1 + noise) and one alternative of each
varied step; the units are ranked on the index. Data prepared for a choice of imputation and
normalisation is computed once and reused, so a run costs one aggregation and one ranking.
The generator is seeded: the same seed gives the same intervals.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from factorlink.composite.steps.aggregate import Tree, aggregate
from factorlink.composite.steps.rank import ranks

Array = NDArray[np.float64]
Prepare = Callable[[int, int], Array]  # (imputation choice, normalisation choice) → normalised


@dataclass(frozen=True)
class SensitivitySpec:
    """How many runs, the weight noise and the seed."""

    runs: int = 1000
    noise: float = 0.25
    seed: int = 1
    n_impute: int = 1
    n_normalise: int = 1
    aggregators: tuple[str, ...] = ("arithmetic",)


@dataclass(frozen=True)
class Uncertainty:
    """Per unit: the nominal rank, the median rank and the 5th–95th percentile ranks."""

    nominal: Array
    median: Array
    low: Array
    high: Array
    runs: int


def simulate(
    prepare: Prepare,
    tree: Tree,
    weights: Array,
    spec: SensitivitySpec,
    year: int,
    nominal: Array,
) -> Uncertainty:
    """Runs the Monte Carlo on one year (an index position) and summarises the index ranks."""
    rng = np.random.default_rng(spec.seed)
    cache: dict[tuple[int, int], Array] = {}
    runs = np.empty((spec.runs, nominal.shape[0]))
    for r in range(spec.runs):
        choice = (int(rng.integers(spec.n_impute)), int(rng.integers(spec.n_normalise)))
        method = spec.aggregators[int(rng.integers(len(spec.aggregators)))]
        noisy = weights * rng.uniform(1 - spec.noise, 1 + spec.noise, size=weights.shape)
        if choice not in cache:
            cache[choice] = prepare(*choice)[year : year + 1]
        scores, _ = aggregate(cache[choice], tree, noisy, method)
        runs[r] = ranks(scores[0, :, -1:], descending=True, ties="min")[:, 0]
    return _summary(runs, nominal)


def _summary(runs: Array, nominal: Array) -> Uncertainty:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # units never ranked stay NaN
        q = np.nanpercentile(runs, [50, 5, 95], axis=0)
    return Uncertainty(nominal, q[0], q[1], q[2], runs.shape[0])


def choices(options: Sequence[object]) -> int:
    """How many alternatives a step has (at least the nominal one)."""
    return max(1, len(options))
