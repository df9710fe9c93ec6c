"""`factorlink intro add|move|show|list`, run for real against the test database."""

from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from factorlink.cli.main import app
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.introduction.models import Introduction, IntroductionStatus
from tests.introduction.builders import add_listing

runner = CliRunner(env={"COLUMNS": "200"})  # wide enough that rich does not wrap


def _intros(database: Database) -> list[Introduction]:
    with database.unit_of_work() as session:
        return list(session.scalars(select(Introduction).order_by(Introduction.id)))


def test_introduce_and_move_to_a_signed_deal(cli_env: Settings, database: Database) -> None:
    demand = add_listing(database, "demand")
    add_listing(database, "achievement", code="ACH-40")
    added = runner.invoke(
        app, ["intro", "add", "--a", f"demand:{demand}", "--b", "achievement:ACH-40"]
    )
    assert added.exit_code == 0, added.output
    (intro,) = _intros(database)
    assert f"对接 #{intro.id}" in added.stdout and "ACH-40" in added.stdout
    for step in ("contacted", "negotiating"):
        moved = runner.invoke(app, ["intro", "move", str(intro.id), "--to", step])
        assert moved.exit_code == 0, moved.output
    signed = runner.invoke(
        app, ["intro", "move", str(intro.id), "--to", "signed", "--amount", "260"]
    )
    assert signed.exit_code == 0, signed.output
    assert "260 万元" in signed.stdout
    (intro,) = _intros(database)
    assert (intro.status, intro.amount_wan) == (IntroductionStatus.signed, 260.0)
    assert intro.created_by_id is None  # the command line acts as the system
    listed = runner.invoke(app, ["intro", "list", "--status", "signed"])
    assert listed.exit_code == 0 and "total 1" in listed.stdout
    shown = runner.invoke(app, ["intro", "show", str(intro.id)])
    assert "negotiating → signed" in shown.stdout


def test_refused_moves_and_bad_parties_exit_1(cli_env: Settings, database: Database) -> None:
    demand, expert = add_listing(database, "demand"), add_listing(database, "expert")
    assert (
        runner.invoke(
            app, ["intro", "add", "--a", f"demand:{demand}", "--b", f"expert:{expert}"]
        ).exit_code
        == 0
    )
    (intro,) = _intros(database)
    skipped = runner.invoke(
        app, ["intro", "move", str(intro.id), "--to", "signed", "--amount", "1"]
    )
    assert skipped.exit_code == 1
    assert "可选的下一步" in skipped.stderr and "allowed next: contacted, closed" in skipped.stderr
    unknown = runner.invoke(
        app, ["intro", "add", "--a", "demand:DEM-NONE", "--b", f"expert:{expert}"]
    )
    assert unknown.exit_code == 1 and "DEM-NONE" in unknown.stderr
    malformed = runner.invoke(app, ["intro", "add", "--a", "planet:1", "--b", f"expert:{expert}"])
    assert malformed.exit_code == 1 and "KIND:ID" in malformed.stderr
    twice = runner.invoke(
        app, ["intro", "add", "--a", f"demand:{demand}", "--b", f"expert:{expert}"]
    )
    assert twice.exit_code == 1
    assert len(_intros(database)) == 1
