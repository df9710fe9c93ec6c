"""Closing: lazily on read after the end, results, settlement into the statistics."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from typer.testing import CliRunner

from factorlink.auction.closing import CLOSE_GRACE
from factorlink.auction.models import AuctionSession, LotResult, SessionStatus
from factorlink.auction.schemas import LotIn, SessionIn
from factorlink.auction.service import AuctionService
from factorlink.auth.models import Role
from factorlink.cli.main import app
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.introduction.models import Introduction, IntroductionStatus, PartyKind
from tests.auction.conftest import ADMIN, BuildFloor, Clock, Floor, bid
from tests.auction.server import Server
from tests.factories import MakeActor, MakeOrganization
from tests.introduction.builders import add_listing


def test_a_lot_closes_on_the_first_read_after_its_end_and_reaches_the_stats(
    auction_client: TestClient,
    build_floor: BuildFloor,
    clock: Clock,
    database: Database,
    make_actor: MakeActor,
) -> None:
    floor = build_floor(bidders=2, start_wan=200, bands=[{"from_wan": 0, "step_wan": 10}])
    assert bid(auction_client, floor, 0, 300).status_code == 201
    assert bid(auction_client, floor, 1, 290).status_code == 201  # price 300 (290 + 10)
    clock.advance(hours=2)
    lot = auction_client.get(f"/api/v1/lots/{floor.lot_id}", headers=floor.bidders[0].headers)
    body = lot.json()
    assert body["status"] == "closed"
    assert body["result"] | {"closed_at": None} == {
        "sold": True,
        "hammer_price_wan": 300.0,
        "premium_wan": 100.0,
        "premium_pct": 50.0,
        "winner_label": "竞买人 A",
        "closed_at": None,
        "introduction_id": None,  # staff only
        "winner_organization": None,
    }
    assert body["mine"]["status"] == "won"
    loser = auction_client.get(f"/api/v1/lots/{floor.lot_id}", headers=floor.bidders[1].headers)
    assert loser.json()["mine"]["status"] == "lost"
    late = bid(auction_client, floor, 1, 400)
    assert late.status_code == 409 and "结束" in late.json()["detail"]

    with database.unit_of_work() as session:
        (result,) = session.scalars(select(LotResult)).all()
        intro = session.get(Introduction, result.introduction_id)
        assert intro is not None
        assert (intro.status, intro.amount_wan) == (IntroductionStatus.signed, 300.0)
        assert (intro.party_a_kind, intro.party_a_id) == (
            PartyKind.achievement,
            floor.achievement_id,
        )
        assert (intro.party_b_kind, intro.party_b_id) == (
            PartyKind.organization,
            floor.bidder_orgs[0],
        )
    admin = make_actor("admin").headers
    staff_view = auction_client.get(f"/api/v1/lots/{floor.lot_id}", headers=admin).json()
    assert staff_view["result"]["introduction_id"] == result.introduction_id
    assert staff_view["result"]["winner_organization"].startswith("测试机构")
    stats = auction_client.get("/api/v1/stats", headers=admin).json()
    assert stats["deals"]["count"] == 1 and stats["deals"]["amount_wan"] == 300.0
    session_out = auction_client.get(f"/api/v1/auctions/{floor.session_id}").json()
    assert session_out["status"] == "closed"


def test_no_sale_below_the_reserve(
    auction_client: TestClient, build_floor: BuildFloor, clock: Clock, database: Database
) -> None:
    floor = build_floor(bidders=1, reserve_wan=500)
    assert bid(auction_client, floor, 0, 300).status_code == 201
    clock.advance(hours=2)
    body = auction_client.get(f"/api/v1/lots/{floor.lot_id}").json()
    assert body["result"]["sold"] is False and body["result"]["winner_label"] is None
    with database.unit_of_work() as session:
        assert session.scalars(select(Introduction)).all() == []


def test_single_offer_lot_sells_to_the_first_bid(
    auction_client: TestClient, build_floor: BuildFloor
) -> None:
    floor = build_floor(bidders=2, single_offer=True, start_wan=120)
    sold = bid(auction_client, floor, 0, 120)
    assert sold.status_code == 201 and sold.json()["price_wan"] == 120.0
    body = auction_client.get(f"/api/v1/lots/{floor.lot_id}").json()
    assert body["status"] == "closed" and body["result"]["hammer_price_wan"] == 120.0
    assert bid(auction_client, floor, 1, 130).status_code == 409


def test_staff_close_step_closes_only_what_is_due(
    auction_client: TestClient, build_floor: BuildFloor, clock: Clock, make_actor: MakeActor
) -> None:
    floor = build_floor(bidders=1)
    admin = make_actor("admin").headers
    url = f"/api/v1/auctions/{floor.session_id}/close"
    assert auction_client.post(url, headers=admin).json()["lots"][0]["status"] == "open"
    clock.advance(hours=2)
    closed = auction_client.post(url, headers=admin).json()
    assert closed["lots"][0]["status"] == "closed" and closed["status"] == "closed"
    assert closed["lots"][0]["result"]["sold"] is False
    assert auction_client.post(url, headers=floor.bidders[0].headers).status_code == 403


@pytest.mark.parametrize("minutes_before_end", [4, 6])
def test_anti_sniping_only_in_the_last_minutes(
    auction_client: TestClient, build_floor: BuildFloor, clock: Clock, minutes_before_end: int
) -> None:
    floor = build_floor(bidders=1, minutes=60)
    clock.advance(minutes=59 - minutes_before_end)  # the floor opened a minute ago
    assert bid(auction_client, floor, 0, 300).json()["extended"] is (minutes_before_end < 5)


def stuck_session(
    auction_client: TestClient, build_floor: BuildFloor, clock: Clock, database: Database
) -> Floor:
    """A session left open after its only lot closed (as two lots closing at once could leave
    one before the session row was locked)."""
    floor = build_floor(bidders=1)
    clock.advance(hours=2)
    assert auction_client.get(f"/api/v1/lots/{floor.lot_id}").json()["status"] == "closed"
    with database.unit_of_work() as session:
        session.execute(
            update(AuctionSession)
            .where(AuctionSession.id == floor.session_id)
            .values(status=SessionStatus.open)
        )
    return floor


def test_the_close_step_repairs_a_session_its_lots_left_open(
    auction_client: TestClient,
    build_floor: BuildFloor,
    clock: Clock,
    database: Database,
    make_actor: MakeActor,
    make_org: MakeOrganization,
) -> None:
    floor = stuck_session(auction_client, build_floor, clock, database)
    url = f"/api/v1/auctions/{floor.session_id}"
    late = make_actor(Role.member, organization_id=make_org().id)
    refused = auction_client.post(f"{url}/bidders", headers=late.headers)
    assert refused.status_code == 409 and "已结束" in refused.json()["detail"]
    closed = auction_client.post(f"{url}/close", headers=make_actor("admin").headers)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_the_close_command_repairs_a_session_its_lots_left_open(
    auction_client: TestClient,
    build_floor: BuildFloor,
    clock: Clock,
    database: Database,
    cli_env: Settings,
) -> None:
    floor = stuck_session(auction_client, build_floor, clock, database)
    result = CliRunner().invoke(app, ["auction", "close", str(floor.session_id)])
    assert result.exit_code == 0, result.output
    assert f"session #{floor.session_id}: closed" in result.stdout
    assert auction_client.get(f"/api/v1/auctions/{floor.session_id}").json()["status"] == "closed"


def test_two_servers_closing_lots_at_once_close_every_session(
    database: Database, settings: Settings, tmp_path: Path, make_actor: MakeActor
) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("two processes racing to close: PostgreSQL (SQLite writers take turns)")
    now = datetime.now(UTC)
    ends = now + timedelta(seconds=3)
    sessions, lots = [], []
    for s in range(4):
        with database.unit_of_work() as session:
            service = AuctionService(session, ADMIN)
            sessions.append(
                service.create_session(
                    SessionIn(
                        title=f"并发结束场{s}", starts_at=now - timedelta(minutes=1), ends_at=ends
                    )
                ).id
            )
        for n in range(5):
            achievement = add_listing(database, "achievement", title=f"并发结束拍品{s}-{n}")
            with database.unit_of_work() as session:
                body = LotIn(achievement_id=achievement, start_price_wan=10)
                lots.append(AuctionService(session, ADMIN).add_lot(sessions[-1], body).id)
        with database.unit_of_work() as session:
            AuctionService(session, ADMIN).open_session(sessions[-1])
    servers = [Server(settings, tmp_path / f"server{n}.log").start() for n in range(2)]
    try:
        time.sleep(max(0.0, (ends + CLOSE_GRACE - datetime.now(UTC)).total_seconds()) + 0.2)
        barrier = threading.Barrier(len(lots) * 2)

        def read(n: int) -> int:
            server, lot_id = servers[n % 2], lots[n // 2]
            with httpx.Client(base_url=server.url, timeout=30) as http:
                barrier.wait()
                return http.get(f"/api/v1/lots/{lot_id}").status_code

        with ThreadPoolExecutor(max_workers=len(lots) * 2) as pool:
            assert set(pool.map(read, range(len(lots) * 2))) == {200}
    finally:
        for server in servers:
            server.stop()
    with database.unit_of_work() as session:
        statuses = session.scalars(
            select(AuctionSession.status).where(AuctionSession.id.in_(sessions))
        ).all()
        results = session.scalars(select(LotResult)).all()
    assert len(results) == len(lots)  # every lot closed once
    assert list(statuses) == [SessionStatus.closed] * 4
