"""Runs a pipeline on a panel: the steps in order, then ranks, growth and sensitivity (pure)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from factorlink.composite.errors import Problems
from factorlink.composite.framework import Framework
from factorlink.composite.panel import Panel
from factorlink.composite.pipeline import ImputeSpec, NormaliseChoice, PipelineSpec
from factorlink.composite.result import Growth, Result
from factorlink.composite.steps import growth as gr
from factorlink.composite.steps import normalise as norm
from factorlink.composite.steps.aggregate import aggregate
from factorlink.composite.steps.denominate import denominate
from factorlink.composite.steps.impute import impute
from factorlink.composite.steps.moments import column_stat
from factorlink.composite.steps.rank import ranks
from factorlink.composite.steps.screen import screen
from factorlink.composite.steps.sensitivity import SensitivitySpec, simulate
from factorlink.composite.steps.treat import Treatment, treat

Array = NDArray[np.float64]


class _Run:
    """One run's context: the framework, the panel and the problems found on the way."""

    def __init__(self, spec: PipelineSpec, framework: Framework, panel: Panel, source: str) -> None:
        self.spec, self.fw, self.panel = spec, framework, panel
        self.problems = Problems(source, "无法计算指数", "the index cannot be computed")
        self.params = norm.IndicatorParams(
            direction=np.array([i.direction for i in framework.indicators], dtype=np.float64),
            target=np.array(
                [np.nan if i.target is None else i.target for i in framework.indicators]
            ),
            goal_low=np.array(
                [i.goalposts[0] if i.goalposts else np.nan for i in framework.indicators]
            ),
            goal_high=np.array(
                [i.goalposts[1] if i.goalposts else np.nan for i in framework.indicators]
            ),
        )

    def prepare(
        self, impute_spec: ImputeSpec | None = None
    ) -> tuple[Array, NDArray[np.bool_], tuple[Treatment, ...]]:
        """The pre-normalisation steps in the pipeline's order (imputation may be swapped)."""
        values = self.panel.values.copy()
        active = np.ones(values.shape[:2], dtype=bool)
        logs: tuple[Treatment, ...] = ()
        for name, option in self.spec.pre:
            if name == "denominate":
                values = self._denominate(values)
            elif name == "impute":
                values = self._impute(values, active, impute_spec or option)
            elif name == "screen":
                active = screen(values, active, float(option))
            elif name == "treat":
                values, treated = treat(np.where(active[:, :, None], values, np.nan), option)
                logs = tuple(treated)
        return np.where(active[:, :, None], values, np.nan), active, logs

    def _denominate(self, values: Array) -> Array:
        codes = [d.code for d in self.fw.denominators]
        which = np.array(
            [codes.index(i.denominator) if i.denominator else -1 for i in self.fw.indicators],
            dtype=np.int64,
        )
        scale = np.array([i.scale for i in self.fw.indicators])
        return denominate(values, self.panel.denominators, which, scale)

    def _impute(self, values: Array, active: NDArray[np.bool_], option: ImputeSpec) -> Array:
        groups = None
        if option.group:
            if option.group not in self.panel.groups:
                self.problems.add(
                    "impute.group",
                    f"数据中没有分组列“{option.group}”",
                    f"the data has no group column {option.group!r}",
                )
                self.problems.raise_if_any()
            groups = self.panel.group_codes(option.group)
        return impute(values, option.method, active, groups)

    def normalise(self, values: Array, choice: NormaliseChoice) -> Array:
        """Normalises with a choice, resolving its reference unit or year."""
        ref_unit = ref_year = None
        if choice.reference_unit is not None:
            if choice.reference_unit not in self.panel.units:
                self.problems.add(
                    "normalise.reference_unit",
                    f"参照单位“{choice.reference_unit}”不在数据中",
                    f"reference unit {choice.reference_unit!r} is not in the data",
                )
            else:
                ref_unit = self.panel.units.index(choice.reference_unit)
        if choice.reference_year is not None:
            ref_year = self.year_position(choice.reference_year, "normalise.reference_year")
        self._check_params(choice.spec.method)
        self.problems.raise_if_any()
        spec = norm.NormaliseSpec(
            **{**choice.spec.__dict__, "reference_unit": ref_unit, "reference_year": ref_year}
        )
        return norm.normalise(values, spec, self.params)

    def _check_params(self, method: str) -> None:
        need = {"distance_to_target": "target", "goalposts": "goalposts"}.get(method)
        for i in self.fw.indicators if need else ():
            if getattr(i, need or "") is None:
                self.problems.add(
                    f"{i.code}.{need}",
                    f"指标“{i.code}”缺少{need},无法用{method}标准化",
                    f"indicator {i.code!r} has no {need} for {method}",
                )

    def year_position(self, year: int, field: str) -> int:
        """Where a year is in the panel; InvalidInput naming the field if it is not there."""
        if year not in self.panel.years:
            self.problems.add(field, f"数据中没有{year}年", f"the data has no year {year}")
            self.problems.raise_if_any()
        return self.panel.years.index(year)

    def check_positive(self, normalised: Array, method: str, where: str) -> None:
        """Geometric and harmonic means need every normalised value above zero."""
        if method != "arithmetic" and bool(np.any(normalised <= 0)):
            self.problems.add(
                where,
                f"{method}平均要求标准化值全部为正:请用 minmax 并设 range: [1, 100]",
                f"{method} means need positive normalised values: use minmax with range [1, 100]",
            )
            self.problems.raise_if_any()


def _rank_all(scores: Array, active: NDArray[np.bool_]) -> Array:
    return ranks(np.where(active[:, :, None], scores, np.nan), descending=True, ties="min")


def _growth(run: _Run, scores: Array, active: NDArray[np.bool_], base_year: int) -> Growth:
    base = run.year_position(base_year, "growth.base_year")
    years = np.array(run.panel.years, dtype=np.int64)
    overall = column_stat("mean", np.where(active[:, :, None], scores, np.nan), axis=1)
    return Growth(
        base_year=base_year,
        cumulative=gr.cumulative_percent(scores, base),
        cagr=gr.cagr_percent(scores, years, base),
        overall=overall,
        overall_cumulative=gr.cumulative_percent(overall, base),
        overall_cagr=gr.cagr_percent(overall, years, base),
    )


def run_pipeline(
    spec: PipelineSpec, framework: Framework, panel: Panel, source: str = "pipeline"
) -> Result:
    """Computes the index; raises InvalidInput when the data cannot support the methods."""
    run = _Run(spec, framework, panel, source)
    treated, active, logs = run.prepare()
    normalised = run.normalise(treated, spec.normalise)
    run.check_positive(normalised, spec.aggregate.method, "aggregate.method")
    tree, weights = framework.tree(), _weights(framework, spec)
    scores, used = aggregate(
        normalised, tree, weights, spec.aggregate.method, pca=spec.aggregate.weights == "pca"
    )
    rank = _rank_all(scores, active)
    growth = _growth(run, scores, active, spec.growth_base) if spec.growth_base else None
    uncertainty, year = _uncertainty(run, used, rank)
    return Result(
        name=source,
        framework=framework,
        panel=panel,
        active=active,
        treated=treated,
        treatments=logs,
        normalised=normalised,
        scores=scores,
        ranks=rank,
        weights=used,
        growth=growth,
        uncertainty=uncertainty,
        uncertainty_year=year,
    )


def _weights(framework: Framework, spec: PipelineSpec) -> Array:
    if spec.aggregate.weights == "equal":
        return np.ones(len(framework.indicators) + len(framework.aggregates))
    return framework.weights()


def _uncertainty(run: _Run, weights: Array, rank: Array) -> tuple[Any, int | None]:
    config = run.spec.sensitivity
    if config is None:
        return None, None
    year = config.year or run.panel.years[-1]
    at = run.year_position(year, "sensitivity.year")
    imputes = config.impute or (None,)
    normalisers = config.normalise or (run.spec.normalise,)
    aggregators = config.aggregate or (run.spec.aggregate.method,)

    def prepare(i: int, j: int) -> Array:
        values = run.prepare(imputes[i])[0]
        out = run.normalise(values, normalisers[j])
        for method in aggregators:
            run.check_positive(out[at : at + 1], method, "sensitivity.aggregate")
        return out

    sim = SensitivitySpec(
        runs=config.runs,
        noise=config.noise,
        seed=config.seed,
        n_impute=len(imputes),
        n_normalise=len(normalisers),
        aggregators=tuple(aggregators),
    )
    return simulate(prepare, run.fw.tree(), weights, sim, at, rank[at, :, -1]), year
