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

from collections.abc import Mapping, Sequence
from typing import Any

from factorlink.composite.errors import Problems
from factorlink.composite.options import OptionParser
from factorlink.composite.spec import (
    PRE_STEPS,
    AggregateSpec,
    ImputeSpec,
    NormaliseChoice,
    PipelineSpec,
    SensitivityConfig,
)
from factorlink.composite.steps import aggregate as agg
from factorlink.composite.steps import normalise as norm

__all__ = [
    "AggregateSpec",
    "ImputeSpec",
    "NormaliseChoice",
    "PipelineSpec",
    "SensitivityConfig",
    "parse_pipeline",
]


ALL_STEPS = (*PRE_STEPS, "normalise", "aggregate")
TOP_LEVEL = (
    "name",
    "framework",
    "data",
    "units",
    "years",
    "sample",
    "platform",
    "steps",
    "growth",
    "sensitivity",
)


def _step_options(parser: OptionParser, name: str, value: Any, where: str, across: bool) -> Any:
    """One step's options, parsed; None (with a problem) for an unknown step."""
    if name == "denominate":
        return parser.options(value, where, ())
    if name == "impute":
        return parser.impute(value, where)
    if name == "screen":
        o = parser.options(value, where, ("min_share",))
        return parser.number(o.get("min_share"), f"{where}.min_share", 0.0, 0.0, 1.0)
    if name == "treat":
        return parser.treat(value, where)
    if name == "normalise":
        return parser.normalise(value, where, across)
    if name == "aggregate":
        return parser.aggregate(value, where)
    allowed = ", ".join(ALL_STEPS)
    parser.p.add(
        where, f"未知步骤“{name}”,可用:{allowed}", f"unknown step {name!r}; allowed: {allowed}"
    )
    return None


def _check_order(parser: OptionParser, name: str, where: str, found: Mapping[str, Any]) -> None:
    p = parser.p
    if name in found:
        p.add(where, f"步骤“{name}”重复", f"step {name!r} appears twice")
    if name in PRE_STEPS and ("normalise" in found or "aggregate" in found):
        p.add(where, f"“{name}”应在 normalise 之前", f"{name!r} must come before normalise")
    if name == "normalise" and "aggregate" in found:
        p.add(where, "normalise 应在 aggregate 之前", "normalise must come before aggregate")


def _steps(parser: OptionParser, steps: Any, across: bool) -> PipelineSpec:
    p = parser.p
    if not isinstance(steps, Sequence) or isinstance(steps, str) or not steps:
        p.add("steps", "应为非空的步骤列表", "must be a non-empty list of steps")
        return PipelineSpec()
    pre: list[tuple[str, Any]] = []
    found: dict[str, Any] = {}
    for i, item in enumerate(steps):
        if not isinstance(item, Mapping) or len(item) != 1:
            p.add(f"steps[{i}]", "每一步应为“名称: 选项”", "each step must be 'name: options'")
            continue
        name, value = next(iter(item.items()))
        where = f"steps[{i}].{name}"
        _check_order(parser, name, where, found)
        options = _step_options(parser, name, value, where, across)
        if options is None:
            continue
        found[name] = options
        if name in PRE_STEPS:
            pre.append((name, options))
    for needed in ("normalise", "aggregate"):
        if needed not in found:
            p.add("steps", f"缺少步骤“{needed}”", f"the {needed!r} step is missing")
    return PipelineSpec(
        pre=tuple(pre),
        normalise=found.get("normalise", NormaliseChoice(norm.NormaliseSpec())),
        aggregate=found.get("aggregate", AggregateSpec()),
    )


def _sensitivity(parser: OptionParser, value: Any, across: bool) -> SensitivityConfig | None:
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
    parser = OptionParser(problems)
    parser.options(data, "", TOP_LEVEL)
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
