"""Indicator values from a table (.xlsx/.csv), validated row by row (pure: no file I/O).

Two layouts: wide (a row per unit and year, a column per indicator or denominator) and long
(columns unit, year, indicator, value). Every problem names the file, row and column, in
Chinese and English: unknown indicator or unit, non-numeric value, duplicate, year out of range.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from factorlink.composite.errors import Problems
from factorlink.composite.framework import Framework
from factorlink.composite.panel import Observations
from factorlink.imports.readers import SourceRow, Table
from factorlink.validation.parsers import normalize

UnitResolver = Callable[[str], str | None]

UNIT = ("unit", "city", "ucode", "城市", "地区", "单位", "城市代码")
NAME = ("name", "uname", "名称", "城市名称", "单位名称")
YEAR = ("year", "time", "年份", "年度", "年")
INDICATOR = ("indicator", "icode", "指标", "指标代码")
VALUE = ("value", "数值", "值", "指标值")
MISSING = ("", "na", "n/a", "nan", "-", "—", "--", "..", "null", "缺失", "无")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class DataSpec:
    """How to read a data table: column names (else the usual headers), groups, years."""

    unit_column: str | None = None
    year_column: str | None = None
    name_column: str | None = None
    groups: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    first_year: int = 1900
    last_year: int = 2100


class ValueProblem(ValueError):
    """A cell that is not a number."""


def parse_value(cell: Any) -> float | None:
    """A number from a cell; None for an empty or 'NA' cell; ValueProblem otherwise."""
    if isinstance(cell, bool):
        raise ValueProblem(cell)
    if isinstance(cell, int | float):
        if not math.isfinite(cell):
            raise ValueProblem(cell)
        return float(cell)
    text = normalize(cell).replace(",", "")
    if text.lower() in MISSING:
        return None
    if not _NUMBER.match(text) or not math.isfinite(float(text)):
        raise ValueProblem(text)
    return float(text)


def _find(headers: Sequence[str], wanted: str | None, choices: Sequence[str]) -> int | None:
    folded = [normalize(h).lower() for h in headers]
    for name in [wanted] if wanted else choices:
        if name and name.lower() in folded:
            return folded.index(name.lower())
    return None


class _TableReader:
    """Reads one table into observations, recording each problem."""

    def __init__(
        self, table: Table, framework: Framework, spec: DataSpec, resolve: UnitResolver
    ) -> None:
        self.table, self.spec, self.resolve = table, spec, resolve
        self.problems = Problems(table.name, "指标数据有误", "the indicator data is invalid")
        self.codes: dict[str, str] = {}
        named = [(i.code, i.name) for i in framework.indicators]
        named += [(d.code, d.name) for d in framework.denominators]
        for code, name in named:
            self.codes[code.lower()] = code
            self.codes[normalize(name).lower()] = code
        self.unit_at = _find(table.headers, spec.unit_column, UNIT)
        self.year_at = _find(table.headers, spec.year_column, YEAR)
        self.name_at = _find(table.headers, spec.name_column, NAME)
        if self.unit_at is None:
            self._missing_column(spec.unit_column or "城市/unit")
        if self.year_at is None:
            self._missing_column(spec.year_column or "年份/year")

    def _missing_column(self, name: str) -> None:
        self.problems.add(
            "header", f"缺少列“{name}”", f"missing column {name!r}", row=1, column=name
        )

    def cell_key(self, row: SourceRow) -> tuple[str, int] | None:
        """The row's unit and year, or None after recording why they are unusable."""
        assert self.unit_at is not None and self.year_at is not None
        unit_text = normalize(row.cells[self.unit_at])
        year_text = normalize(row.cells[self.year_at])
        unit = self.resolve(unit_text) if unit_text else None
        ok = True
        if unit is None:
            ok = False
            self.problems.add(
                "unit",
                f"未知单位(城市)“{unit_text}”" if unit_text else "单位(城市)为空",
                f"unknown unit {unit_text!r}" if unit_text else "the unit is empty",
                row=row.number,
                column=self.table.headers[self.unit_at],
                value=unit_text,
            )
        year = self._year(year_text, row.number)
        if not ok or year is None:
            return None
        assert unit is not None
        return unit, year

    def _year(self, text: str, number: int) -> int | None:
        assert self.year_at is not None
        column = self.table.headers[self.year_at]
        digits = text.removesuffix("年").removesuffix(".0")
        if not digits.isdigit():
            self.problems.add(
                "year",
                f"年份“{text}”无效",
                f"invalid year {text!r}",
                row=number,
                column=column,
                value=text,
            )
            return None
        year = int(digits)
        if not self.spec.first_year <= year <= self.spec.last_year:
            self.problems.add(
                "year",
                f"年份{year}超出范围{self.spec.first_year}–{self.spec.last_year}",
                f"year {year} outside {self.spec.first_year}-{self.spec.last_year}",
                row=number,
                column=column,
                value=text,
            )
            return None
        return year

    def put(
        self,
        obs: Observations,
        key: tuple[str, int],
        code: str,
        value: float | None,
        at: tuple[int, str],
    ) -> None:
        """Stores one value, refusing a second value for the same unit, year and indicator."""
        unit, year = key
        earlier = obs.where.get((unit, year, code))
        if earlier is not None:
            self.problems.add(
                "duplicate",
                f"重复:{unit} {year}年的“{code}”已在{earlier}给出",
                f"duplicate: {code} of {unit} in {year} already given at {earlier}",
                value=code,
                row=at[0],
                column=at[1],
            )
            return
        obs.where[(unit, year, code)] = f"{self.table.name} row {at[0]} {at[1]}"
        row = obs.values.setdefault(key, {})
        if value is not None:
            row[code] = value

    def value(self, cell: Any, number: int, column: str) -> float | None:
        try:
            return parse_value(cell)
        except ValueProblem:
            text = normalize(cell)
            self.problems.add(
                "value",
                f"“{text}”不是数值",
                f"{text!r} is not a number",
                row=number,
                column=column,
                value=text,
            )
            return None


def _read_wide(reader: _TableReader, obs: Observations) -> None:
    table, spec = reader.table, reader.spec
    fixed = {reader.unit_at, reader.year_at, reader.name_at}
    groups = {i: h for i, h in enumerate(table.headers) if h in spec.groups}
    columns: dict[int, str] = {}
    for i, header in enumerate(table.headers):
        if i in fixed or i in groups or header in spec.ignore or not header:
            continue
        code = reader.codes.get(normalize(header).lower())
        if code is None:
            reader.problems.add(
                "indicator",
                f"未知指标“{header}”(不在指标框架中)",
                f"unknown indicator {header!r} (not in the framework)",
                row=1,
                column=header,
            )
        else:
            columns[i] = code
    for missing in set(spec.groups) - set(groups.values()):
        reader._missing_column(missing)
    for row in table.rows:
        key = reader.cell_key(row)
        values = {
            c: reader.value(row.cells[i], row.number, table.headers[i]) for i, c in columns.items()
        }
        if key is None:
            continue
        if reader.name_at is not None and normalize(row.cells[reader.name_at]):
            obs.names.setdefault(key[0], normalize(row.cells[reader.name_at]))
        for i, group in groups.items():
            obs.groups.setdefault(group, {}).setdefault(key[0], normalize(row.cells[i]))
        for i, code in columns.items():
            reader.put(obs, key, code, values[code], (row.number, table.headers[i]))


def _read_long(reader: _TableReader, obs: Observations, ind_at: int, val_at: int) -> None:
    table = reader.table
    for row in table.rows:
        key = reader.cell_key(row)
        name = normalize(row.cells[ind_at])
        code = reader.codes.get(name.lower())
        if code is None:
            reader.problems.add(
                "indicator",
                f"未知指标“{name}”(不在指标框架中)",
                f"unknown indicator {name!r} (not in the framework)",
                row=row.number,
                column=table.headers[ind_at],
                value=name,
            )
        value = reader.value(row.cells[val_at], row.number, table.headers[val_at])
        if key is not None and code is not None:
            if reader.name_at is not None and normalize(row.cells[reader.name_at]):
                obs.names.setdefault(key[0], normalize(row.cells[reader.name_at]))
            reader.put(obs, key, code, value, (row.number, table.headers[val_at]))


def read_observations(
    table: Table,
    framework: Framework,
    spec: DataSpec,
    resolve: UnitResolver,
    into: Observations | None = None,
) -> Observations:
    """Adds a table's values to `into` (new by default); InvalidInput on any problem."""
    obs = into if into is not None else Observations()
    reader = _TableReader(table, framework, spec, resolve)
    reader.problems.raise_if_any()
    ind_at = _find(table.headers, None, INDICATOR)
    val_at = _find(table.headers, None, VALUE)
    if ind_at is not None and val_at is not None:
        _read_long(reader, obs, ind_at, val_at)
    else:
        _read_wide(reader, obs)
    reader.problems.raise_if_any()
    return obs
