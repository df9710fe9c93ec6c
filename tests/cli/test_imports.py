"""`factorlink import|export|template`, run for real against the test database."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from factorlink.achievement.models import Achievement
from factorlink.cli.main import app
from factorlink.config import Settings, get_settings
from factorlink.db.session import Database
from factorlink.imports.kinds import ImportKind, spec_of
from factorlink.imports.writers import write_rows
from tests.factories import MakeOrganization
from tests.imports.builders import achievement, dump, rows_grid, write_csv, write_jsonl, write_xlsx
from tests.kit.test_formulas import PAYLOADS, written_cells

runner = CliRunner()


def _count(database: Database) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(Achievement)) or 0)


def test_import_prints_counts_and_is_idempotent(
    cli_env: Settings, database: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "成果.csv", [achievement("A1"), achievement("A2")], "gbk")

    first = runner.invoke(app, ["import", str(path), "--kind", "achievement"])
    assert first.exit_code == 0, first.output
    assert "新增 2" in first.stdout and "未导入 0" in first.stdout
    assert _count(database) == 2

    second = runner.invoke(app, ["import", str(path), "--kind", "achievement"])
    assert second.exit_code == 0, second.output
    assert "新增 0" in second.stdout and "未变 2" in second.stdout


def test_failed_import_exits_1_prints_the_report_and_writes_nothing(
    cli_env: Settings, database: Database, make_org: MakeOrganization, tmp_path: Path
) -> None:
    make_org("浙江示例大学")
    write_csv(tmp_path / "old.csv", [achievement("OLD")])
    assert (
        runner.invoke(app, ["import", str(tmp_path / "old.csv"), "--kind", "achievement"]).exit_code
        == 0
    )
    before = dump(database)
    rows = [achievement("A1"), achievement("A2", **{"所在城市*": "北京"}), achievement("A1")]
    path = write_xlsx(tmp_path / "成果.xlsx", rows_grid(rows))

    result = runner.invoke(app, ["import", str(path), "--kind", "achievement"])

    assert result.exit_code == 1
    assert "导入失败" in result.stdout and "未写入任何数据" in result.stdout
    assert "北京" in result.stdout and "编号" in result.stdout
    assert dump(database) == before
    assert not (tmp_path / "成果.rejected.xlsx").exists()


def test_skip_invalid_writes_rejected_rows_beside_the_input(
    cli_env: Settings, database: Database, tmp_path: Path
) -> None:
    rows = [achievement("A1"), achievement("A2", 手机号="400-800"), achievement("A3")]
    path = write_csv(tmp_path / "成果.csv", rows, "gb18030")

    result = runner.invoke(app, ["import", str(path), "--kind", "achievement", "--skip-invalid"])

    assert result.exit_code == 0, result.output
    assert _count(database) == 2
    rejected = tmp_path / "成果.rejected.csv"
    assert str(rejected) in result.stdout.replace("\n", "")
    [header, row] = list(csv.reader(io.StringIO(rejected.read_text("utf-8-sig"))))
    assert header[-3:] == ["错误原因", "Error reason", "原行号"]
    assert row[0] == "A2" and row[-1] == "3" and "手机号" in row[-3]


def test_rejected_path_and_format_follow_the_options(
    cli_env: Settings, database: Database, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "成果.jsonl", [achievement("A1", 手机号="1")])
    target = tmp_path / "out" / "bad.jsonl"
    target.parent.mkdir()
    args = [
        "import",
        str(path),
        "--kind",
        "achievement",
        "--skip-invalid",
        "--rejected",
        str(target),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert '"错误原因": "手机号:' in target.read_text("utf-8")
    assert _count(database) == 0


def test_dry_run_counts_and_writes_nothing(
    cli_env: Settings, database: Database, make_org: MakeOrganization, tmp_path: Path
) -> None:
    make_org("浙江示例大学")
    old = write_csv(tmp_path / "old.csv", [achievement("OLD")])
    assert runner.invoke(app, ["import", str(old), "--kind", "achievement"]).exit_code == 0
    rows = [
        achievement("OLD", **{"参考价格(万元)": "999"}),  # would update
        achievement("A1", **{"所属机构*": "全新机构有限公司"}),  # would add an organisation
        achievement("A2", 手机号="1"),
    ]
    path = write_csv(tmp_path / "成果.csv", rows)
    before = dump(database)

    args = ["import", str(path), "--kind", "achievement", "--dry-run", "--skip-invalid"]
    result = runner.invoke(app, args)

    assert result.exit_code == 0, result.output
    assert "试运行" in result.stdout and "新增 1 · 更新 1" in result.stdout
    assert "未导入 1" in result.stdout
    assert dump(database) == before
    assert not (tmp_path / "成果.rejected.csv").exists()


def test_a_failed_import_prints_no_contact_name_or_mobile(
    cli_env: Settings, database: Database, tmp_path: Path
) -> None:
    long_name = "欧阳" * 26
    rows = [
        achievement("A1", 手机号="1391234567"),
        achievement("A2", 联系人=long_name),
        achievement("A3"),
    ]
    path = write_csv(tmp_path / "成果.csv", rows)

    failed = runner.invoke(app, ["import", str(path), "--kind", "achievement"])
    skipped = runner.invoke(app, ["import", str(path), "--kind", "achievement", "--skip-invalid"])

    assert failed.exit_code == 1 and "导入失败" in failed.stdout
    assert skipped.exit_code == 0, skipped.output
    for result in (failed, skipped):
        assert "手机号无效" in result.stdout and "联系人" in result.stdout
        # A part of the name: the table folds a long cell over lines.
        for personal in ("1391234567", long_name[:4], "李晓明", "13812345678"):
            assert personal not in result.output
    # The rejected-rows file is the operator's own data, kept as typed so it can be corrected.
    rejected = (tmp_path / "成果.rejected.csv").read_text("utf-8-sig")
    assert "1391234567" in rejected and long_name in rejected


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "文件为空"),
        ("成果.xlsx", "编号,成果名称\nA1,x\n".encode(), "文件不是有效的Excel(.xlsx)文件"),
        ("成果.csv", "编号,成果名称*\nA1,x\n".encode(), "缺少必填列"),
    ],
)
def test_bad_files_are_refused_clearly(
    cli_env: Settings, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["import", str(path), "--kind", "achievement"])
    assert result.exit_code == 1
    assert message in result.stderr


def test_a_missing_file_is_named(cli_env: Settings, tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", str(tmp_path / "nope.csv"), "--kind", "achievement"])
    assert result.exit_code == 1
    assert "文件不存在" in result.stderr


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "jsonl"])
def test_export_reimports_unchanged(
    cli_env: Settings, database: Database, tmp_path: Path, fmt: str
) -> None:
    path = write_csv(tmp_path / "成果.csv", [achievement("A1"), achievement("")])
    assert runner.invoke(app, ["import", str(path), "--kind", "achievement"]).exit_code == 0
    out = tmp_path / f"export.{fmt}"

    exported = runner.invoke(
        app, ["export", "--kind", "achievement", "--format", fmt, "--out", str(out)]
    )
    assert exported.exit_code == 0, exported.output
    assert "2" in exported.stdout
    again = runner.invoke(app, ["import", str(out), "--kind", "achievement"])
    assert again.exit_code == 0, again.output
    assert "未变 2" in again.stdout


def test_export_default_path(
    cli_env: Settings, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["export", "--kind", "expert", "--format", "csv"])
    assert result.exit_code == 0, result.output
    header = (tmp_path / "expert.csv").read_text("utf-8-sig").splitlines()[0]
    assert header == ",".join(c.display_header for c in spec_of(ImportKind.expert).columns)


def test_template_command_writes_the_workbook(cli_env: Settings, tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    result = runner.invoke(app, ["template", "--kind", "organization", "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert [c.value for c in book.worksheets[0][1] if c.value] == [
        c.display_header for c in spec_of(ImportKind.organization).columns
    ]
    assert book.sheetnames[1] == "说明"


def test_a_long_import_keeps_piped_output_clean(
    cli_env: Settings, database: Database, tmp_path: Path
) -> None:
    rows = [achievement(f"A{i:04d}") for i in range(600)]
    path = write_csv(tmp_path / "成果.csv", rows)
    result = runner.invoke(app, ["import", str(path), "--kind", "achievement"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("科技成果 成果.csv: 新增 600")
    assert "importing" not in result.output and "\r" not in result.output
    assert _count(database) == 600


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "jsonl"])
def test_export_and_rejected_rows_write_no_formula(
    cli_env: Settings, database: Database, tmp_path: Path, fmt: str
) -> None:
    rows = [achievement(f"A{i}", **{"成果名称*": p}) for i, p in enumerate(PAYLOADS)]
    source = write_jsonl(tmp_path / "hostile.jsonl", rows)
    assert runner.invoke(app, ["import", str(source), "--kind", "achievement"]).exit_code == 0
    with database.unit_of_work() as session:
        stored = sorted(session.scalars(select(Achievement.title)))

    out = tmp_path / f"export.{fmt}"
    args = ["export", "--kind", "achievement", "--format", fmt, "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    cells = written_cells(fmt, out.read_bytes())
    column = 1  # 成果名称, after 编号
    assert sorted(str(r[column]) for r in (cells if fmt == "jsonl" else cells[1:])) == stored

    if fmt == "jsonl":
        return
    refused = [{**r, "所在城市*": "北京"} for r in rows]
    grid = rows_grid(refused)
    bad = tmp_path / f"bad.{fmt}"
    bad.write_bytes(write_rows(fmt, grid[0], grid[1:]))
    args = ["import", str(bad), "--kind", "achievement", "--skip-invalid"]
    assert runner.invoke(app, args).exit_code == 0
    rejected = written_cells(fmt, (tmp_path / f"bad.rejected.{fmt}").read_bytes())
    assert [r[column] for r in rejected[1:]] == [r[column] for r in grid[1:]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "jsonl"])
def test_rejected_rows_are_written_in_the_format_their_suffix_names(
    cli_env: Settings, database: Database, tmp_path: Path, fmt: str
) -> None:
    """Issue 13, item 15: an .xlsx import with `--rejected out.csv` wrote xlsx bytes into it."""
    rows = [achievement("A1"), achievement("A2", 手机号="1")]
    path = write_xlsx(tmp_path / "成果.xlsx", rows_grid(rows))
    target = tmp_path / f"out.{fmt}"
    args = ["import", str(path), "--kind", "achievement", "--skip-invalid", "--rejected"]
    result = runner.invoke(app, [*args, str(target)])
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    if fmt == "xlsx":
        cells = [r for r in load_workbook(io.BytesIO(data)).worksheets[0].values]
        assert cells[1][0] == "A2"
    elif fmt == "csv":
        [header, row] = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert (header[0], row[0], row[-1]) == ("编号", "A2", "3")
    elif fmt == "json":
        [item] = json.loads(data)
        assert (item["编号"], item["原行号"]) == ("A2", 3)
    else:
        [line] = data.decode().splitlines()
        assert json.loads(line)["编号"] == "A2"
    assert _count(database) == 1


def test_a_rejected_file_suffix_that_cannot_be_written_is_refused_first(
    cli_env: Settings, database: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "成果.csv", [achievement("A1"), achievement("A2", 手机号="1")])
    target = tmp_path / "out.txt"
    args = ["import", str(path), "--kind", "achievement", "--skip-invalid", "--rejected"]
    result = runner.invoke(app, [*args, str(target)])
    assert result.exit_code == 1
    assert "须为.xlsx、.csv、.json或.jsonl" in result.output
    assert "must end in .xlsx, .csv, .json or .jsonl" in result.output
    assert not target.exists() and _count(database) == 0


def test_limits_are_named_and_never_a_traceback(
    cli_env: Settings, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTORLINK_IMPORT_MAX_ROWS", "3")
    monkeypatch.setenv("FACTORLINK_IMPORT_MAX_ERRORS", "2")
    get_settings.cache_clear()
    long = write_csv(tmp_path / "长.csv", [achievement(f"A{i}") for i in range(4)])
    result = runner.invoke(app, ["import", str(long), "--kind", "achievement"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "“长.csv”:数据行超过上限3行" in result.output
    assert "more than 3 data rows" in result.output and "Traceback" not in result.output

    bad = write_csv(tmp_path / "错.csv", [achievement(f"B{i}", 手机号="1") for i in range(3)])
    result = runner.invoke(app, ["import", str(bad), "--kind", "achievement", "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert "另有1条错误未列出" in result.output and "1 more error(s) not listed" in result.output
    with (tmp_path / "错.rejected.csv").open(encoding="utf-8-sig") as rejected:
        assert len(list(csv.reader(rejected))) == 1 + 2
    assert _count(database) == 0
