"""Files built to break a reader are refused with a reason, never a 500."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from factorlink.errors import InvalidInput
from factorlink.imports.readers import read_table


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _workbook_without_sheets() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source:
        entries = {n: source.read(n).decode("utf-8") for n in source.namelist()}
    entries["xl/workbook.xml"] = entries["xl/workbook.xml"].split("<sheets>")[0] + (
        "<sheets></sheets>" + entries["xl/workbook.xml"].split("</sheets>")[1]
    )
    return _zip(entries)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("bad.xlsx", _zip({"[Content_Types].xml": "<"}), "Excel"),
        ("empty.xlsx", _workbook_without_sheets(), "工作"),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "嵌套"),
        ("long.json", b'[{"x": ' + b"1" * 5000 + b"}]", "数字过长"),
        ("long.jsonl", b'{"x": ' + b"1" * 5000 + b"}\n", "第1行"),
    ],
    ids=["bad-xml", "no-sheet", "deep-json", "long-number", "long-number-jsonl"],  # bytes vary
)
def test_hostile_files_are_refused(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_table(name, data)
    assert name in caught.value.message and reason in caught.value.message


def test_control_characters_leave_the_file_name() -> None:
    table = read_table("成果\x00清单.csv", "成果名称\n石墨烯\n".encode())
    assert table.name == "成果清单.csv"
