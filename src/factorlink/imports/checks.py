"""Checks of a table against a kind's columns: headers, each row, and rows against each other.

Pure: the rules of each cell live in the TableSpec; this module adds what only a whole file can
tell (a missing column, a duplicated 编号).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from factorlink.imports.readers import SourceRow, Table, refuse
from factorlink.imports.report import Notice, RowError
from factorlink.kit.table import CellError, Column, TableSpec, header_key
from factorlink.privacy.masking import PERSONAL_FIELDS, mask_mobile, mask_name
from factorlink.validation.parsers import normalize

# Columns that rejected-row files add; a corrected rejected file re-imports without warnings.
REASON_HEADER = "错误原因"
REASON_HEADER_EN = "Error reason"
ROW_HEADER = "原行号"
REPORT_HEADERS = (REASON_HEADER, REASON_HEADER_EN, ROW_HEADER)

# Personal data: an error report names the column and the reason, never the cell itself.


@dataclass(frozen=True)
class ColumnMap:
    """Which file column feeds which spec column, and what the file has that we do not know."""

    positions: dict[int, Column]
    warnings: tuple[Notice, ...]

    def present(self) -> set[str]:
        """Keys of the spec columns the file has."""
        return {col.key for col in self.positions.values()}


@dataclass
class CheckedRow:
    """A row's parsed values and every error found in it."""

    source: SourceRow
    values: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)
    explicit_code: bool = False
    # The cells as typed, by column key: what an error shows in 填写内容.
    typed: dict[str, Any] = field(default_factory=dict)

    def typed_text(self, key: str | None) -> str:
        """What was typed in a field's column, as an error report may show it."""
        if key is None:
            return ""
        for name in (key, key.removesuffix("_name")):
            if name in self.typed:
                return shown_value(key, cell_text(self.typed[name]))
        return ""

    @property
    def ok(self) -> bool:
        return not self.errors


def map_columns(spec: TableSpec, table: Table) -> ColumnMap:
    """Matches the headers; refuses a file with a required column missing or a column twice."""
    found, unknown = spec.match_headers(table.headers)
    seen: dict[str, str] = {}
    for index, col in found.items():
        header = table.headers[index]
        if col.key in seen:
            raise refuse(
                table.name,
                f"列“{seen[col.key]}”与“{header}”重复(都表示{col.header})",
                f"columns {seen[col.key]!r} and {header!r} both mean {col.header_en}",
            )
        seen[col.key] = header
    missing = [c for c in spec.required if c.key not in seen]
    if missing:
        raise refuse(
            table.name,
            "缺少必填列:" + "、".join(c.display_header for c in missing),
            "missing required column(s): "
            + ", ".join(f"{c.header} ({c.header_en})" for c in missing),
        )
    ignored = {header_key(h) for h in REPORT_HEADERS}
    unknown = [h for h in unknown if header_key(h) not in ignored]
    notices: list[Notice] = []
    if unknown:
        notices.append(
            Notice(
                "未识别的列已忽略:" + "、".join(unknown),
                "unknown columns ignored: " + ", ".join(unknown),
            )
        )
    if table.example_rows:
        rows = "、".join(str(n) for n in table.example_rows)
        notices.append(Notice(f"第{rows}行为模板示例行,已忽略", f"example row(s) {rows} skipped"))
    return ColumnMap(found, tuple(notices))


class RowChecker:
    """Parses rows one at a time; a later row repeating an earlier one's 编号 or unique field is
    an error. Keeps only the values seen (to find repeats), never the rows."""

    def __init__(
        self, spec: TableSpec, name: str, columns: ColumnMap, unique: Sequence[str] = ()
    ) -> None:
        self.spec = spec
        self.name = name
        self.columns = columns
        self.fields = ("code", *unique)
        self.absent = [
            c for c in spec.columns if c.key not in columns.present() and c.key != "code"
        ]
        self.first: dict[tuple[str, Any], int] = {}

    def check(self, source: SourceRow) -> CheckedRow:
        """The parsed values and errors of one row."""
        spec = self.spec
        cells = {col.key: source.cells[i] for i, col in self.columns.positions.items()}
        parsed = spec.parse(cells)
        row = CheckedRow(source, _without_absent(parsed.values, self.absent), typed=cells)
        row.explicit_code = bool(normalize(cells.get("code")))
        row.errors = [_row_error(spec, self.name, source.number, e) for e in parsed.errors]
        if row.ok:
            duplicate = _duplicate(spec, self.name, row, self.first, self.fields)
            if duplicate is not None:
                row.errors.append(duplicate)
        return row


def check_rows(
    spec: TableSpec,
    table: Table,
    columns: ColumnMap,
    unique: Sequence[str] = (),
    progress: Callable[[int], object] | None = None,
) -> list[CheckedRow]:
    """Parses every row of a table (a list: for small tables and tests; imports stream)."""
    checker = RowChecker(spec, table.name, columns, unique)
    checked = []
    for source in table.rows:
        checked.append(checker.check(source))
        if progress is not None:
            progress(1)
    return checked


def _without_absent(values: dict[str, Any], absent: Sequence[Column]) -> dict[str, Any]:
    """Drops the blanks of columns the file does not have, so stored values stay as they are."""
    out = dict(values)
    for col in absent:
        for name, empty in col.empty_values.items():
            if name in out and out[name] == empty:
                del out[name]
    return out


def _duplicate(
    spec: TableSpec,
    file: str,
    row: CheckedRow,
    first: dict[tuple[str, Any], int],
    fields: Sequence[str],
) -> RowError | None:
    for name in fields:
        value = row.values.get(name)
        if value is None or value == "":
            continue
        earlier = first.setdefault((name, value), row.source.number)
        if earlier != row.source.number:
            return _duplicate_error(spec, file, row, name, earlier)
    return None


def _duplicate_error(
    spec: TableSpec, file: str, row: CheckedRow, name: str, earlier: int
) -> RowError:
    if name == "code" and not row.explicit_code:
        cols = [column_for(spec, k) for k in spec.natural_key]
        shown = [c for c in cols if c is not None]
        header = "、".join(c.header for c in shown)
        header_en = ", ".join(c.header_en for c in shown)
        value = " / ".join(normalize(row.values.get(k)) for k in spec.natural_key)
    else:
        col = column_for(spec, name)
        header = col.header if col else name
        header_en = col.header_en if col else name
        value = normalize(row.values.get(name))
    return RowError(
        file,
        row.source.number,
        header,
        header_en,
        name,
        shown_value(name, value),
        f"与第{earlier}行重复({header}相同)",
        f"duplicate of row {earlier} (same {header_en})",
    )


def cell_text(value: Any) -> str:
    """A cell as text (a JSON list as its items joined)."""
    if isinstance(value, list | tuple):
        return "、".join(normalize(v) for v in value)
    return normalize(value)


def shown_value(name: str | None, value: str) -> str:
    """The cell as an error report may repeat it: personal data masked as everyone without
    the right to it sees it (138****5678, 李**), everything else as typed."""
    if name not in PERSONAL_FIELDS or not value:
        return value
    if name == "contact_mobile":
        return mask_mobile(value) or ""
    return mask_name(value) or ""


def mobile_detail(value: str) -> tuple[str, str]:
    """What is wrong with a typed mobile, without repeating it: its length and characters."""
    text = re.sub(r"[\s\-()]", "", value).removeprefix("+86")
    if not text:
        return "", ""
    if not text.isdigit():
        return "(所填含非数字字符)", " (it holds characters other than digits)"
    digits = len(text)
    if not text.startswith("1"):
        return f"(所填为{digits}位数字,不以1开头)", f" ({digits} digits, not starting with 1)"
    if digits == 11:  # 11 digits from 1, the second not 3-9: no mainland network has it
        return "(所填第2位应为3至9)", " (the second digit must be 3 to 9)"
    return f"(所填为{digits}位数字)", f" ({digits} digits typed)"


def column_for(spec: TableSpec, name: str) -> Column | None:
    """The column that fills a field ("organization_name" comes from "organization")."""
    for key in (name, name.removesuffix("_name")):
        for col in spec.columns:
            if col.key == key:
                return col
    return None


def _row_error(spec: TableSpec, file: str, number: int, error: CellError) -> RowError:
    col = column_for(spec, error.key) if error.key else None
    value = cell_text(error.value)
    reason, reason_en = error.reason, error.reason_en
    if error.key == "contact_mobile":
        more, more_en = mobile_detail(value)
        reason, reason_en = reason + more, reason_en + more_en
    return RowError(
        file,
        number,
        error.column,
        col.header_en if col else None,
        error.key,
        shown_value(error.key, value),
        reason,
        reason_en,
    )
