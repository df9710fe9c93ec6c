"""A busy session for counting SQL statements: many lots, a bidder on each, some already sold.

Used by the API's and the pages' tests that a session reads in as many statements whatever its
number of lots (`counting` records what an engine sends, as `bench_auction --statements` does).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, event

from factorlink.auction import units
from factorlink.auction.clock import Clock
from factorlink.auction.schemas import ApprovalIn, BandIn, LotIn, SessionIn
from factorlink.auction.service import AuctionService
from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
from tests.factories import Actor
from tests.introduction.builders import add_listing

ADMIN = Viewer(user_id=0, role=Role.admin)


def crowd(database: Database, clock: Clock, lots: int, bidder: Actor) -> int:
    """An open session of `lots` lots on which `bidder` (a member of an organisation) has bid
    each; every second lot has closed since, sold to them. Returns the session's id."""
    now = clock()
    with database.unit_of_work() as session:
        service = AuctionService(session, ADMIN, clock)
        auction = service.create_session(
            SessionIn(
                title=f"G60科拍会({lots}件)",
                starts_at=now - timedelta(minutes=1),
                ends_at=now + timedelta(hours=2),
                bands=[BandIn(from_wan=0, step_wan=1)],
            )
        )
        session_id = auction.id
    lot_ids = []
    for n in range(lots):
        achievement = add_listing(database, "achievement", title=f"高导热石墨烯散热膜{lots}-{n}")
        closes = now + timedelta(minutes=30) if n % 2 else None
        with database.unit_of_work() as session:
            body = LotIn(achievement_id=achievement, start_price_wan=10, closes_at=closes)
            lot_ids.append(AuctionService(session, ADMIN, clock).add_lot(session_id, body).id)
    with database.unit_of_work() as session:
        AuctionService(session, ADMIN, clock).open_session(session_id)
        member = Viewer(
            user_id=bidder.user_id, role=Role.member, organization_id=bidder.organization_id
        )
        registration = AuctionService(session, member, clock).register(session_id)
        AuctionService(session, ADMIN, clock).decide(session_id, registration.id, ApprovalIn())
    token = bidder.headers["Authorization"].removeprefix("Bearer ")
    for lot_id in lot_ids:
        answer = units.place_bid(database, token, lot_id, 100_000, f"crowd-{lot_id}", clock)
        assert answer.receipt is not None, answer.refusal
    later = now + timedelta(minutes=31)
    for lot_id in lot_ids[1::2]:
        assert units.close_lot_if_due(database, lot_id, lambda: later, None)
    return session_id


@contextmanager
def counting(engine: Engine, *, this_thread: bool = False) -> Iterator[list[str]]:
    """The SQL statements the engine sends inside the block (only by this thread: those of
    the block itself while other threads use the database too)."""
    seen: list[str] = []
    here = threading.get_ident()

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not this_thread or threading.get_ident() == here:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
