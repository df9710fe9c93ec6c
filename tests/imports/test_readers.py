"""Reading real files: encodings, formats, row numbers, and the files that must be refused."""

from __future__ import annotations

import codecs
import io
import json
import zipfile
from pathlib import Path

import pytest

from factorlink.errors import InvalidInput
from factorlink.imports import readers
from factorlink.imports.readers import (
    EXAMPLE_NOTE,
    MAX_LINE_CHARS,
    ImportLimits,
    Rows,
    read_table,
)
from tests.imports.builders import achievement, csv_bytes, rows_grid, write_xlsx


def _refusal(name: str, data: bytes) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        read_table(name, data)
    return caught.value


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_in_every_encoding_excel_writes(encoding: str) -> None:
    data = csv_bytes([achievement()], encoding)
    table = read_table("成果.csv", data)
    assert table.headers[0] == "编号"  # no BOM glued to the first header
    assert table.headers[1] == "成果名称*"
    assert next(iter(table.rows)).number == 2
    assert next(iter(table.rows)).cells[10] == "杭州市余杭区"


def test_gb18030_only_characters_survive() -> None:
    name = "𠮷祥新材料有限公司"  # 𠮷 is outside GBK: only GB18030 encodes it
    with pytest.raises(UnicodeEncodeError):
        name.encode("gbk")
    table = read_table("机构.csv", csv_bytes([{"机构名称": name, "所在城市": "嘉兴"}], "gb18030"))
    assert next(iter(table.rows)).cells == (name, "嘉兴")


def test_utf16_with_bom_and_tabs_as_excel_unicode_text() -> None:
    text = "机构名称\t所在城市\r\n示例公司\t合肥\r\n"
    table = read_table("机构.csv", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert table.headers == ("机构名称", "所在城市")
    assert next(iter(table.rows)).cells == ("示例公司", "合肥")


def test_csv_row_numbers_are_spreadsheet_rows() -> None:
    data = "\n\n机构名称,所在城市\n甲公司,合肥\n\n乙公司,宣城\n,\n".encode()
    table = read_table("机构.csv", data)
    assert [r.number for r in table.rows] == [4, 6]
    assert [r.cells for r in table.rows] == [("甲公司", "合肥"), ("乙公司", "宣城")]


def test_semicolon_separated_csv() -> None:
    table = read_table("机构.csv", "机构名称;所在城市\n甲公司;芜湖\n".encode())
    assert next(iter(table.rows)).cells == ("甲公司", "芜湖")


def test_xlsx_header_is_the_first_non_empty_row(tmp_path: Path) -> None:
    grid = [[], [None, None], *rows_grid([achievement("A1"), achievement("A2")])]
    path = write_xlsx(tmp_path / "成果.xlsx", grid)
    table = read_table(path.name, path.read_bytes())
    assert table.headers[:2] == ("编号", "成果名称*")
    assert [r.number for r in table.rows] == [4, 5]


def test_xlsx_keeps_typed_cells(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [["手机号", "参考价格(万元)"], [13812345678, 300]])
    table = read_table(path.name, path.read_bytes())
    assert next(iter(table.rows)).cells == (13812345678, 300)


def test_marked_example_row_is_skipped_and_noted(tmp_path: Path) -> None:
    header, values = rows_grid([achievement("EX")])
    grid = [header, [*values, EXAMPLE_NOTE], rows_grid([achievement("REAL")])[1]]
    path = write_xlsx(tmp_path / "a.xlsx", grid)
    table = read_table(path.name, path.read_bytes())
    assert table.example_rows == (2,)
    assert [r.cells[0] for r in table.rows] == ["REAL"]


def test_an_unmarked_row_that_looks_like_an_example_is_data(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", rows_grid([achievement("示例")]))
    table = read_table(path.name, path.read_bytes())
    assert table.example_rows == ()
    assert len(table.rows) == 1


def test_json_array_rows_are_numbered_by_position() -> None:
    data = json.dumps(
        [{"机构名称": "甲", "关键词": ["a", "b"]}, {"机构名称": "乙", "所在城市": "湖州"}],
        ensure_ascii=False,
    ).encode()
    table = read_table("机构.json", data)
    assert table.headers == ("机构名称", "关键词", "所在城市")
    assert [(r.number, r.cells) for r in table.rows] == [
        (1, ("甲", ["a", "b"], None)),
        (2, ("乙", None, "湖州")),
    ]


def test_jsonl_rows_are_numbered_by_line() -> None:
    data = '{"机构名称": "甲"}\n\n{"机构名称": "乙"}\n'.encode()
    table = read_table("机构.jsonl", data)
    assert [r.number for r in table.rows] == [1, 3]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.csv", b"", "文件为空"),
        ("blank.xlsx", b"  \n", "文件为空"),
        ("bom.csv", codecs.BOM_UTF8 + b"\r\n\r\n", "文件为空"),
        ("header.csv", "编号,成果名称\n\n".encode(), "没有数据行"),
        ("notes.xlsx", "机构名称,所在城市\n甲,合肥\n".encode(), "文件不是有效的Excel(.xlsx)文件"),
        ("list.txt", b"a,b\n", "不支持的文件类型"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "另存为.xlsx"),
        ("data.json", b'{"a": 1}', "对象数组"),
        ("data.json", b"[1, 2]", "第1条不是JSON对象"),
        ("data.json", b'[{"a": 1},\n {"a": }]', "第2行不是有效的JSON"),
        ("data.jsonl", b'{"a": 1}\n{"a": 2\n', "第2行不是有效的JSON"),
        ("binary.csv", bytes(range(256)) * 4, "无法识别文件编码"),
    ],
)
def test_refusals_name_the_file_and_reason(name: str, data: bytes, reason: str) -> None:
    error = _refusal(name, data)
    assert name in error.message
    assert reason in error.message
    assert error.message_en and name in error.message_en


def test_header_only_xlsx_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "h.xlsx", [["编号", "成果名称*"]])
    assert "没有数据行" in _refusal(path.name, path.read_bytes()).message


def test_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    error = _refusal("report.xlsx", buffer.getvalue())
    assert "文件不是有效的Excel(.xlsx)文件" in error.message
    assert "not a valid Excel (.xlsx) file" in (error.message_en or "")


def test_workbook_renamed_csv_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [["编号"], ["1"]])
    error = _refusal("a.csv", path.read_bytes())
    assert ".xlsx" in error.message


@pytest.mark.parametrize(
    ("encoding", "label", "header"),
    [
        ("big5", "Big5", "機構名稱,所在城市,統一社會信用代碼\n"),
        ("shift_jis", "Shift-JIS", "機関名,所在都市,連絡先\n"),
    ],
)
def test_big5_and_shift_jis_are_an_encoding_error(encoding: str, label: str, header: str) -> None:
    """They decode as GB18030 too, into nonsense headers ("missing required columns" before)."""
    body = "示範機構有限公司,嘉興,王建國\n" if encoding == "big5" else "見本株式会社,東京,山田\n"
    data = (header + body).encode(encoding)
    error = _refusal("机构.csv", data)
    assert f"“机构.csv”:文件编码似乎是{label}" in error.message
    assert "UTF-8、GBK、GB18030" in error.message
    assert error.message_en == (
        f"机构.csv: the text encoding looks like {label}, which is not supported; "
        "save the file as UTF-8, GBK or GB18030"
    )


def test_gbk_with_traditional_characters_in_the_rows_is_still_gbk() -> None:
    table = read_table("机构.csv", "机构名称,所在城市\n嘉興示範機構,嘉兴\n".encode("gbk"))
    assert [r.cells for r in table.rows] == [("嘉興示範機構", "嘉兴")]


def _grid_csv(count: int) -> bytes:
    return ("机构名称,所在城市\n" + "".join(f"公司{i},合肥\n" for i in range(count))).encode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl", "json"])
def test_more_rows_than_the_limit_are_refused_naming_it(tmp_path: Path, fmt: str) -> None:
    rows = [{"机构名称": f"公司{i}", "所在城市": "合肥"} for i in range(6)]
    if fmt == "xlsx":
        data = write_xlsx(tmp_path / "a.xlsx", rows_grid(rows)).read_bytes()
    elif fmt == "csv":
        data = csv_bytes(rows)
    elif fmt == "jsonl":
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    else:
        data = json.dumps(rows, ensure_ascii=False).encode()
    name = f"机构.{fmt}"
    assert len(read_table(name, data, ImportLimits(max_rows=6)).rows) == 6
    with pytest.raises(InvalidInput) as caught:
        read_table(name, data, ImportLimits(max_rows=5))
    assert caught.value.message == f"“{name}”:数据行超过上限5行,请拆分为多个文件后分别导入"
    assert caught.value.message_en == (
        f"{name}: more than 5 data rows, the limit of one import; split the file"
    )


def test_rows_are_read_again_each_time_not_kept() -> None:
    table = read_table("机构.csv", _grid_csv(3))
    assert isinstance(table.rows, Rows) and len(table.rows) == 3
    first, second = iter(table.rows), iter(table.rows)
    assert next(first).cells == next(second).cells == ("公司0", "合肥")
    assert [r.number for r in first] == [3, 4]


def _bomb(rows: int, path: Path) -> bytes:
    """A workbook of identical rows, deflated as tightly as zip can."""
    write_xlsx(path, [["机构名称", "所在城市"], *[["同一家公司", "合肥"]] * rows])
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    return buffer.getvalue()


def test_a_workbook_that_inflates_beyond_the_limit_is_refused_before_parsing(
    tmp_path: Path,
) -> None:
    data = _bomb(2000, tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        inflated = sum(i.file_size for i in archive.infolist())
    assert inflated > 10 * len(data)
    read_table("bomb.xlsx", data, ImportLimits(max_unzipped_bytes=inflated))
    with pytest.raises(InvalidInput) as caught:
        read_table("bomb.xlsx", data, ImportLimits(max_unzipped_bytes=inflated - 1))
    message = caught.value.message
    assert message.startswith("“bomb.xlsx”:工作簿解压后超过") and "的上限" in message
    assert "zip bomb" in (caught.value.message_en or "")


def test_a_part_read_whole_is_refused_beyond_its_share(tmp_path: Path) -> None:
    """The shared strings are kept in a list: they may use a quarter of the limit."""
    path = write_xlsx(tmp_path / "strings.xlsx", [["机构名称", "所在城市"], ["甲", "合肥"]])
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    strings = b"<sst>" + b"<si><t>ab</t></si>" * 10_000 + b"</sst>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in {**parts, "xl/sharedStrings.xml": strings}.items():
            archive.writestr(part, content)
    limit = 4 * len(strings) - 4  # the whole archive fits, the strings' quarter does not
    with pytest.raises(InvalidInput) as caught:
        read_table(path.name, buffer.getvalue(), ImportLimits(max_unzipped_bytes=limit))
    assert "(部件xl/sharedStrings.xml)" in caught.value.message
    assert "(part xl/sharedStrings.xml)" in (caught.value.message_en or "")


def test_a_line_of_millions_of_cells_is_refused() -> None:
    error = _refusal("wide.csv", b"a" + b"," * (MAX_LINE_CHARS + 1) + b"\n1\n")
    assert "第1行超过" in error.message


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_blank_rows_are_read_only_so_far(tmp_path: Path, fmt: str) -> None:
    """A file of a header, a data row and many blank ones: blank rows count towards twice the
    row limit (reading them costs time, and memory in a workbook)."""
    grid = [["机构名称", "所在城市"], ["甲", "合肥"], *[[" ", ""]] * 8]
    if fmt == "xlsx":
        data = write_xlsx(tmp_path / "a.xlsx", grid).read_bytes()
    else:
        data = "".join(f"{a},{b}\n" for a, b in grid).encode()
    name = f"空行.{fmt}"
    assert len(read_table(name, data, ImportLimits(max_rows=5)).rows) == 1
    with pytest.raises(InvalidInput) as caught:
        read_table(name, data, ImportLimits(max_rows=4))
    assert "文件超过8行(含空行),而数据行上限为4行" in caught.value.message
    assert "runs past row 8 (blank rows included)" in (caught.value.message_en or "")


@pytest.mark.parametrize("chunk", [5, 7, 64, 2**20])
def test_rows_of_a_workbook_are_counted_before_it_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """openpyxl reads a whole sheet that states no size when it opens the workbook: its rows
    are counted while inflating, tags cut between chunks included."""
    monkeypatch.setattr(readers, "_CHUNK", chunk)
    grid = [["机构名称", "所在城市"], *[["甲", "合肥"]] * 9]
    data = write_xlsx(tmp_path / "a.xlsx", grid).read_bytes()
    readers._check_archive("a.xlsx", data, ImportLimits(max_rows=5))  # 10 rows: just right
    with pytest.raises(InvalidInput) as caught:
        readers._check_archive("a.xlsx", data, ImportLimits(max_rows=4))
    assert "文件超过8行(含空行)" in caught.value.message
