"""Auction fixtures: a controllable clock and a floor (an open session, a lot, approved bidders)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from factorlink.auction.schemas import ApprovalIn, BandIn, LotIn, SessionIn
from factorlink.auction.service import AuctionService
from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.config import Settings
from factorlink.db.session import Database
from tests.auction.server import Server
from tests.factories import Actor, MakeActor, MakeOrganization
from tests.introduction.builders import add_listing

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
ADMIN = Viewer(user_id=0, role=Role.admin)


@dataclass
class Clock:
    """A clock the test moves by hand: no sleeping."""

    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Floor:
    """An open session with one lot and its approved bidders."""

    session_id: int
    lot_id: int
    achievement_id: int
    bidders: list[Actor]
    bidder_orgs: list[int] = field(default_factory=list)


BuildFloor = Callable[..., Floor]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def auction_client(client: TestClient, clock: Clock) -> Iterator[TestClient]:
    """The test client, its auctions running on the test's clock."""
    cast(FastAPI, client.app).state.auction_clock = clock
    yield client


@pytest.fixture
def build_floor(
    database: Database, make_actor: MakeActor, make_org: MakeOrganization, clock: Clock
) -> BuildFloor:
    """Sets up a floor through the services, as an operator would."""

    def build(
        *,
        bidders: int = 2,
        start_wan: float = 200,
        reserve_wan: float | None = None,
        single_offer: bool = False,
        opens_at: datetime | None = None,
        minutes: float = 60,
        bands: list[dict[str, float]] | None = None,
        approve: bool = True,
        now: Callable[[], datetime] = clock,
        title: str | None = None,
    ) -> Floor:
        opens = opens_at or now() - timedelta(minutes=1)
        cells = {"title": title} if title else {}
        achievement_id = add_listing(database, "achievement", price_wan="300", **cells)
        with database.unit_of_work() as session:
            service = AuctionService(session, ADMIN, now)
            auction = service.create_session(
                SessionIn(
                    title="G60科技成果拍卖会(测试场)",
                    starts_at=opens,
                    ends_at=opens + timedelta(minutes=minutes),
                    bands=[BandIn(**b) for b in bands] if bands is not None else None,
                    deposit_wan=10,
                )
            )
            lot = service.add_lot(
                auction.id,
                LotIn(
                    achievement_id=achievement_id,
                    start_price_wan=start_wan,
                    reserve_price_wan=reserve_wan,
                    single_offer=single_offer,
                ),
            )
            service.open_session(auction.id)
            ids = (auction.id, lot.id)
        actors, orgs = [], []
        for _ in range(bidders):
            org = make_org()
            actor = make_actor(Role.member, organization_id=org.id)
            with database.unit_of_work() as session:
                member = Viewer(user_id=actor.user_id, role=Role.member, organization_id=org.id)
                bidder = AuctionService(session, member, now).register(ids[0])
                if approve:
                    AuctionService(session, ADMIN, now).decide(ids[0], bidder.id, ApprovalIn())
            actors.append(actor)
            orgs.append(org.id)
        return Floor(ids[0], ids[1], achievement_id, actors, orgs)

    return build


def bid(
    client: TestClient, floor: Floor, who: int, amount_wan: float, key: str | None = None
) -> Any:
    """Posts a bid of one of the floor's bidders."""
    headers = {**floor.bidders[who].headers, "Idempotency-Key": key or f"k-{who}-{amount_wan}"}
    return client.post(
        f"/api/v1/lots/{floor.lot_id}/bids", json={"amount_wan": amount_wan}, headers=headers
    )


@pytest.fixture
def live_server(settings: Settings, tmp_path: Path) -> Iterator[Server]:
    """A real server on the test's database, stopped after the test."""
    server = Server(settings, tmp_path / "server.log").start()
    yield server
    server.stop()
