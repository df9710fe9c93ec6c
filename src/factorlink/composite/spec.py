"""What a pipeline file asks for, once parsed: the steps and their options (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from factorlink.composite.steps import normalise as norm

PRE_STEPS = ("denominate", "impute", "screen", "treat")


@dataclass(frozen=True)
class ImputeSpec:
    """An imputation method and, for group methods, the group column."""

    method: str = "none"
    group: str | None = None


@dataclass(frozen=True)
class NormaliseChoice:
    """A normalisation as written: the reference unit is still a code here."""

    spec: norm.NormaliseSpec
    reference_unit: str | None = None
    reference_year: int | None = None


@dataclass(frozen=True)
class AggregateSpec:
    """How to aggregate and weight."""

    method: str = "arithmetic"
    weights: str = "file"


@dataclass(frozen=True)
class SensitivityConfig:
    """The Monte Carlo: runs, noise, seed, year, and the alternatives of each varied step."""

    runs: int = 1000
    noise: float = 0.25
    seed: int = 1
    year: int | None = None
    impute: tuple[ImputeSpec, ...] = ()
    normalise: tuple[NormaliseChoice, ...] = ()
    aggregate: tuple[str, ...] = ()


@dataclass(frozen=True)
class PipelineSpec:
    """Everything the run needs besides the framework and the data."""

    pre: tuple[tuple[str, Any], ...] = ()
    normalise: NormaliseChoice = field(
        default_factory=lambda: NormaliseChoice(norm.NormaliseSpec())
    )
    aggregate: AggregateSpec = field(default_factory=AggregateSpec)
    growth_base: int | None = None
    sensitivity: SensitivityConfig | None = None
