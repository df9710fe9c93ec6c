"""Exports and rejected-row files: written in full, and read back by the import."""

from __future__ import annotations

import codecs
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from factorlink.achievement.models import Achievement
from factorlink.capital.models import Capital
from factorlink.carrier.models import Carrier
from factorlink.db.session import Database
from factorlink.imports.kinds import ImportKind, spec_of
from factorlink.imports.readers import read_table
from factorlink.imports.service import ImportService
from factorlink.imports.writers import export_file, rejected_file
from tests.imports.builders import (
    ADMIN,
    achievement,
    dump,
    run_import,
    write_csv,
    write_jsonl,
)
from tests.kit.test_formulas import PAYLOADS, written_cells

KINDS = list(ImportKind)


def _export(database: Database, kind: ImportKind, fmt: str) -> bytes:
    with database.unit_of_work() as session:
        records = ImportService(session, ADMIN).export(kind)
    return export_file(spec_of(kind), records, fmt)


def _examples(kind: ImportKind) -> list[dict[str, Any]]:
    """The template's example row, and a variant with other cities, blanks and 面议."""
    spec = spec_of(kind)
    first = {c.display_header: c.example for c in spec.columns}
    second = dict(first)
    for col in spec.columns:
        header = col.display_header
        if col.key in ("name", "title"):
            second[header] = first[header] + "二期"
        elif col.key == "city":
            second[header] = "义乌"
        elif col.key in ("price_wan", "budget", "price"):
            second[header] = "面议"
        elif not col.required and col.key not in ("code", "city"):
            second[header] = ""
    return [first, second]


@pytest.mark.parametrize("kind", KINDS, ids=str)
@pytest.mark.parametrize("fmt", ["xlsx", "csv", "jsonl"])
def test_an_export_reimports_unchanged(
    database: Database, tmp_path: Path, kind: ImportKind, fmt: str
) -> None:
    source = write_csv(tmp_path / "in.csv", _examples(kind))
    assert run_import(database, kind, source).created == 2
    before = dump(database)

    exported = tmp_path / f"out.{fmt}"
    exported.write_bytes(_export(database, kind, fmt))
    report = run_import(database, kind, exported)

    assert report.counts() == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert dump(database) == before


def test_csv_export_has_a_bom_and_the_display_headers(database: Database, tmp_path: Path) -> None:
    run_import(database, ImportKind.achievement, write_csv(tmp_path / "a.csv", [achievement()]))
    data = _export(database, ImportKind.achievement, "csv")
    assert data.startswith(codecs.BOM_UTF8)
    header = data.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == [c.display_header for c in spec_of(ImportKind.achievement).columns]
    assert "杭州余杭区" in data.decode("utf-8-sig")  # the district goes out with the city


def test_xlsx_export_opens_with_bold_headers(database: Database, tmp_path: Path) -> None:
    run_import(database, ImportKind.achievement, write_csv(tmp_path / "a.csv", [achievement()]))
    book = load_workbook(io.BytesIO(_export(database, ImportKind.achievement, "xlsx")))
    sheet = book.worksheets[0]
    assert sheet.title == "科技成果"
    assert sheet["B1"].value == "成果名称*" and sheet["B1"].font.bold
    mobile = next(cell.column_letter for cell in sheet[1] if cell.value == "手机号")
    assert sheet[f"{mobile}2"].value == "13812345678"


def test_jsonl_export_uses_plain_chinese_keys(database: Database, tmp_path: Path) -> None:
    run_import(database, ImportKind.achievement, write_csv(tmp_path / "a.csv", [achievement()]))
    [line] = _export(database, ImportKind.achievement, "jsonl").decode().splitlines()
    record = json.loads(line)
    assert record["成果名称"] == "高导热石墨烯复合散热膜制备技术ACH-0001"
    assert record["合作方式"] == "转让、许可"


def test_carriers_and_capital_keep_their_structured_values(
    database: Database, tmp_path: Path
) -> None:
    run_import(
        database, ImportKind.carrier, write_csv(tmp_path / "c.csv", _examples(ImportKind.carrier))
    )
    run_import(
        database, ImportKind.capital, write_csv(tmp_path / "k.csv", _examples(ImportKind.capital))
    )
    with database.unit_of_work() as session:
        carrier = session.scalars(select(Carrier).order_by(Carrier.id)).first()
        capital = session.scalars(select(Capital).order_by(Capital.id)).first()
        assert carrier is not None and capital is not None
        assert (carrier.area_sqm, carrier.price_unit, carrier.district) == (
            5000,
            "元/㎡/天",
            "松江经济技术开发区",
        )
        assert capital.cities == ["songjiang", "hangzhou", "hefei"]
        assert (capital.ticket_min_wan, capital.ticket_max_wan) == (500, 3000)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl", "json"])
def test_rejected_file_has_original_cells_and_reasons(
    database: Database, tmp_path: Path, fmt: str
) -> None:
    source = write_csv(tmp_path / "a.csv", [achievement("A1"), achievement("A2", 手机号="12345")])
    report = run_import(database, ImportKind.achievement, source, skip_invalid=True)
    report.format = fmt  # as if the operator had sent this format

    table = read_table(f"a.rejected.{fmt}", rejected_file(report))

    assert table.headers[-3:] == ("错误原因", "Error reason", "原行号")
    [row] = table.rows
    cells = dict(zip(table.headers, row.cells, strict=True))
    assert cells["编号"] == "A2" and cells["手机号"] == "12345"
    assert str(cells["原行号"]) == "3"
    assert cells["错误原因"].startswith("手机号: 手机号无效")
    assert cells["Error reason"].startswith("Mobile: invalid mobile number")


def _hostile_achievements(tmp_path: Path) -> Path:
    rows = [
        achievement(f"ACH-{i:04d}", **{"成果名称*": p, "联系人": p[:40], "关键词": p})
        for i, p in enumerate(PAYLOADS)
    ]
    return write_jsonl(tmp_path / "hostile.jsonl", rows)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "jsonl"])
def test_exports_keep_formula_like_text_as_text_and_reimport_unchanged(
    database: Database, tmp_path: Path, fmt: str
) -> None:
    assert run_import(database, ImportKind.achievement, _hostile_achievements(tmp_path)).created
    with database.unit_of_work() as session:
        titles = sorted(t for t in session.scalars(select(Achievement.title)))
    before = dump(database)

    data = _export(database, ImportKind.achievement, fmt)
    cells = written_cells(fmt, data)
    exported = sorted(str(row[1]) for row in cells[1 if fmt != "jsonl" else 0 :])
    assert exported == titles  # the stored text, not a character more or less

    (tmp_path / f"out.{fmt}").write_bytes(data)
    report = run_import(database, ImportKind.achievement, tmp_path / f"out.{fmt}")
    assert report.counts()["unchanged"] == len(PAYLOADS)
    assert dump(database) == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_rejected_rows_keep_formula_like_cells_as_text(
    database: Database, tmp_path: Path, fmt: str
) -> None:
    rows = [
        achievement(f"ACH-{i:04d}", **{"成果名称*": p, "所在城市*": "北京"})
        for i, p in enumerate(PAYLOADS)
    ]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    report = run_import(database, ImportKind.achievement, source, skip_invalid=True)
    assert report.counts()["rejected"] == len(PAYLOADS)

    cells = written_cells(fmt, rejected_file(report, fmt))

    title = cells[0].index("成果名称*")
    written = [row[title] for row in cells[1:]]
    assert written == [r.cells[title] for r in report.rejected_rows]
    assert {str(c) for c in written} >= {p for p in PAYLOADS if not p.startswith(("\t", "\r"))}
