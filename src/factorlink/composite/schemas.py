"""API shapes of the innovation index."""

from __future__ import annotations

from pydantic import BaseModel, Field


class IndicatorOut(BaseModel):
    """One indicator of a framework."""

    code: str
    name: str
    name_en: str
    direction: int = Field(description="1: higher is better; -1: lower is better")
    weight: float
    unit: str
    denominator: str | None
    source: str


class DimensionOut(BaseModel):
    """A dimension (or sub-dimension) and what it aggregates."""

    code: str
    name: str
    name_en: str
    weight: float
    dimensions: list[DimensionOut] = Field(default_factory=list)
    indicators: list[IndicatorOut] = Field(default_factory=list)


class FrameworkOut(BaseModel):
    """An index framework with the years and units its data covers."""

    code: str
    name: str
    name_en: str
    pipeline: str = Field(description="The pipeline's display name")
    sample: bool = Field(description="Whether the figures are sample (fictional) data")
    years: list[int]
    base_year: int | None
    dimensions: list[DimensionOut]


class ScoreOut(BaseModel):
    """A score and rank of the index or one dimension, with growth since the base year."""

    code: str
    name: str
    score: float | None
    rank: int | None
    growth_percent: float | None = Field(description="Cumulative growth since the base year, %")
    cagr_percent: float | None = Field(description="Compound annual growth since the base year, %")


class UnitResultOut(BaseModel):
    """One unit (city) in one year: the index and each dimension."""

    unit: str
    name: str
    index: ScoreOut
    dimensions: list[ScoreOut]


class OverallOut(BaseModel):
    """The mean over all units, per dimension, with growth since the base year."""

    code: str
    name: str
    score: float | None
    growth_percent: float | None
    cagr_percent: float | None


class YearResultsOut(BaseModel):
    """The index of one year: every unit, best first, and the overall growth."""

    framework: str
    year: int
    years: list[int]
    base_year: int | None
    sample: bool
    units: list[UnitResultOut]
    overall: list[OverallOut]


class IntervalOut(BaseModel):
    """A unit's rank under the Monte Carlo: median and 5–95% interval."""

    year: int
    runs: int
    nominal: int | None
    median: float | None
    low: float | None = Field(description="5th percentile rank")
    high: float | None = Field(description="95th percentile rank")


class IndicatorValueOut(BaseModel):
    """An indicator of a unit in one year: as given, as used (in `unit`) and normalised."""

    code: str
    name: str
    unit: str
    raw: float | None = Field(description="The value in the data file")
    value: float | None = Field(
        description="After denomination, imputation and treatment, in the indicator's unit"
    )
    normalised: float | None


class ProfileYearOut(BaseModel):
    """A unit's index and dimensions in one year."""

    year: int
    index: ScoreOut
    dimensions: list[ScoreOut]


class UnitProfileOut(BaseModel):
    """A unit's (city's) profile: every year, the rank interval and the latest indicators."""

    framework: str
    unit: str
    name: str
    sample: bool
    years: list[ProfileYearOut]
    interval: IntervalOut | None
    indicators_year: int
    indicators: list[IndicatorValueOut]
