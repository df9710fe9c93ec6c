"""Writing tables back out: exports, and files of rejected rows with their reasons (pure)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from factorlink.imports.checks import REASON_HEADER, REASON_HEADER_EN, ROW_HEADER
from factorlink.imports.report import ImportReport
from factorlink.kit.formulas import csv_cell, xlsx_cell, xlsx_cells
from factorlink.kit.table import TableSpec

EXPORT_FORMATS = ("xlsx", "csv", "jsonl")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _flat(value: Any) -> Any:
    """A cell value a spreadsheet can hold: lists joined with 、, nested objects as JSON."""
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def write_rows(
    fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "数据"
) -> bytes:
    """Writes rows under headers as .xlsx, .csv (UTF-8 with BOM, for Excel), .json or .jsonl.

    Text a spreadsheet could take for a formula stays text (`kit/formulas.py`).
    """
    if fmt == "xlsx":
        return _xlsx(headers, rows, sheet)
    if fmt == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow([csv_cell(h) for h in headers])
        writer.writerows([csv_cell(_flat(v)) for v in row] for row in rows)
        return buffer.getvalue().encode("utf-8-sig")
    objects = [{h: _json_value(v) for h, v in zip(headers, row, strict=True)} for row in rows]
    if fmt == "json":
        return json.dumps(objects, ensure_ascii=False, indent=1).encode("utf-8")
    lines = (json.dumps(o, ensure_ascii=False) + "\n" for o in objects)
    return "".join(lines).encode("utf-8")


def _xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet: WriteOnlyWorksheet = book.create_sheet(title)
    bold = Font(bold=True)
    heading = []
    for header in headers:
        cell = xlsx_cell(sheet, header)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append(xlsx_cells(sheet, [_flat(v) for v in row]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_file(spec: TableSpec, records: Sequence[dict[str, Any]], fmt: str) -> bytes:
    """An export with the display headers, which re-imports to "unchanged"."""
    headers = [c.display_header for c in spec.columns]
    rows = [[record[h] for h in headers] for record in records]
    if fmt == "jsonl":
        # JSON keys read better without the required marker; imports accept both.
        headers = [c.header for c in spec.columns]
    return write_rows(fmt, headers, rows, sheet=spec.label)


def rejected_file(report: ImportReport, fmt: str | None = None) -> bytes:
    """The rejected rows: original cells, reasons, row numbers; in `fmt` (xlsx, csv, json,
    jsonl), by default in the format the rows came in."""
    headers = [*report.headers, REASON_HEADER, REASON_HEADER_EN, ROW_HEADER]
    rows = [
        [
            *row.cells,
            "; ".join(e.describe() for e in row.errors),
            "; ".join(e.describe_en() for e in row.errors),
            row.number,
        ]
        for row in report.rejected_rows
    ]
    return write_rows(fmt or report.format, headers, rows, sheet="未导入")
