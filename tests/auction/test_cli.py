"""`factorlink auction …`, run for real against the test database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from factorlink.auction.closing import CLOSE_GRACE
from factorlink.auction.models import Bidder, Lot
from factorlink.auth.models import Role, User
from factorlink.cli.main import app
from factorlink.config import Settings
from factorlink.db.session import Database
from tests.auction.conftest import Clock
from tests.factories import MakeActor, MakeOrganization
from tests.introduction.builders import add_listing

runner = CliRunner(env={"COLUMNS": "200"})


def _ok(*args: str) -> str:
    result = runner.invoke(app, ["auction", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_operator_runs_a_session_from_the_command_line(
    cli_env: Settings,
    database: Database,
    make_actor: MakeActor,
    make_org: MakeOrganization,
    auction_client: TestClient,
    clock: Clock,
) -> None:
    add_listing(database, "achievement", code="ACH-G60-1")
    now = datetime.now(UTC)
    clock.now = now
    starts = (now - timedelta(minutes=1)).isoformat()
    ends = (now + timedelta(hours=1)).isoformat()
    assert "session #1" in _ok(
        "create", "--title", "G60科拍会", "--starts", starts, "--ends", ends, "--bands", "0:10"
    )
    assert "第1号" in _ok("add-lot", "1", "--achievement", "ACH-G60-1", "--start", "200")
    _ok("open", "1")
    org = make_org()
    bidder = make_actor(Role.member, organization_id=org.id)
    with database.unit_of_work() as session:
        (lot,) = session.scalars(select(Lot)).all()
        user = session.get(User, bidder.user_id)
        assert user is not None
    assert "pending" in _ok("register", "1", "--user", user.username)
    with database.unit_of_work() as session:
        (registration,) = session.scalars(select(Bidder)).all()
    assert "approved" in _ok("approve", "1", str(registration.id), "--deposit", "10")
    assert "approved" in _ok("bidders", "1")

    response = auction_client.post(
        f"/api/v1/lots/{lot.id}/bids",
        json={"amount_wan": 260},
        headers={**bidder.headers, "Idempotency-Key": "cli-1"},
    )
    assert response.status_code == 201, response.text
    assert "closed 0" in _ok("close")  # not yet due
    with database.unit_of_work() as session:
        lot_row = session.get(Lot, lot.id)
        assert lot_row is not None
        lot_row.end_at = now - CLOSE_GRACE - timedelta(seconds=1)  # passed
    assert "closed 1" in _ok("close", "1")
    results = _ok("results", "1")
    assert "ACH-G60-1" in results and "200" in results and "竞买人 A 测试机构" in results


def test_bad_times_and_bands_are_named(cli_env: Settings) -> None:
    bad_time = runner.invoke(
        app, ["auction", "create", "--title", "x", "--starts", "明天", "--ends", "2027-01-01"]
    )
    assert bad_time.exit_code == 1 and "--starts" in bad_time.output
    bad_bands = runner.invoke(
        app,
        [
            "auction",
            "create",
            "--title",
            "x",
            "--starts",
            "2027-01-01T09:00",
            "--ends",
            "2027-01-01T10:00",
            "--bands",
            "0-1",
        ],
    )
    assert bad_bands.exit_code == 1 and "--bands" in bad_bands.output
    missing = runner.invoke(app, ["auction", "open", "99"])
    assert missing.exit_code == 1 and "99" in missing.output
