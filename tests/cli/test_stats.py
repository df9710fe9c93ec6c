"""`factorlink stats [--json] [--from] [--to] [--city]`, against known data."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from typer.testing import CliRunner

from factorlink.cli.main import app
from factorlink.config import Settings
from factorlink.db.session import Database
from tests.introduction.builders import add_listing, introduce

runner = CliRunner(env={"COLUMNS": "200"})  # wide enough that rich does not wrap


def _deal(database: Database) -> None:
    """One open introduction, and one 嘉兴 → 杭州 deal of 260 万元 signed in March 2026."""
    demand, achievement = add_listing(database, "demand"), add_listing(database, "achievement")
    introduce(database, ("demand", demand), ("achievement", achievement))
    signed = datetime(2026, 3, 2, tzinfo=UTC)
    demand2 = add_listing(database, "demand", title="另一需求")
    introduce(
        database,
        ("demand", demand2),
        ("achievement", achievement),
        [
            ("contacted", signed, {}),
            ("negotiating", signed, {}),
            ("signed", signed, {"amount_wan": 260}),
        ],
        at=signed,
    )


def test_stats_json_is_one_object(cli_env: Settings, database: Database) -> None:
    _deal(database)
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    # A deal counts for the cities of both parties (嘉兴 → 杭州).
    assert report["deals"]["by_city"] == [
        {"key": "hangzhou", "label": "杭州", "count": 1, "amount_wan": 260.0},
        {"key": "jiaxing", "label": "嘉兴", "count": 1, "amount_wan": 260.0},
    ]
    assert report["deals"]["by_month"][0]["key"] == "2026-03"
    assert report["introductions"]["total"] == 2 and report["introductions"]["conversion"] == 0.5
    assert report["introductions"]["cross_city_share"] == 1.0
    filtered = json.loads(runner.invoke(app, ["stats", "--json", "--from", "2026-04"]).stdout)
    assert filtered["deals"]["count"] == 0


def test_stats_prints_tables(cli_env: Settings, database: Database) -> None:
    _deal(database)
    result = runner.invoke(app, ["stats", "--city", "嘉兴"])
    assert result.exit_code == 0, result.output
    for text in ("嘉兴", "260.00", "2026-03", "新能源汽车", "科技成果"):
        assert text in result.stdout


def test_stats_rejects_a_bad_month(cli_env: Settings, database: Database) -> None:
    result = runner.invoke(app, ["stats", "--to", "2026-3"])
    assert result.exit_code == 1 and "2026-3" in result.stderr


def test_stats_city_takes_a_name_and_refuses_an_unknown_one(
    cli_env: Settings, database: Database
) -> None:
    _deal(database)
    by_name = json.loads(runner.invoke(app, ["stats", "--json", "--city", "嘉兴市"]).stdout)
    assert by_name["filters"]["city"] == "jiaxing" and by_name["deals"]["count"] == 1
    result = runner.invoke(app, ["stats", "--city", "nowhere"])
    assert result.exit_code == 1 and "nowhere" in result.stderr
