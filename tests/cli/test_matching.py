"""`factorlink match` and `factorlink reindex [--check]`, run for real against the test database."""

from __future__ import annotations

import json

from sqlalchemy import Table, delete
from typer.testing import CliRunner

from factorlink.achievement.models import Achievement
from factorlink.cli.main import app
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.matching.models import MatchChange
from factorlink.matching.service import TARGETS
from tests.introduction.builders import add_lead, add_listing

runner = CliRunner(env={"COLUMNS": "250"})  # wide enough that rich does not wrap

BATTERY = {
    "title": "电池包液冷板轻量化散热技术",
    "abstract": "铝合金液冷板拓扑优化,电池包减重25%。",
    "keywords": "电池包、液冷板、轻量化、散热",
    "industry": "新能源汽车",
}
PEROVSKITE = {
    "title": "钙钛矿叠层光伏组件",
    "abstract": "提升光电转换效率。",
    "keywords": "钙钛矿、光伏",
    "industry": "新能源",
}


def _world(database: Database) -> dict[str, int]:
    return {
        "demand": add_listing(database, "demand", keywords="电池包、散热、轻量化"),
        "solar": add_listing(database, "achievement", code="ACH-SOLAR", **PEROVSKITE),
        "battery": add_listing(database, "achievement", code="ACH-BATTERY", **BATTERY),
    }


def _row(output: str, kind: str) -> list[str]:
    """The cells of a kind's row in a printed table."""
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if cells and cells[0] == kind:
            return cells
    raise AssertionError(f"no row for {kind} in:\n{output}")


def test_match_prints_a_table_best_first_with_reasons(
    cli_env: Settings, database: Database
) -> None:
    ids = _world(database)
    result = runner.invoke(app, ["match", "demand", str(ids["demand"]), "--target", "achievement"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "电池包轻量化散热方案 → achievement" in out
    assert out.index("ACH-BATTERY") < out.index("ACH-SOLAR")
    battery = _row(out, "科技成果")
    assert battery[1] == "ACH-BATTERY"
    assert "轻量化" in battery[8] and "✓行业" in battery[9]
    # The command runs as the system: contacts in full.
    assert battery[10] == "李晓明 13812345678"


def test_match_json_is_the_api_shape(cli_env: Settings, database: Database) -> None:
    ids = _world(database)
    args = ["match", "demand", str(ids["demand"]), "--target", "achievement", "--json"]
    result = runner.invoke(app, [*args, "--limit", "1", "--method", "bm25"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["source_kind"], body["source_id"], body["target"], body["method"]) == (
        "demand",
        ids["demand"],
        "achievement",
        "bm25",
    )
    (best,) = body["items"]
    assert (best["id"], best["code"]) == (ids["battery"], "ACH-BATTERY")
    assert {"轻量化", "散热"} <= set(best["terms"])
    assert 0 < best["score"] <= 1 and best["semantic"] is None
    assert any(c["key"] == "industry" and c["met"] is True for c in best["criteria"])


def test_match_a_lead_to_capital(cli_env: Settings, database: Database) -> None:
    fund = add_listing(
        database, "capital", name="新能源汽车产业链基金", industries="新能源汽车", cities="嘉兴"
    )
    lead = add_lead(database, need="新能源汽车电池包项目融资", lead_type="资金")
    args = ["match", "lead", str(lead), "--target", "capital", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert [m["id"] for m in json.loads(result.stdout)["items"]] == [fund]


def test_match_refuses_a_wrong_direction_and_an_unknown_id(
    cli_env: Settings, database: Database
) -> None:
    ids = _world(database)
    wrong = runner.invoke(app, ["match", "demand", str(ids["demand"]), "--target", "capital"])
    assert wrong.exit_code == 1
    assert "demand 只能匹配: achievement, expert" in wrong.stderr
    assert "target" in wrong.stderr
    unknown = runner.invoke(app, ["match", "demand", "9999", "--target", "achievement"])
    assert unknown.exit_code == 1 and "demand 9999 not found" in unknown.stderr
    kind = runner.invoke(app, ["match", "spaceship", "1", "--target", "achievement"])
    assert kind.exit_code == 1 and "unknown kind 'spaceship'" in kind.stderr


def test_reindex_rebuilds_every_kind(cli_env: Settings, database: Database) -> None:
    _world(database)
    result = runner.invoke(app, ["reindex"])
    assert result.exit_code == 0, result.output
    assert _row(result.stdout, "achievement")[1] == "2"
    assert _row(result.stdout, "demand")[1] == "1"
    for kind in TARGETS:
        assert (cli_env.index_dir / kind.value / "CURRENT").is_file()


def test_reindex_check_reports_and_repairs_stale_text(
    cli_env: Settings, database: Database
) -> None:
    ids = _world(database)
    assert runner.invoke(app, ["reindex"]).exit_code == 0
    table = Achievement.__table__
    assert isinstance(table, Table)
    with database.unit_of_work() as session:
        # A hand-run SQL fix, and the log rows of that listing lost: nothing tells the index.
        session.execute(
            table.update()
            .where(table.c.id == ids["solar"])
            .values(title="电池包轻量化散热外壳", keywords=["电池包", "散热"])
        )
        session.execute(
            delete(MatchChange).where(
                MatchChange.kind == "achievement", MatchChange.factor_id == ids["solar"]
            )
        )
    args = ["match", "demand", str(ids["demand"]), "--target", "achievement", "--json"]

    result = runner.invoke(app, ["reindex", "--check"])
    assert result.exit_code == 0, result.output
    assert _row(result.stdout, "achievement")[1:] == ["2", "0", "0", "1"]
    assert _row(result.stdout, "demand")[1:] == ["1", "0", "0", "0"]
    solar = next(
        m for m in json.loads(runner.invoke(app, args).stdout)["items"] if m["id"] == ids["solar"]
    )
    assert "散热" in solar["terms"]

    again = runner.invoke(app, ["reindex", "--check"])
    assert _row(again.stdout, "achievement")[1:] == ["2", "0", "0", "0"]


def test_match_takes_collection_names_as_the_api_does(
    cli_env: Settings, database: Database
) -> None:
    ids = _world(database)
    args = ["match", "demands", str(ids["demand"]), "--target", "achievements", "--json"]
    result = runner.invoke(app, [*args, "--limit", "1", "--method", "bm25"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["source_kind"], body["target"]) == ("demand", "achievement")
    assert body["items"][0]["id"] == ids["battery"]
