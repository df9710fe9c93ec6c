"""A result as rows: scores and ranks, growth, rank intervals, indicator values (pure).

The CSV and .xlsx exports, the HTML report and the API all read these, so a figure is
rounded and labelled in one place.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from factorlink.composite.result import Result

ALL_UNITS = "_all"
ALL_UNITS_NAME = "全部单位平均"

SCORE_HEADERS = (
    "年份 year",
    "单位 unit",
    "名称 name",
    "代码 code",
    "指标/维度 node",
    "层级 level",
    "得分 score",
    "排名 rank",
)
GROWTH_HEADERS = (
    "年份 year",
    "单位 unit",
    "名称 name",
    "代码 code",
    "指标/维度 node",
    "得分 score",
    "累计增长% cumulative",
    "年均增长% CAGR",
)
UNCERTAINTY_HEADERS = (
    "年份 year",
    "单位 unit",
    "名称 name",
    "名义排名 nominal",
    "中位排名 median",
    "5%排名 p05",
    "95%排名 p95",
    "模拟次数 runs",
)
INDICATOR_HEADERS = (
    "年份 year",
    "单位 unit",
    "名称 name",
    "代码 code",
    "指标 indicator",
    "单位 measure",
    "原始值 raw",
    "处理后 treated",
    "标准化 normalised",
)


def num(value: Any, digits: int = 2) -> float | None:
    """A rounded float, or None for NaN (an empty cell, JSON null)."""
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else round(value, digits)


def whole(value: Any) -> int | None:
    """A rank as an integer, or None where the unit has none."""
    number = num(value, 0)
    return None if number is None else int(number)


def score_rows(result: Result) -> Iterator[tuple[Any, ...]]:
    """Year, unit, aggregate, level, score, rank: every aggregate of every unit and year."""
    fw, panel = result.framework, result.panel
    for t, year in enumerate(panel.years):
        for u, unit in enumerate(panel.units):
            for k, node in enumerate(fw.aggregates):
                yield (
                    year,
                    unit,
                    panel.names[u],
                    node.code,
                    node.name,
                    fw.level(node.code),
                    num(result.scores[t, u, k]),
                    whole(result.ranks[t, u, k]),
                )


def growth_rows(result: Result) -> Iterator[tuple[Any, ...]]:
    """Growth against the base year per unit and aggregate, then for all units together."""
    growth = result.growth
    if growth is None:
        return
    fw, panel = result.framework, result.panel
    for t, year in enumerate(panel.years):
        for k, node in enumerate(fw.aggregates):
            for u, unit in enumerate(panel.units):
                yield (
                    year,
                    unit,
                    panel.names[u],
                    node.code,
                    node.name,
                    num(result.scores[t, u, k]),
                    num(growth.cumulative[t, u, k]),
                    num(growth.cagr[t, u, k]),
                )
            yield (
                year,
                ALL_UNITS,
                ALL_UNITS_NAME,
                node.code,
                node.name,
                num(growth.overall[t, k]),
                num(growth.overall_cumulative[t, k]),
                num(growth.overall_cagr[t, k]),
            )


def uncertainty_rows(result: Result) -> Iterator[tuple[Any, ...]]:
    """Nominal, median and 5–95% ranks of each unit on the index."""
    u = result.uncertainty
    if u is None:
        return
    panel = result.panel
    for i, unit in enumerate(panel.units):
        yield (
            result.uncertainty_year,
            unit,
            panel.names[i],
            whole(u.nominal[i]),
            num(u.median[i], 1),
            num(u.low[i], 1),
            num(u.high[i], 1),
            u.runs,
        )


def indicator_rows(result: Result) -> Iterator[tuple[Any, ...]]:
    """Raw, treated and normalised value of each indicator, unit and year."""
    panel = result.panel
    for t, year in enumerate(panel.years):
        for u, unit in enumerate(panel.units):
            for i, ind in enumerate(result.framework.indicators):
                yield (
                    year,
                    unit,
                    panel.names[u],
                    ind.code,
                    ind.name,
                    ind.unit,
                    num(panel.values[t, u, i], 4),
                    num(result.treated[t, u, i], 4),
                    num(result.normalised[t, u, i]),
                )


def latest_year_with_scores(result: Result) -> int:
    """The last year in which some unit has an index score."""
    index = result.scores[:, :, -1]
    years = [y for t, y in enumerate(result.panel.years) if not np.isnan(index[t]).all()]
    return years[-1] if years else result.panel.years[-1]
