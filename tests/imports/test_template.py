"""Templates: they open in Excel's format, explain every column, and import once filled in."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from factorlink.db.session import Database
from factorlink.errors import InvalidInput
from factorlink.imports.kinds import ImportKind, spec_of
from factorlink.imports.readers import read_table
from factorlink.imports.template import GUIDE_SHEET, template_file
from tests.imports.builders import run_import


@pytest.mark.parametrize("kind", list(ImportKind), ids=str)
def test_template_has_marked_headers_an_example_and_a_guide(kind: ImportKind) -> None:
    spec = spec_of(kind)
    book = load_workbook(io.BytesIO(template_file(spec)))
    sheet, guide = book.worksheets
    headers = [c.value for c in sheet[1] if c.value]
    assert headers == [c.display_header for c in spec.columns]
    for cell, col in zip(sheet[1], spec.columns, strict=False):
        assert cell.font.bold and isinstance(cell.value, str)
        assert cell.value.endswith("*") == col.required
    assert sheet.column_dimensions["A"].width >= 10
    assert str(sheet.cell(row=2, column=len(spec.columns) + 1).value).startswith("示例行")
    assert guide.title == GUIDE_SHEET
    described = {row[0].value: row[3].value for row in guide.iter_rows(min_row=2) if row[3].value}
    assert set(described) >= {c.header for c in spec.columns}
    assert any("、" in str(c.value) and "；" in str(c.value) for c in guide["A"])


def test_the_guide_names_accepted_values() -> None:
    book = load_workbook(io.BytesIO(template_file(spec_of(ImportKind.carrier))))
    guide = {row[0].value: str(row[3].value) for row in book[GUIDE_SHEET].iter_rows(min_row=2)}
    assert guide["类型"] == "可选:土地、厂房、写字楼、孵化器"
    assert "㎡" in guide["面积"] and "亩" in guide["面积"]
    assert "上海松江" in guide["所在城市"] and "义乌" in guide["所在城市"]


def test_an_untouched_template_has_no_data_rows() -> None:
    data = template_file(spec_of(ImportKind.achievement))
    with pytest.raises(InvalidInput) as caught:
        read_table("模板.xlsx", data)
    assert "没有数据行" in caught.value.message


def test_a_filled_template_imports_without_its_example(database: Database, tmp_path: Path) -> None:
    spec = spec_of(ImportKind.demand)
    book = load_workbook(io.BytesIO(template_file(spec)))
    sheet = book.worksheets[0]
    filled = {c.display_header: c.example for c in spec.columns}
    filled["编号"] = "DEM-2026-001"
    filled["需求名称*"] = "电池包轻量化液冷板"
    sheet.append([filled[c.display_header] for c in spec.columns])
    path = tmp_path / "需求.xlsx"
    book.save(path)

    report = run_import(database, ImportKind.demand, path)

    assert report.created == 1
    assert [w.reason for w in report.warnings] == ["第2行为模板示例行,已忽略"]
