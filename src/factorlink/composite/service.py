"""The index for the web interface: the packaged corridor pipeline, computed once per process.

Open to every viewer: the index holds aggregates only, no personal data.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from factorlink.auth.viewer import Viewer
from factorlink.composite import tables
from factorlink.composite.files import PACKAGE_DATA, LoadedPipeline, load_pipeline
from factorlink.composite.framework import Aggregate, Framework, Indicator
from factorlink.composite.result import Result
from factorlink.composite.run import run_pipeline
from factorlink.composite.schemas import (
    DimensionOut,
    FrameworkOut,
    IndicatorOut,
    IndicatorValueOut,
    IntervalOut,
    OverallOut,
    ProfileYearOut,
    ScoreOut,
    UnitProfileOut,
    UnitResultOut,
    YearResultsOut,
)
from factorlink.errors import NotFound
from factorlink.kit.filters import filter_error, resolve_city
from factorlink.kit.table import CellError

DEFAULT_PIPELINE = PACKAGE_DATA / "pipeline.yaml"


@lru_cache(maxsize=4)
def _computed(path: Path, mtime: float) -> tuple[LoadedPipeline, Result]:
    loaded = load_pipeline(path)
    return loaded, run_pipeline(loaded.spec, loaded.framework, loaded.panel, loaded.name)


def computed(path: Path = DEFAULT_PIPELINE) -> tuple[LoadedPipeline, Result]:
    """The pipeline's result, recomputed only when the file changes."""
    return _computed(path, path.stat().st_mtime)


def _indicator(i: Indicator) -> IndicatorOut:
    return IndicatorOut(
        code=i.code,
        name=i.name,
        name_en=i.name_en,
        direction=i.direction,
        weight=i.weight,
        unit=i.unit,
        denominator=i.denominator,
        source=i.source,
    )


def _dimension(fw: Framework, node: Aggregate) -> DimensionOut:
    aggregates = {a.code: a for a in fw.aggregates}
    indicators = {i.code: i for i in fw.indicators}
    return DimensionOut(
        code=node.code,
        name=node.name,
        name_en=node.name_en,
        weight=node.weight,
        dimensions=[_dimension(fw, aggregates[c]) for c in node.children if c in aggregates],
        indicators=[_indicator(indicators[c]) for c in node.children if c in indicators],
    )


class IndexService:
    """Frameworks, yearly results and unit profiles of the corridor innovation index."""

    def __init__(self, session: Session, viewer: Viewer, pipeline: Path = DEFAULT_PIPELINE) -> None:
        self.session = session
        self.viewer = viewer
        self.pipeline = pipeline

    def frameworks(self) -> list[FrameworkOut]:
        """The frameworks the platform computes (today: the corridor index)."""
        loaded, result = computed(self.pipeline)
        fw = loaded.framework
        return [
            FrameworkOut(
                code=fw.code,
                name=fw.name,
                name_en=fw.name_en,
                pipeline=loaded.name,
                sample=loaded.sample,
                years=list(loaded.panel.years),
                base_year=result.growth.base_year if result.growth else None,
                dimensions=[_dimension(fw, d) for d in fw.dimensions],
            )
        ]

    def _year(self, result: Result, year: int | None) -> int:
        if year is None:
            return tables.latest_year_with_scores(result)
        if year not in result.panel.years:
            raise NotFound(
                f"指数没有{year}年的结果", message_en=f"the index has no results for {year}"
            )
        return year

    def _score(self, result: Result, t: int, u: int, node: Aggregate) -> ScoreOut:
        k = result.framework.aggregates.index(node)
        g = result.growth
        return ScoreOut(
            code=node.code,
            name=node.name,
            score=tables.num(result.scores[t, u, k]),
            rank=tables.whole(result.ranks[t, u, k]),
            growth_percent=None if g is None else tables.num(g.cumulative[t, u, k], 1),
            cagr_percent=None if g is None else tables.num(g.cagr[t, u, k], 1),
        )

    def _unit(self, result: Result, t: int, u: int) -> UnitResultOut:
        fw = result.framework
        return UnitResultOut(
            unit=result.panel.units[u],
            name=result.panel.names[u],
            index=self._score(result, t, u, fw.index),
            dimensions=[self._score(result, t, u, d) for d in fw.dimensions],
        )

    def results(self, year: int | None = None) -> YearResultsOut:
        """Every unit's index and dimension scores in a year (the latest by default), best first."""
        loaded, result = computed(self.pipeline)
        year = self._year(result, year)
        t = result.panel.years.index(year)
        units = [self._unit(result, t, u) for u in range(len(result.panel.units))]
        units.sort(key=lambda r: (r.index.rank is None, r.index.rank or 0))
        return YearResultsOut(
            framework=result.framework.code,
            year=year,
            years=list(result.panel.years),
            base_year=result.growth.base_year if result.growth else None,
            sample=loaded.sample,
            units=units,
            overall=self._overall(result, t),
        )

    def _overall(self, result: Result, t: int) -> list[OverallOut]:
        g = result.growth
        if g is None:
            return []
        fw = result.framework
        return [
            OverallOut(
                code=node.code,
                name=node.name,
                score=tables.num(g.overall[t, k]),
                growth_percent=tables.num(g.overall_cumulative[t, k], 1),
                cagr_percent=tables.num(g.overall_cagr[t, k], 1),
            )
            for k, node in enumerate(fw.aggregates)
            if fw.level(node.code) <= 1
        ]

    def profile(self, city: str) -> UnitProfileOut:
        """A city's scores and ranks over the years, its rank interval and latest indicators."""
        loaded, result = computed(self.pipeline)
        u = self._unit_index(result, city)
        fw, panel = result.framework, result.panel
        year = tables.latest_year_with_scores(result)
        t = panel.years.index(year)
        return UnitProfileOut(
            framework=fw.code,
            unit=panel.units[u],
            name=panel.names[u],
            sample=loaded.sample,
            years=[
                ProfileYearOut(
                    year=y,
                    index=self._score(result, i, u, fw.index),
                    dimensions=[self._score(result, i, u, d) for d in fw.dimensions],
                )
                for i, y in enumerate(panel.years)
            ],
            interval=self._interval(result, u),
            indicators_year=year,
            indicators=[
                IndicatorValueOut(
                    code=ind.code,
                    name=ind.name,
                    unit=ind.unit,
                    raw=tables.num(panel.values[t, u, m], 4),
                    value=tables.num(result.treated[t, u, m], 4),
                    normalised=tables.num(result.normalised[t, u, m]),
                )
                for m, ind in enumerate(fw.indicators)
            ],
        )

    def _unit_index(self, result: Result, city: str) -> int:
        errors: list[CellError] = []
        code = resolve_city(city, errors)
        if errors:
            raise filter_error(errors)
        if code not in result.panel.units:
            raise NotFound(f"指数中没有城市“{city}”", message_en=f"the index has no city {city!r}")
        return result.panel.units.index(code)

    @staticmethod
    def _interval(result: Result, u: int) -> IntervalOut | None:
        unc = result.uncertainty
        if unc is None or result.uncertainty_year is None:
            return None
        return IntervalOut(
            year=result.uncertainty_year,
            runs=unc.runs,
            nominal=tables.whole(unc.nominal[u]),
            median=tables.num(unc.median[u], 1),
            low=tables.num(unc.low[u], 1),
            high=tables.num(unc.high[u], 1),
        )
