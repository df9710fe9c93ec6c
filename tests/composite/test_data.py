"""Indicator data files: both layouts, and every kind of bad row named by row and column."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from openpyxl import Workbook

from factorlink.composite.data import DataSpec, read_observations
from factorlink.composite.files import load_framework
from factorlink.composite.framework import Framework
from factorlink.composite.panel import Observations, build_panel
from factorlink.composite.units import Units
from factorlink.errors import InvalidInput
from factorlink.imports.readers import read_table

CITIES = Units("corridor")
WIDE = "城市,年份,population,researchers,patents,deals,costs\n"


@pytest.fixture
def framework(small_framework: Path) -> Framework:
    return load_framework(small_framework)


def _read(framework: Framework, name: str, text: str, spec: DataSpec = DataSpec()) -> Observations:
    table = read_table(name, text.encode("utf-8"))
    return read_observations(table, framework, spec, CITIES.resolve)


def _errors(
    framework: Framework, name: str, text: str, spec: DataSpec = DataSpec()
) -> list[dict[str, object]]:
    with pytest.raises(InvalidInput) as caught:
        _read(framework, name, text, spec)
    return caught.value.errors


def test_wide_csv_by_city_names(framework: Framework) -> None:
    text = WIDE + "上海市松江区,2023,190.5,1200,88,12,3.5\n嘉兴,2023年,540,2000,,9,4\n"
    obs = _read(framework, "d.csv", text)
    panel = build_panel(obs, framework)
    assert panel.units == ("songjiang", "jiaxing") and panel.years == (2023,)
    assert panel.values[0, 0].tolist() == [1200, 88, 12, 3.5]
    assert np.isnan(panel.values[0, 1, 1])  # an empty cell is a missing value
    assert panel.denominators[0, :, 0].tolist() == [190.5, 540]


def test_long_layout_and_indicator_names(framework: Framework) -> None:
    text = '城市,年份,指标,数值\n杭州,2022,研发人员,300\n杭州,2022,deals,"1,200"\n'
    panel = build_panel(_read(framework, "long.csv", text), framework)
    assert panel.values[0, 0, 0] == 300 and panel.values[0, 0, 2] == 1200


def test_xlsx_files_are_read_the_same_way(framework: Framework) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["城市", "年份", "deals", "costs"])
    sheet.append(["合肥", 2024, 7, 2.5])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table("d.xlsx", buffer.getvalue())
    obs = read_observations(table, framework, DataSpec(), CITIES.resolve)
    assert obs.values[("hefei", 2024)] == {"deals": 7.0, "costs": 2.5}


def test_bad_rows_are_named_by_row_and_column(framework: Framework) -> None:
    text = (
        WIDE
        + "北京,2023,1,1,1,1,1\n"  # row 2: unknown city
        + "湖州,2023,1,1,很多,1,1\n"  # row 3: not a number
        + "湖州,1899,1,1,1,1,1\n"  # row 4: year out of range
        + "芜湖,2023,1,1,1,1,1\n"
        + "芜湖,2023,2,2,2,2,2\n"  # row 6: duplicate of row 5
    )
    errors = _errors(framework, "bad.csv", text)
    found = {(e["row"], e["column"], e["field"]) for e in errors}
    assert (2, "城市", "unit") in found
    assert (3, "patents", "value") in found
    assert (4, "年份", "year") in found
    assert (6, "population", "duplicate") in found
    unit_error = next(e for e in errors if e["field"] == "unit")
    assert "北京" in str(unit_error["reason"]) and "unknown unit" in str(unit_error["reason_en"])
    assert all(e["file"] == "bad.csv" for e in errors)


def test_unknown_indicator_column_and_long_row(framework: Framework) -> None:
    errors = _errors(framework, "w.csv", "城市,年份,deals,gdp_growth\n松江,2023,1,2\n")
    assert [(e["row"], e["column"], e["field"]) for e in errors] == [(1, "gdp_growth", "indicator")]
    errors = _errors(framework, "l.csv", "城市,年份,指标,数值\n松江,2023,nonsense,1\n")
    assert [(e["row"], e["column"], e["value"]) for e in errors] == [(2, "指标", "nonsense")]


def test_years_outside_the_pipeline_range(framework: Framework) -> None:
    errors = _errors(
        framework,
        "y.csv",
        "城市,年份,deals\n松江,2015,1\n",
        DataSpec(first_year=2018, last_year=2024),
    )
    assert errors[0]["field"] == "year" and "2018" in str(errors[0]["reason"])


def test_missing_unit_or_year_column(framework: Framework) -> None:
    errors = _errors(framework, "h.csv", "地名,deals\n松江,1\n")
    assert {e["column"] for e in errors} == {"城市/unit", "年份/year"}


def test_duplicates_across_two_files(framework: Framework) -> None:
    obs = _read(framework, "a.csv", "城市,年份,deals\n松江,2023,1\n")
    table = read_table("b.csv", "城市,年份,deals\n松江,2023,2\n".encode())
    with pytest.raises(InvalidInput) as caught:
        read_observations(table, framework, DataSpec(), CITIES.resolve, obs)
    assert "a.csv" in str(caught.value.errors[0]["reason"])
