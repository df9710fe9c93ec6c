"""What a pipeline run produces: scores, ranks, growth and rank intervals, per unit and year."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from factorlink.composite.framework import Framework
from factorlink.composite.panel import Panel
from factorlink.composite.steps.sensitivity import Uncertainty
from factorlink.composite.steps.treat import Treatment

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Growth:
    """Growth of every aggregate against the base year, per unit and for all units together."""

    base_year: int
    cumulative: Array  # (years, units, aggregates), percent
    cagr: Array
    overall: Array  # (years, aggregates): mean score over the units in the index
    overall_cumulative: Array
    overall_cagr: Array


@dataclass(frozen=True)
class Result:
    """A computed index."""

    name: str
    framework: Framework
    panel: Panel
    active: NDArray[np.bool_]  # (years, units): in the index after screening
    treated: Array  # (years, units, indicators), before normalisation
    treatments: tuple[Treatment, ...]  # per year, when the pipeline treats outliers
    normalised: Array  # (years, units, indicators)
    scores: Array  # (years, units, aggregates) in framework.aggregates order
    ranks: Array  # 1 = best, ties share the lowest rank
    weights: Array  # per node, as used (after PCA when asked)
    growth: Growth | None = None
    uncertainty: Uncertainty | None = None
    uncertainty_year: int | None = None

    def year_index(self, year: int) -> int:
        """Position of a year; ValueError if the index has no such year."""
        return self.panel.years.index(year)

    def score(self, code: str) -> Array:
        """(years, units) scores of one aggregate."""
        return self.scores[:, :, self.framework.position(code) - len(self.framework.indicators)]

    def rank(self, code: str) -> Array:
        """(years, units) ranks of one aggregate."""
        return self.ranks[:, :, self.framework.position(code) - len(self.framework.indicators)]
