"""Reading import files (.xlsx, .csv, .json, .jsonl) into one table shape (pure: bytes in).

Row numbers are the ones the operator sees: the spreadsheet row (header row included) for
.xlsx and .csv, the line for .jsonl, the position in the array for .json. Anything that is not
what its name says is refused with a reason in Chinese and English.

Rows are streamed, never all held at once: `read_table` walks the file once to find the headers,
count the rows and refuse what breaks a limit (`ImportLimits`: rows, the unzipped size of a
workbook), and `Table.rows` walks it again, row by row, each time it is iterated.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, cast
from xml.etree import ElementTree

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from factorlink.config import Settings
from factorlink.errors import InvalidInput
from factorlink.kit.formulas import restore
from factorlink.validation.parsers import drop_controls, normalize

FORMATS = ("xlsx", "csv", "json", "jsonl")
# Templates put this note beside their example row, so the row is skipped rather than imported.
EXAMPLE_MARK = "示例行"
EXAMPLE_NOTE = "示例行:导入时忽略,可删除 (example row: ignored on import, may be deleted)"
# The text encodings a .csv/.json/.jsonl may use, as messages name them.
ENCODINGS = "UTF-8、GBK、GB18030"
ENCODINGS_EN = "UTF-8, GBK or GB18030"
# Legacy encodings that also decode as GB18030 (as nonsense): named when a header looks like one.
FOREIGN_ENCODINGS = (("big5", "Big5"), ("shift_jis", "Shift-JIS"))
# Parts of a workbook that openpyxl reads whole (styles, workbook, relations) are small in any
# real file; only worksheets (streamed) and the shared strings (a list) may grow with the rows.
MAX_WHOLE_PART_BYTES = 16 * 2**20
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_SHARED_STRINGS = "xl/sharedstrings.xml"
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_ROW_TAG_MAX = 64
_CHUNK = 2**20
# No listing has more columns, or a line longer, than these: a file that does is refused before
# its rows are read (a row of millions of empty cells would take more memory than the file).
MAX_COLUMNS = 1_000
MAX_LINE_CHARS = 2**20


@dataclass(frozen=True)
class ImportLimits:
    """What one import file may hold (`limits_of(settings)` gives the configured ones).

    max_rows: data rows (template example rows included). max_unzipped_bytes: the inflated size
    of all the parts of an .xlsx (declared, and counted while inflating); the shared-strings part
    may use a quarter of it. max_errors: row errors an import report keeps (the rest counted).
    """

    max_rows: int = 100_000
    max_unzipped_bytes: int = 200 * 2**20
    max_errors: int = 1_000


def limits_of(settings: Settings) -> ImportLimits:
    """The import limits a server or command runs with."""
    return ImportLimits(
        max_rows=settings.import_max_rows,
        max_unzipped_bytes=settings.import_max_unzipped_bytes,
        max_errors=settings.import_max_errors,
    )


@dataclass(frozen=True)
class SourceRow:
    """One data row: its number as the operator sees it, and its cells in header order."""

    number: int
    cells: tuple[Any, ...]


class Rows:
    """The data rows of a file: read afresh each time they are iterated, counted once."""

    def __init__(self, walk: Callable[[], Iterator[SourceRow]], count: int) -> None:
        self._walk = walk
        self._count = count

    def __iter__(self) -> Iterator[SourceRow]:
        return self._walk()

    def __len__(self) -> int:
        return self._count


@dataclass(frozen=True)
class Table:
    """The headers and data rows of one file."""

    name: str
    format: str
    headers: tuple[str, ...]
    rows: Rows
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


def read_table(name: str, data: bytes, limits: ImportLimits | None = None) -> Table:
    """Reads a file's headers and counts its rows; refuses empty, headerless, mislabelled or
    oversized files. The rows are read again, one by one, whenever `table.rows` is iterated."""
    limits = limits or ImportLimits()
    name = drop_controls(name)  # the name is stored as the records' source
    fmt = file_format(name)
    if not data or data.isspace():  # (strip() would copy the whole file)
        raise refuse(name, "文件为空", "the file is empty")
    if fmt == "xlsx":
        table = _grid(name, fmt, _xlsx_records(name, data, limits), limits)
    elif fmt == "csv":
        table = _grid(name, fmt, _csv_records(name, data), limits)
    else:
        table = _objects(name, fmt, _json_objects(name, fmt, data), limits)
    if not table.rows:
        raise refuse(name, "没有数据行(只有表头)", "no data rows (header only)")
    return table


def too_large(name: str, limit: int) -> InvalidInput:
    """The refusal of a file larger than an import may be (`Settings.import_max_bytes`)."""
    return refuse(name, f"文件超过{_size(limit)}的上限", f"the file is larger than {_size(limit)}")


def _check_extent(name: str, number: int, limit: int) -> None:
    """Blank rows are skipped, but reading them costs time (and, in a workbook, memory): a file
    may run to twice as many rows as it may hold data rows, no further."""
    if number > 2 * limit:
        raise refuse(
            name,
            f"文件超过{2 * limit:,}行(含空行),而数据行上限为{limit:,}行;请删除多余的空行或拆分文件",
            f"the file runs past row {2 * limit:,} (blank rows included) while the limit is "
            f"{limit:,} data rows; delete the blank rows or split the file",
        )


def too_many_rows(name: str, limit: int) -> InvalidInput:
    """The refusal of a file with more data rows than one import may load."""
    return refuse(
        name,
        f"数据行超过上限{limit:,}行,请拆分为多个文件后分别导入",
        f"more than {limit:,} data rows, the limit of one import; split the file",
    )


# --- .xlsx -----------------------------------------------------------------------------------

Records = Callable[[], Iterator[tuple[int, Sequence[Any]]]]
_NOT_XLSX = ("文件不是有效的Excel(.xlsx)文件", "the file is not a valid Excel (.xlsx) file")
_BROKEN = (
    InvalidFileException,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    ElementTree.ParseError,
    SyntaxError,  # lxml's XMLSyntaxError, when openpyxl parses with lxml
    KeyError,
    ValueError,
    TypeError,
    OSError,
    EOFError,
    NotImplementedError,
)


def _xlsx_records(name: str, data: bytes, limits: ImportLimits) -> Records:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise refuse(name, *_NOT_XLSX)
    _check_archive(name, data, limits)

    def records() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            # Workbooks saved by WPS and others draw style warnings that mean nothing to operators.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                book = _open_first_sheet(data)
            try:
                if not book.worksheets:
                    raise refuse(name, "工作簿中没有工作表", "the workbook has no worksheet")
                sheet = book.worksheets[0]
                rows = sheet.iter_rows(values_only=True)
                number = 0
                while True:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        cells = next(rows, None)
                    if cells is None:
                        return
                    number += 1
                    yield number, cells
            finally:
                book.close()
        except _BROKEN:
            raise refuse(name, *_NOT_XLSX) from None

    return records


class _UnsizedSheet(ReadOnlyWorksheet):
    """A read-only sheet that does not look for its size: openpyxl would read a whole sheet
    that does not state it (keeping a little of every row) before the first row is asked for;
    the rows are walked to their end anyway, and some writers state a wrong size."""

    def _get_size(self) -> None:
        self._max_row = self._max_column = None


class _FirstSheetReader(ExcelReader):
    """openpyxl's read-only reader that opens the first worksheet only, unsized."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                found = _UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
                cast(Any, self.wb)._sheets.append(found)  # as openpyxl's own reader does
                return


def _open_first_sheet(data: bytes) -> Workbook:
    reader = _FirstSheetReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read()
    book: Workbook = reader.wb
    return book


def _check_archive(name: str, data: bytes, limits: ImportLimits) -> None:
    """Refuses a workbook whose parts inflate beyond the limit (a zip bomb) before any is parsed:
    first by the sizes the archive declares, then by counting what inflating them gives. The rows
    of its worksheets are counted too: openpyxl reads a whole sheet that does not state its size
    when it opens the workbook, keeping a little of every row until it is done."""
    limit = limits.max_unzipped_bytes

    def too_big(part: str | None = None) -> InvalidInput:
        allowed = _size(_part_limit(part, limit) if part else limit)
        where, where_en = (f"(部件{part})", f" (part {part})") if part else ("", "")
        return refuse(
            name,
            f"工作簿解压后超过{allowed}的上限{where},可能是压缩炸弹;请删除多余内容或拆分文件",
            f"the workbook inflates beyond the limit of {allowed}{where_en}, "
            "perhaps a zip bomb; remove what is not needed or split the file",
        )

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if sum(p.file_size for p in parts) > limit:
                raise too_big()
            for part in parts:
                if part.file_size > _part_limit(part.filename, limit):
                    raise too_big(part.filename)
            inflated = rows = 0
            for part in parts:
                # zipfile stops at the declared size and checks the CRC; counted all the same.
                own = 0
                sheet = bool(_WORKSHEET.fullmatch(part.filename))
                tail = b""
                with archive.open(part) as stream:
                    while chunk := stream.read(_CHUNK):
                        own += len(chunk)
                        inflated += len(chunk)
                        if inflated > limit:
                            raise too_big()
                        if own > _part_limit(part.filename, limit):
                            raise too_big(part.filename)
                        if sheet:
                            # A tag cut between two chunks is counted in the next.
                            rows += len(_ROW_TAG.findall(tail + chunk))
                            tail = chunk[-_ROW_TAG_MAX:]
                            rows -= len(_ROW_TAG.findall(tail))
                            _check_extent(name, rows, limits.max_rows)
                if sheet:
                    rows += len(_ROW_TAG.findall(tail))
    except _BROKEN:
        raise refuse(name, *_NOT_XLSX) from None


def _size(count: int) -> str:
    return f"{count / 2**20:,.0f}MB" if count >= 2**20 else f"{count / 2**10:,.0f}KB"


def _part_limit(part: str, limit: int) -> int:
    if _WORKSHEET.fullmatch(part):
        return limit
    if part.lower() == _SHARED_STRINGS:
        return limit // 4
    if part.lower().startswith("xl/media/"):
        return limit  # pictures are never parsed
    return min(limit, MAX_WHOLE_PART_BYTES)


# --- text: .csv, .json, .jsonl -------------------------------------------------------------


def text_encoding(name: str, data: bytes) -> str:
    """The encoding of a text file: UTF-8 (with or without BOM), UTF-16 with BOM, or
    GBK/GB18030 as Excel writes it. Decoded a chunk at a time, never whole. Big5, Shift-JIS and
    binary files are refused with the encodings accepted."""
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
        if _decodes_as_text(data, encoding):
            if encoding == "gb18030":
                _refuse_foreign(name, data)
            return encoding
    raise refuse(
        name,
        f"无法识别文件编码,或文件不是文本文件(请使用{ENCODINGS}编码)",
        f"unknown text encoding or not a text file (use {ENCODINGS_EN})",
    )


def _decodes_as_text(data: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHUNK):
            if "\x00" in decoder.decode(view[start : start + _CHUNK]):
                return False
        return "\x00" not in decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False


def _refuse_foreign(name: str, data: bytes) -> None:
    """Big5 and Shift-JIS decode as GB18030 too, into nonsense: a header row (always simplified
    Chinese or ASCII) with characters outside GB2312 that reads as one of those is refused."""
    head = data[: 64 * 1024]
    text = codecs.getincrementaldecoder("gb18030")().decode(head)
    header = next((line for line in text.splitlines() if line.strip()), "")
    if all(_common(ch) for ch in header):
        return
    for codec, label in FOREIGN_ENCODINGS:
        try:
            codecs.getincrementaldecoder(codec)().decode(head)
        except UnicodeDecodeError:
            continue
        raise refuse(
            name,
            f"文件编码似乎是{label},不受支持;请另存为{ENCODINGS}编码",
            f"the text encoding looks like {label}, which is not supported; "
            f"save the file as {ENCODINGS_EN}",
        )


def _common(ch: str) -> bool:
    if ch.isascii():
        return True
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _lines(name: str, data: bytes, encoding: str) -> Iterator[str]:
    """The lines of a text file, endings kept, decoded as they are read."""
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    try:
        for number, line in enumerate(stream, start=1):
            if len(line) > MAX_LINE_CHARS:
                raise refuse(
                    name,
                    f"第{number}行超过{MAX_LINE_CHARS:,}个字符,不像是一行数据",
                    f"line {number} is longer than {MAX_LINE_CHARS:,} characters",
                )
            yield line
    finally:
        stream.detach()


def _csv_records(name: str, data: bytes) -> Records:
    encoding = text_encoding(name, data)
    first = next((line for line in _lines(name, data, encoding) if line.strip()), "")
    delimiter = max((",", "\t", ";"), key=first.count)

    def records() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            reader = csv.reader(_lines(name, data, encoding), delimiter=delimiter)
            # One record is one spreadsheet row, blank records included, as Excel numbers them.
            # A cell our own CSV marked as text (kit/formulas.py) reads back as the text it was.
            for number, row in enumerate(reader, start=1):
                yield number, [restore(c) for c in row]
        except csv.Error as exc:
            raise refuse(name, f"CSV格式错误:{exc}", f"malformed CSV: {exc}") from None

    return records


# --- rows of a grid ----------------------------------------------------------------------------


def _grid(name: str, fmt: str, records: Records, limits: ImportLimits) -> Table:
    """Takes the first non-empty row as the header and the non-empty rows below it as data;
    counts them (refusing more than the limit) without keeping any."""
    headers: tuple[str, ...] | None = None
    count = 0
    examples: list[int] = []
    for number, cells in records():
        _check_extent(name, number, limits.max_rows)
        if headers is None:
            if any(normalize(c) for c in cells):
                headers = _trim(tuple(normalize(c) for c in cells))
                _check_columns(name, len(headers))
            continue
        row = _data_row(number, cells, headers)
        if row is _EXAMPLE:
            examples.append(number)
        if row is not None:
            count += 1
            if count > limits.max_rows:
                raise too_many_rows(name, limits.max_rows)
    if headers is None:
        raise refuse(name, "文件为空", "the file is empty")
    found = headers
    count -= len(examples)

    def walk() -> Iterator[SourceRow]:
        started = False
        for number, cells in records():
            if not started:
                started = any(normalize(c) for c in cells)
                continue
            row = _data_row(number, cells, found)
            if row is not None and row is not _EXAMPLE:
                yield row

    return Table(name, fmt, found, Rows(walk, count), tuple(examples))


_EXAMPLE = SourceRow(0, ())


def _check_columns(name: str, count: int) -> None:
    if count > MAX_COLUMNS:
        raise refuse(
            name,
            f"列数超过上限{MAX_COLUMNS:,}列",
            f"more than {MAX_COLUMNS:,} columns",
        )


def _data_row(number: int, cells: Sequence[Any], headers: tuple[str, ...]) -> SourceRow | None:
    """A data row below the header; _EXAMPLE for a template's example row; None if blank."""
    if not any(normalize(c) for c in cells):
        return None
    if _is_example(cells, headers):
        return _EXAMPLE
    padded = tuple(cells[: len(headers)]) + (None,) * (len(headers) - len(cells))
    if any(normalize(c) for c in padded):
        return SourceRow(number, padded)
    return None


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


# --- .json, .jsonl ----------------------------------------------------------------------------

Objects = Callable[[], Iterator[tuple[int, dict[str, Any]]]]
_SPACE = re.compile(r"\s*")


def _json_objects(name: str, fmt: str, data: bytes) -> Objects:
    encoding = text_encoding(name, data)
    if fmt == "jsonl":

        def lines() -> Iterator[tuple[int, dict[str, Any]]]:
            for number, line in enumerate(_lines(name, data, encoding), start=1):
                if line.strip():
                    loaded = _load(name, line, number)
                    yield number, _object(name, loaded, f"第{number}行", f"line {number}")

        return lines
    text = data.decode(encoding)
    _array_start(name, text)

    def items() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, item in enumerate(_array_items(name, text), start=1):
            yield number, _object(name, item, f"第{number}条", f"item {number}")

    return items


def _array_start(name: str, text: str) -> int:
    """Where the first item of a JSON array starts; refuses anything but an array."""
    at = _skip(text, 0)
    if not text.startswith("[", at):
        raise refuse(name, "JSON文件应为对象数组", "a .json file must hold an array of objects")
    return at + 1


def _array_items(name: str, text: str) -> Iterator[Any]:
    """The items of a JSON array, decoded one at a time (the decoded items are not kept)."""
    decoder = json.JSONDecoder()
    at = _skip(text, _array_start(name, text))
    if text.startswith("]", at):
        _end(name, text, at + 1)
        return
    while True:
        try:
            item, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            raise _not_json(name, exc.lineno, exc.msg) from None
        except (ValueError, RecursionError):
            raise _too_deep(name, None) from None
        yield item
        at = _skip(text, at)
        if text.startswith(",", at):
            at = _skip(text, at + 1)
        elif text.startswith("]", at):
            _end(name, text, at + 1)
            return
        else:
            raise _not_json(name, _line_at(text, at), "Expecting ',' delimiter")


def _skip(text: str, at: int) -> int:
    found = _SPACE.match(text, at)
    return found.end() if found else at


def _line_at(text: str, at: int) -> int:
    return text.count("\n", 0, at) + 1


def _end(name: str, text: str, at: int) -> None:
    end = _skip(text, at)
    if end != len(text):
        raise _not_json(name, _line_at(text, end), "Extra data")


def _not_json(name: str, line: int, msg: str) -> InvalidInput:
    return refuse(
        name, f"第{line}行不是有效的JSON({msg})", f"line {line} is not valid JSON ({msg})"
    )


def _load(name: str, text: str, line: int) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _not_json(name, line, exc.msg) from None
    except (ValueError, RecursionError):
        # Nesting too deep, or a number too long to read: no listing looks like that.
        raise _too_deep(name, line) from None


def _too_deep(name: str, line: int | None) -> InvalidInput:
    where, where_en = (f"第{line}行", f"line {line}") if line else ("文件", "the file")
    return refuse(
        name,
        f"{where}的JSON嵌套过深或数字过长",
        f"{where_en}: JSON nested too deep or number too long",
    )


def _object(name: str, item: Any, where: str, where_en: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise refuse(name, f"{where}不是JSON对象", f"{where_en} is not a JSON object")
    return item


def _objects(name: str, fmt: str, objects: Objects, limits: ImportLimits) -> Table:
    """Lines up objects under the union of their keys, in order of first appearance; counts the
    rows (refusing more than the limit) in a first walk that keeps only the keys."""
    keys: dict[str, None] = {}
    count = 0
    for number, item in objects():
        _check_extent(name, number, limits.max_rows)
        keys.update(dict.fromkeys(str(k) for k in item))
        _check_columns(name, len(keys))
        if any(_filled(v) for v in item.values()):
            count += 1
            if count > limits.max_rows:
                raise too_many_rows(name, limits.max_rows)
    headers = tuple(keys)

    def walk() -> Iterator[SourceRow]:
        for number, item in objects():
            if any(_filled(v) for v in item.values()):
                by_key = {str(k): v for k, v in item.items()}
                yield SourceRow(number, tuple(by_key.get(h) for h in headers))

    return Table(name, fmt, headers, Rows(walk, count))


def _filled(value: Any) -> bool:
    return bool(value) if isinstance(value, list | dict) else bool(normalize(value))
