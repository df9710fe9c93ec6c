"""Parses the options of each step, recording every problem with its path (pure)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from factorlink.composite.errors import Problems
from factorlink.composite.spec import AggregateSpec, ImputeSpec, NormaliseChoice
from factorlink.composite.steps import aggregate as agg
from factorlink.composite.steps import impute as imp
from factorlink.composite.steps import normalise as norm
from factorlink.composite.steps import weights as wts
from factorlink.composite.steps.treat import TreatSpec


class OptionParser:
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
                    f"{where}.{key}" if where else str(key),
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
