"""Reading import files (.xlsx, .csv, .json, .jsonl) into one table shape (pure: bytes in).

Row numbers are the ones the operator sees: the spreadsheet row (header row included) for
.xlsx and .csv, the line for .jsonl, the position in the array for .json. Anything that is not
what its name says is refused with a reason in Chinese and English.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from factorlink.errors import InvalidInput
from factorlink.kit.formulas import restore
from factorlink.validation.parsers import drop_controls, normalize

FORMATS = ("xlsx", "csv", "json", "jsonl")
# The largest file an upload (API or web page) may carry.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# Templates put this note beside their example row, so the row is skipped rather than imported.
EXAMPLE_MARK = "示例行"
EXAMPLE_NOTE = "示例行:导入时忽略,可删除 (example row: ignored on import, may be deleted)"


@dataclass(frozen=True)
class SourceRow:
    """One data row: its number as the operator sees it, and its cells in header order."""

    number: int
    cells: tuple[Any, ...]


@dataclass(frozen=True)
class Table:
    """The headers and data rows of one file."""

    name: str
    format: str
    headers: tuple[str, ...]
    rows: tuple[SourceRow, ...]
    example_rows: tuple[int, ...] = ()


def refuse(name: str, reason: str, reason_en: str) -> InvalidInput:
    """The error for a file that cannot be read at all."""
    return InvalidInput(
        f"“{name}”:{reason}",
        message_en=f"{name}: {reason_en}",
        errors=[{"file": name, "field": "file", "reason": reason, "reason_en": reason_en}],
    )


def file_format(name: str) -> str:
    """The format named by a file's extension, or a clear refusal."""
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    if suffix in ("xls", "et", "wps", "numbers", "ods"):
        return _raise(
            name, "不支持该表格格式,请另存为.xlsx", "unsupported format; save it as .xlsx"
        )
    return _raise(
        name,
        f"不支持的文件类型“.{suffix}”,请使用.xlsx、.csv、.json或.jsonl",
        f"unsupported file type '.{suffix}': use .xlsx, .csv, .json or .jsonl",
    )


def _raise(name: str, reason: str, reason_en: str) -> str:
    raise refuse(name, reason, reason_en)


def read_table(name: str, data: bytes) -> Table:
    """Reads a file's headers and data rows; refuses empty, headerless or mislabelled files."""
    name = drop_controls(name)  # the name is stored as the records' source
    fmt = file_format(name)
    if not data.strip():
        raise refuse(name, "文件为空", "the file is empty")
    if fmt == "xlsx":
        table = _grid(name, fmt, _xlsx_rows(name, data))
    elif fmt == "csv":
        table = _grid(name, fmt, _csv_rows(name, data))
    else:
        table = _objects(name, fmt, _json_objects(name, fmt, data))
    if not table.rows:
        raise refuse(name, "没有数据行(只有表头)", "no data rows (header only)")
    return table


def _xlsx_rows(name: str, data: bytes) -> list[tuple[int, Sequence[Any]]]:
    not_xlsx = ("文件不是有效的Excel(.xlsx)文件", "the file is not a valid Excel (.xlsx) file")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise refuse(name, *not_xlsx)
    try:
        # Workbooks saved by WPS and others draw style warnings that mean nothing to operators.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                if not book.worksheets:
                    raise refuse(name, "工作簿中没有工作表", "the workbook has no worksheet")
                sheet = book.worksheets[0]
                sheet.reset_dimensions()  # some writers record a wrong sheet size
                return list(enumerate(sheet.iter_rows(values_only=True), start=1))
            finally:
                book.close()
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        ElementTree.ParseError,
        KeyError,
        ValueError,
        TypeError,
        OSError,
    ):
        raise refuse(name, *not_xlsx) from None


def decode_text(name: str, data: bytes) -> str:
    """Decodes UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030 as Excel writes it."""
    if data.startswith(b"PK\x03\x04"):
        raise refuse(
            name,
            "文件是Excel工作簿而不是文本,请使用.xlsx扩展名",
            "the file is an Excel workbook, not text; use the .xlsx extension",
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates: tuple[str, ...] = ("utf-16",)
    else:
        candidates = ("utf-8-sig", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise refuse(
        name,
        "无法识别文件编码,或文件不是文本文件(请使用UTF-8或GBK编码)",
        "unknown text encoding or not a text file (use UTF-8 or GBK)",
    )


def _csv_rows(name: str, data: bytes) -> list[tuple[int, Sequence[Any]]]:
    text = decode_text(name, data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", "\t", ";"), key=first.count)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        # One record is one spreadsheet row, blank records included, as Excel numbers them.
        # A cell our own CSV marked as text (kit/formulas.py) reads back as the text it was.
        return [(n, [restore(c) for c in row]) for n, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise refuse(name, f"CSV格式错误:{exc}", f"malformed CSV: {exc}") from None


def _grid(name: str, fmt: str, rows: Iterable[tuple[int, Sequence[Any]]]) -> Table:
    """Takes the first non-empty row as the header and the non-empty rows below it as data."""
    headers: tuple[str, ...] | None = None
    data: list[SourceRow] = []
    examples: list[int] = []
    for number, cells in rows:
        if not any(normalize(c) for c in cells):
            continue
        if headers is None:
            headers = _trim(tuple(normalize(c) for c in cells))
            continue
        if _is_example(cells, headers):
            examples.append(number)
            continue
        padded = tuple(cells[: len(headers)]) + (None,) * (len(headers) - len(cells))
        if any(normalize(c) for c in padded):
            data.append(SourceRow(number, padded))
    if headers is None:
        raise refuse(name, "文件为空", "the file is empty")
    return Table(name, fmt, headers, tuple(data), tuple(examples))


def _trim(headers: tuple[str, ...]) -> tuple[str, ...]:
    end = len(headers)
    while end and not headers[end - 1]:
        end -= 1
    return headers[:end]


def _is_example(cells: Sequence[Any], headers: Sequence[str]) -> bool:
    """A template's example row carries EXAMPLE_MARK in a column without a header."""
    for index, cell in enumerate(cells):
        unlabelled = index >= len(headers) or not headers[index]
        if unlabelled and normalize(cell).startswith(EXAMPLE_MARK):
            return True
    return False


def _json_objects(name: str, fmt: str, data: bytes) -> list[tuple[int, dict[str, Any]]]:
    text = decode_text(name, data)
    if fmt == "jsonl":
        return [
            (number, _object(name, _load(name, line, number), f"第{number}行", f"line {number}"))
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip()
        ]
    loaded = _load(name, text, None)
    if not isinstance(loaded, list):
        raise refuse(name, "JSON文件应为对象数组", "a .json file must hold an array of objects")
    return [
        (number, _object(name, item, f"第{number}条", f"item {number}"))
        for number, item in enumerate(loaded, start=1)
    ]


def _load(name: str, text: str, line: int | None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        at = line or exc.lineno
        raise refuse(
            name,
            f"第{at}行不是有效的JSON({exc.msg})",
            f"line {at} is not valid JSON ({exc.msg})",
        ) from None
    except (ValueError, RecursionError):
        # Nesting too deep, or a number too long to read: no listing looks like that.
        where, where_en = (f"第{line}行", f"line {line}") if line else ("文件", "the file")
        raise refuse(
            name,
            f"{where}的JSON嵌套过深或数字过长",
            f"{where_en}: JSON nested too deep or number too long",
        ) from None


def _object(name: str, item: Any, where: str, where_en: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise refuse(name, f"{where}不是JSON对象", f"{where_en} is not a JSON object")
    return item


def _objects(name: str, fmt: str, items: list[tuple[int, dict[str, Any]]]) -> Table:
    """Lines up objects under the union of their keys, in order of first appearance."""
    keys: dict[str, None] = {}
    for _, item in items:
        keys.update(dict.fromkeys(str(k) for k in item))
    headers = tuple(keys)
    rows = tuple(
        SourceRow(number, tuple(item.get(h) for h in headers))
        for number, item in items
        if any(_filled(v) for v in item.values())
    )
    return Table(name, fmt, headers, rows)


def _filled(value: Any) -> bool:
    return bool(value) if isinstance(value, list | dict) else bool(normalize(value))
