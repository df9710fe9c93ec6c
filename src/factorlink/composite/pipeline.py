"""The pipeline file's method part: which steps, in which order, with which options (pure).

    steps:
      - denominate: {}
      - impute: {method: group_mean, group: EurAsia_group}
      - screen: {min_share: 0.9}
      - treat: {winmax: 5, skew_max: 2, kurt_max: 3.5, fallback: log}
      - normalise: {method: minmax, range: [0, 100], across_years: false}
      - aggregate: {method: arithmetic, weights: file}
    growth: {base_year: 2019}
    sensitivity: {runs: 1000, seed: 1, noise: 0.25, year: 2024,
                  normalise: [...], aggregate: [arithmetic, geometric], impute: [...]}

Denominate, impute, screen and treat come in any order before normalise; aggregate is last.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from factorlink.composite.errors import Problems
from factorlink.composite.steps import aggregate as agg
from factorlink.composite.steps import impute as imp
from factorlink.composite.steps import normalise as norm
from factorlink.composite.steps import weights as wts
from factorlink.composite.steps.treat import TreatSpec

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


class _Parser:
    """Parses the method part of a pipeline mapping, collecting problems."""

    def __init__(self, problems: Problems) -> None:
        self.p = problems

    def options(self, value: Any, where: str, allowed: Sequence[str]) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.p.add(where, "应为映射", "must be a mapping")
            return {}
        for key in value:
            if key not in allowed:
                self.p.add(
                    f"{where}.{key}",
                    f"未知选项“{key}”,可用:{', '.join(allowed)}",
                    f"unknown option {key!r}; allowed: {', '.join(allowed)}",
                )
        return dict(value)

    def choice(self, value: Any, where: str, allowed: Sequence[str], default: str) -> str:
        if value is None:
            return default
        if value not in allowed:
            self.p.add(
                where,
                f"“{value}”无效,可用:{', '.join(allowed)}",
                f"{value!r} is not one of {', '.join(allowed)}",
            )
            return default
        return str(value)

    def number(self, value: Any, where: str, default: float, low: float, high: float) -> float:
        if value is None:
            return default
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or not low <= value <= high:
            self.p.add(
                where, f"应为{low}到{high}之间的数", f"must be a number from {low} to {high}"
            )
            return default
        return float(value)

    def integer(self, value: Any, where: str, default: int, low: int, high: int) -> int:
        number = self.number(value, where, default, low, high)
        if number != int(number):
            self.p.add(where, "应为整数", "must be an integer")
        return int(number)

    def impute(self, value: Any, where: str) -> ImputeSpec:
        o = self.options(value, where, ("method", "group"))
        method = self.choice(o.get("method"), f"{where}.method", imp.METHODS, "mean")
        group = o.get("group")
        if method.startswith("group_") and not group:
            self.p.add(
                f"{where}.group", "分组插补须指定 group 列", "group methods need a group column"
            )
        return ImputeSpec(method, str(group) if group else None)

    def treat(self, value: Any, where: str) -> TreatSpec:
        o = self.options(value, where, ("winmax", "skew_max", "kurt_max", "fallback"))
        return TreatSpec(
            winmax=self.integer(o.get("winmax"), f"{where}.winmax", 5, 0, 1000),
            skew_max=self.number(o.get("skew_max"), f"{where}.skew_max", 2.0, 0, 1e6),
            kurt_max=self.number(o.get("kurt_max"), f"{where}.kurt_max", 3.5, -10, 1e6),
            fallback=self.choice(o.get("fallback"), f"{where}.fallback", ("log", "none"), "log"),
        )

    def normalise(self, value: Any, where: str, across_default: bool) -> NormaliseChoice:
        keys = (
            "method",
            "range",
            "mean",
            "sd",
            "cap",
            "reference_unit",
            "reference_year",
            "across_years",
        )
        o = self.options(value, where, keys)
        method = self.choice(o.get("method"), f"{where}.method", norm.METHODS, "minmax")
        low, high = self.range(o.get("range"), f"{where}.range")
        unit, year = o.get("reference_unit"), o.get("reference_year")
        if method == "distance_to_reference" and (unit is None) == (year is None):
            self.p.add(
                where,
                "distance_to_reference 须指定 reference_unit 或 reference_year 之一",
                "distance_to_reference needs one of reference_unit or reference_year",
            )
        spec = norm.NormaliseSpec(
            method=method,
            low=low,
            high=high,
            mean=self.number(o.get("mean"), f"{where}.mean", 0.0, -1e9, 1e9),
            sd=self.number(o.get("sd"), f"{where}.sd", 1.0, 1e-9, 1e9),
            cap=bool(o.get("cap", True)),
            across_years=bool(o.get("across_years", across_default)),
        )
        year_value = self.integer(year, f"{where}.reference_year", 0, 1900, 2100) if year else None
        return NormaliseChoice(spec, str(unit) if unit is not None else None, year_value)

    def range(self, value: Any, where: str) -> tuple[float, float]:
        if value is None:
            return 0.0, 100.0
        ok = isinstance(value, Sequence) and len(value) == 2
        if not ok or not all(isinstance(v, int | float) for v in value) or value[0] >= value[1]:
            self.p.add(
                where, "应为[下限, 上限],下限小于上限", "must be [low, high] with low < high"
            )
            return 0.0, 100.0
        return float(value[0]), float(value[1])

    def aggregate(self, value: Any, where: str) -> AggregateSpec:
        o = self.options(value, where, ("method", "weights"))
        return AggregateSpec(
            self.choice(o.get("method"), f"{where}.method", agg.METHODS, "arithmetic"),
            self.choice(o.get("weights"), f"{where}.weights", wts.METHODS, "file"),
        )


def _steps(parser: _Parser, steps: Any, across: bool) -> PipelineSpec:
    p = parser.p
    if not isinstance(steps, Sequence) or isinstance(steps, str) or not steps:
        p.add("steps", "应为非空的步骤列表", "must be a non-empty list of steps")
        return PipelineSpec()
    pre: list[tuple[str, Any]] = []
    found: dict[str, Any] = {}
    for i, item in enumerate(steps):
        where = f"steps[{i}]"
        if not isinstance(item, Mapping) or len(item) != 1:
            p.add(where, "每一步应为“名称: 选项”", "each step must be 'name: options'")
            continue
        name, value = next(iter(item.items()))
        where = f"{where}.{name}"
        if name in found:
            p.add(where, f"步骤“{name}”重复", f"step {name!r} appears twice")
        if name in PRE_STEPS and ("normalise" in found or "aggregate" in found):
            p.add(where, f"“{name}”应在 normalise 之前", f"{name!r} must come before normalise")
        if name == "normalise" and "aggregate" in found:
            p.add(where, "normalise 应在 aggregate 之前", "normalise must come before aggregate")
        if name == "denominate":
            found[name] = parser.options(value, where, ())
        elif name == "impute":
            found[name] = parser.impute(value, where)
        elif name == "screen":
            o = parser.options(value, where, ("min_share",))
            found[name] = parser.number(o.get("min_share"), f"{where}.min_share", 0.0, 0.0, 1.0)
        elif name == "treat":
            found[name] = parser.treat(value, where)
        elif name == "normalise":
            found[name] = parser.normalise(value, where, across)
        elif name == "aggregate":
            found[name] = parser.aggregate(value, where)
        else:
            steps_all = ", ".join((*PRE_STEPS, "normalise", "aggregate"))
            p.add(
                where,
                f"未知步骤“{name}”,可用:{steps_all}",
                f"unknown step {name!r}; allowed: {steps_all}",
            )
            continue
        if name in PRE_STEPS:
            pre.append((name, found[name]))
    for needed in ("normalise", "aggregate"):
        if needed not in found:
            p.add("steps", f"缺少步骤“{needed}”", f"the {needed!r} step is missing")
    return PipelineSpec(
        pre=tuple(pre),
        normalise=found.get("normalise", NormaliseChoice(norm.NormaliseSpec())),
        aggregate=found.get("aggregate", AggregateSpec()),
    )


def _sensitivity(parser: _Parser, value: Any, across: bool) -> SensitivityConfig | None:
    if value is None:
        return None
    keys = ("runs", "noise", "seed", "year", "impute", "normalise", "aggregate")
    o = parser.options(value, "sensitivity", keys)

    def listed(key: str) -> list[Any]:
        items = o.get(key) or []
        if not isinstance(items, Sequence) or isinstance(items, str):
            parser.p.add(f"sensitivity.{key}", "应为列表", "must be a list")
            return []
        return list(items)

    year = o.get("year")
    return SensitivityConfig(
        runs=parser.integer(o.get("runs"), "sensitivity.runs", 1000, 1, 100_000),
        noise=parser.number(o.get("noise"), "sensitivity.noise", 0.25, 0.0, 0.99),
        seed=parser.integer(o.get("seed"), "sensitivity.seed", 1, 0, 2**32 - 1),
        year=parser.integer(year, "sensitivity.year", 0, 1900, 2100) if year else None,
        impute=tuple(
            parser.impute(v, f"sensitivity.impute[{i}]") for i, v in enumerate(listed("impute"))
        ),
        normalise=tuple(
            parser.normalise(v, f"sensitivity.normalise[{i}]", across)
            for i, v in enumerate(listed("normalise"))
        ),
        aggregate=tuple(
            parser.choice(v, f"sensitivity.aggregate[{i}]", agg.METHODS, "arithmetic")
            for i, v in enumerate(listed("aggregate"))
        ),
    )


def parse_pipeline(data: Mapping[str, Any], source: str) -> PipelineSpec:
    """Parses steps, growth and sensitivity; raises InvalidInput naming every problem."""
    problems = Problems(source, "流水线文件有误", "the pipeline file is invalid")
    parser = _Parser(problems)
    growth = parser.options(data.get("growth"), "growth", ("base_year",))
    base = growth.get("base_year")
    if data.get("growth") is not None and base is None:
        problems.add("growth.base_year", "缺少基期年份", "the base year is missing")
    # Years are compared for growth, so their scores must share one normalisation.
    across = base is not None
    spec = _steps(parser, data.get("steps"), across)
    if base is not None and not spec.normalise.spec.across_years:
        problems.add(
            "steps.normalise.across_years",
            "计算增长时须跨年统一标准化(across_years: true)",
            "growth compares years: normalise across years (across_years: true)",
        )
    sensitivity = _sensitivity(parser, data.get("sensitivity"), across)
    if sensitivity and sensitivity.impute and "impute" not in dict(spec.pre):
        problems.add(
            "sensitivity.impute",
            "要比较插补方法,steps 中须有 impute 步骤",
            "varying the imputation needs an impute step in steps",
        )
    problems.raise_if_any()
    return PipelineSpec(
        pre=spec.pre,
        normalise=spec.normalise,
        aggregate=spec.aggregate,
        growth_base=parser.integer(base, "growth.base_year", 0, 1900, 2100) if base else None,
        sensitivity=sensitivity,
    )
