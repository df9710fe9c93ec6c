"""`factorlink index compute --pipeline FILE [--out DIR]`, end to end on real files."""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from factorlink.cli.main import app
from factorlink.composite.report import ECHARTS
from factorlink.config import Settings
from factorlink.db.session import Database
from tests.composite.conftest import CORRIDOR_PIPELINE, REPO
from tests.introduction.builders import add_listing, introduce

runner = CliRunner(env={"COLUMNS": "200"})


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_sample_corridor_index_from_one_command(tmp_path: Path) -> None:
    out = tmp_path / "index"
    result = runner.invoke(
        app, ["index", "compute", "--pipeline", str(CORRIDOR_PIPELINE), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "杭州" in result.stdout and "较2019年" in result.stdout
    names = {p.name for p in out.iterdir()}
    assert names == {
        "scores.csv",
        "growth.csv",
        "uncertainty.csv",
        "indicators.csv",
        "index.xlsx",
        "index.html",
    }

    scores = _rows(out / "scores.csv")
    assert len(scores) == 9 * 6 * 6  # cities × years × (5 dimensions + index)
    first = next(
        r
        for r in scores
        if r["年份 year"] == "2024" and r["代码 code"] == "g60_index" and r["排名 rank"] == "1"
    )
    assert first["名称 name"] in ("杭州", "苏州")
    growth = _rows(out / "growth.csv")
    overall = [r for r in growth if r["单位 unit"] == "_all" and r["年份 year"] == "2019"]
    assert {r["累计增长% cumulative"] for r in overall} == {"0.0"}
    intervals = _rows(out / "uncertainty.csv")
    assert len(intervals) == 9 and all(r["模拟次数 runs"] == "1000" for r in intervals)
    assert all(float(r["5%排名 p05"]) <= float(r["95%排名 p95"]) for r in intervals)

    book = load_workbook(out / "index.xlsx", read_only=True)
    assert book.sheetnames == ["得分与排名", "增长", "排名区间", "指标"]
    header = next(book["得分与排名"].iter_rows(values_only=True))
    assert header[:2] == ("年份 year", "单位 unit")
    book.close()

    html = (out / "index.html").read_text(encoding="utf-8")
    assert "样例数据" in html and "<script src" not in html  # nothing fetched: opens offline
    assert "杭州" in html and "累计增长" in html  # the tables are there either way
    if not ECHARTS.is_file():  # a clone without `make assets` (CI runs it)
        assert "ECharts not installed: tables only" in html
        return
    assert "echarts" in html and 'id="radar-8"' in html and 'id="ranks"' in html
    found = re.search(r"const DATA = (\{.*?\});\n", html)
    assert found, "the page carries its data"
    data = json.loads(found.group(1))
    assert data["dimensions"] == ["资源共享", "科创成效", "创新集群", "开放生态", "制度创新"]
    assert len(data["trend"]) == 9 and len(data["trend"][0]) == 6


def test_a_bad_pipeline_is_a_clear_error(tmp_path: Path) -> None:
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text(
        "framework: '@package/framework.yaml'\ndata: nowhere.csv\n"
        "steps:\n  - normalise: {method: squash}\n  - aggregate: {}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["index", "compute", "--pipeline", str(pipeline), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 1
    assert "steps[0].normalise.method" in result.stderr and "squash" in result.stderr
    assert not (tmp_path / "o").exists()


def test_missing_data_file_names_the_file(tmp_path: Path) -> None:
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text(
        "framework: '@package/framework.yaml'\ndata: nowhere.csv\n"
        "steps:\n  - normalise: {}\n  - aggregate: {}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["index", "compute", "--pipeline", str(pipeline)])
    assert result.exit_code == 1 and "nowhere.csv" in result.stderr


def test_platform_indicators_come_from_the_records(
    cli_env: Settings, database: Database, tmp_path: Path
) -> None:
    signed = datetime(2026, 3, 2, tzinfo=UTC)
    demand = add_listing(database, "demand")  # 嘉兴
    achievement = add_listing(database, "achievement")  # 杭州
    introduce(
        database,
        ("demand", demand),
        ("achievement", achievement),
        [
            ("contacted", signed, {}),
            ("negotiating", signed, {}),
            ("signed", signed, {"amount_wan": 260}),
        ],
        at=signed,
    )
    out = tmp_path / "platform"
    pipeline = REPO / "examples" / "corridor" / "platform-pipeline.yaml"
    result = runner.invoke(
        app, ["index", "compute", "--pipeline", str(pipeline), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    values = {
        (r["单位 unit"], r["代码 code"]): r["原始值 raw"]
        for r in _rows(out / "indicators.csv")
        if r["年份 year"] == "2026"
    }
    assert values[("jiaxing", "platform_deals")] == "1.0"
    assert values[("jiaxing", "platform_deal_amount")] == "260.0"
    assert values[("jiaxing", "platform_introductions")] == "1.0"
    assert values[("songjiang", "platform_deals")] == "0.0"
    assert values[("jiaxing", "platform_auction_turnover")] == "0.0"


def test_bad_data_rows_are_listed_with_row_and_column(
    tmp_path: Path, small_framework: Path
) -> None:
    (tmp_path / "data.csv").write_text(
        "城市,年份,deals,costs\n松江,2023,5,4\n北京,2023,1,1\n杭州,2023,很多,2\n", encoding="utf-8"
    )
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text(
        f"framework: {small_framework.name}\ndata: data.csv\nunits: corridor\n"
        "steps:\n  - normalise: {}\n  - aggregate: {}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["index", "compute", "--pipeline", str(pipeline)])
    assert result.exit_code == 1
    err = result.stderr
    assert "data.csv, row 3, 城市: 未知单位(城市)“北京”" in err and "unknown unit" in err
    assert "data.csv, row 4, deals: “很多”不是数值" in err and "is not a number" in err
