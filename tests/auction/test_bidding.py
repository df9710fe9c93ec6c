"""The bid path: bids timed on receipt, lots that do not wait for each other, and every keyed
attempt answered alike when retried (refusals too)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, cast

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from factorlink.auction import units
from factorlink.auction.bidding import BidRequest
from factorlink.auction.desk import BidDesk
from factorlink.auction.models import Answer, AuditEntry, Bid, Lot
from factorlink.auth.models import User
from factorlink.auth.repository import TokenRepository
from factorlink.auth.tokens import digest
from factorlink.db.session import Database
from tests.auction.conftest import BuildFloor, Clock, Floor, bid


def end_of(database: Database, lot_id: int) -> Any:
    with database.unit_of_work() as session:
        lot = session.get(Lot, lot_id)
        assert lot is not None
        return lot.end_at


@contextmanager
def hot(database: Database, lot_id: int) -> Iterator[None]:
    """The lot's writer busy: a transaction holds what a bid on it must wait for (SQLite: the
    database's write lock; PostgreSQL: the lot's row)."""
    if database.engine.dialect.name == "sqlite":
        path = database.engine.url.database
        assert path is not None
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.rollback()
            conn.close()
        return
    with database.engine.connect() as held:
        held.execute(select(Lot).where(Lot.id == lot_id).with_for_update())
        try:
            yield
        finally:
            held.rollback()


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def test_a_hot_lot_beside_a_lot_about_to_end(
    auction_client: TestClient, build_floor: BuildFloor, clock: Clock, database: Database
) -> None:
    busy = build_floor(bidders=3, start_wan=100, bands=[{"from_wan": 0, "step_wan": 1}])
    ending = build_floor(bidders=1, start_wan=100, title="低温等离子体表面改性装备")
    end = end_of(database, ending.lot_id)
    clock.now = end - timedelta(milliseconds=100)
    desk = cast(BidDesk, cast(FastAPI, auction_client.app).state.auction_desk)
    on_postgres = database.engine.dialect.name == "postgresql"

    with ThreadPoolExecutor(max_workers=46) as pool, hot(database, busy.lot_id):
        crowd = [
            pool.submit(bid, auction_client, busy, n % 3, 101 + n, f"hot-{n}") for n in range(45)
        ]
        wait_until(lambda: desk.waiting(busy.lot_id) == 45, "the hot lot's bids")
        late: Future[httpx.Response] = pool.submit(bid, auction_client, ending, 0, 150, "late")
        wait_until(lambda: desk.waiting(ending.lot_id) == 1 or late.done(), "the late bid")
        clock.advance(seconds=1)  # the end passes while the bid waits for its turn
        if on_postgres:  # lots run side by side: answered while the hot lot is still held
            assert late.result(timeout=30).status_code == 201
    answer = late.result(timeout=30)
    assert answer.status_code == 201, answer.text
    assert answer.json()["placed_at"].startswith(
        (end - timedelta(milliseconds=100)).isoformat()[:23]
    )
    assert answer.json()["extended"] is True  # judged at receipt: in the last five minutes
    assert all(f.result().status_code in (201, 409) for f in crowd)
    with database.unit_of_work() as session:
        (stored,) = session.scalars(select(Bid).where(Bid.lot_id == ending.lot_id)).all()
        assert stored.placed_at == end - timedelta(milliseconds=100)
    # A bid received after the (extended) end is refused, however soon it is decided.
    clock.advance(minutes=5)
    after = bid(auction_client, ending, 0, 300, "after")
    assert after.status_code == 409 and "结束" in after.json()["detail"]


def floor_with_a_leader(client: TestClient, build_floor: BuildFloor) -> Floor:
    floor = build_floor(bidders=2, start_wan=100, bands=[{"from_wan": 0, "step_wan": 1}])
    assert bid(client, floor, 0, 130, "lead").status_code == 201  # price 100
    return floor


def test_a_refused_attempt_is_answered_alike_when_retried(
    auction_client: TestClient, build_floor: BuildFloor, clock: Clock, database: Database
) -> None:
    floor = floor_with_a_leader(auction_client, build_floor)
    low = bid(auction_client, floor, 1, 100, "k")
    assert low.status_code == 409 and low.json()["errors"][0]["minimum_wan"] == "101"
    assert bid(auction_client, floor, 1, 120, "k2").status_code == 201  # the price is now 121
    again = bid(auction_client, floor, 1, 100, "k")
    assert (again.status_code, again.json()) == (409, low.json())  # not "minimum 122"
    assert again.headers["Idempotent-Replayed"] == "true"
    other = bid(auction_client, floor, 1, 500, "k")  # the refused key, another bid: not a bid
    assert other.status_code == 409 and "Idempotency-Key" in other.json()["detail"]
    clock.advance(hours=2)
    assert bid(auction_client, floor, 1, 100, "k").json() == low.json()  # not "closed"
    with database.unit_of_work() as session:
        assert len(session.scalars(select(Bid)).all()) == 2
        refused = session.scalars(select(Answer).where(Answer.idempotency_key == "k")).one()
        assert (refused.status, refused.bid_id) == (409, None)
        events = session.scalars(select(AuditEntry.event).order_by(AuditEntry.id)).all()
    assert events == ["accepted", "rejected", "accepted", "replayed", "rejected", "replayed"]


def test_every_kind_of_refusal_is_kept_with_its_key(
    auction_client: TestClient, build_floor: BuildFloor, clock: Clock
) -> None:
    floor = build_floor(bidders=1, approve=False)
    unapproved = bid(auction_client, floor, 0, 300, "u")
    assert unapproved.status_code == 403
    missing = auction_client.post(
        "/api/v1/lots/999999/bids",
        json={"amount_wan": 1},
        headers={**floor.bidders[0].headers, "Idempotency-Key": "m"},
    )
    assert missing.status_code == 404
    again = auction_client.post(
        "/api/v1/lots/999999/bids",
        json={"amount_wan": 1},
        headers={**floor.bidders[0].headers, "Idempotency-Key": "m"},
    )
    assert (again.status_code, again.json()) == (404, missing.json())
    assert bid(auction_client, floor, 0, 300, "u").json() == unapproved.json()
    assert bid(auction_client, floor, 0, 301, "u").status_code == 409  # another bid, same key


def test_retries_waiting_together_are_one_bid(
    auction_client: TestClient, build_floor: BuildFloor, database: Database
) -> None:
    floor = build_floor(bidders=1, start_wan=100)
    with ThreadPoolExecutor(max_workers=4) as pool, hot(database, floor.lot_id):
        desk = cast(BidDesk, cast(FastAPI, auction_client.app).state.auction_desk)
        first = pool.submit(bid, auction_client, floor, 0, 150, "once")
        wait_until(lambda: desk.waiting(floor.lot_id) == 1, "the first bid")
        same = [pool.submit(bid, auction_client, floor, 0, 150, "once") for _ in range(2)]
        other = pool.submit(bid, auction_client, floor, 0, 160, "once")
        wait_until(lambda: desk.waiting(floor.lot_id) == 4, "the retries")
    answers = [f.result() for f in (first, *same)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert other.result().status_code == 409
    with database.unit_of_work() as session:
        assert len(session.scalars(select(Bid)).all()) == 1


def test_a_batch_checks_each_token_as_it_stands(
    build_floor: BuildFloor, database: Database, clock: Clock
) -> None:
    """A batch reads its bidders' tokens in one statement, and still checks each as it stands
    in that unit: one revoked (as a password change revokes them all), one unknown and one of
    a disabled account are refused (401) beside the bid that is taken, whose token's last use
    is noted."""
    floor = build_floor(bidders=3, start_wan=100)
    tokens = [b.headers["Authorization"].removeprefix("Bearer ") for b in floor.bidders]
    with database.unit_of_work() as session:
        TokenRepository(session).revoke_all(floor.bidders[1].user_id, clock())
        disabled = session.get(User, floor.bidders[2].user_id)
        assert disabled is not None
        disabled.is_active = False
    requests = [
        BidRequest(token, floor.lot_id, 1_500_000, key, clock())
        for token, key in (
            (tokens[0], "a"),
            (tokens[1], "b"),
            ("flk_unknown", "c"),
            (tokens[2], "d"),
        )
    ]
    answers = units.place_bids(database, requests, clock)
    assert [a.refusal.status if a.refusal else 201 for a in answers] == [201, 401, 401, 401]
    with database.unit_of_work() as session:
        used = TokenRepository(session).by_digest(digest(tokens[0]))
        assert used is not None and used.last_used_at is not None
        assert session.scalars(select(Bid.idempotency_key)).all() == ["a"]


def test_labels_given_in_committed_batches_are_not_read_again(
    build_floor: BuildFloor, database: Database, clock: Clock
) -> None:
    """A bidder's label on a lot never changes once stored: the batches after the one that gave
    it take it from what this process learnt instead of reading the lot's bids for it, and a
    bidder new to the lot is still read and gets the next label."""
    floor = build_floor(bidders=3, start_wan=100)
    tokens = [b.headers["Authorization"].removeprefix("Bearer ") for b in floor.bidders]
    reads: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "auction_bids.label" in statement:
            reads.append(statement)

    def place(who: int, amount_yuan: int, key: str) -> Any:
        request = BidRequest(tokens[who], floor.lot_id, amount_yuan, key, clock())
        (answer,) = units.place_bids(database, [request], clock)
        assert answer.receipt is not None, answer.refusal
        return answer.receipt

    first = place(0, 2_000_000, "a")
    second = place(1, 3_000_000, "b")
    event.listen(database.engine, "before_cursor_execute", seen)
    try:
        again = [place(0, 4_000_000, "c"), place(1, 5_000_000, "d")]
        assert reads == []  # both labels known from the batches that gave them
        newcomer = place(2, 6_000_000, "e")
        assert len(reads) == 1  # the third bidder's, read once
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)
    assert [first.label, second.label] == ["竞买人 A", "竞买人 B"]
    assert [r.label for r in again] == ["竞买人 A", "竞买人 B"]
    assert newcomer.label == "竞买人 C"
    with database.unit_of_work() as session:
        stored = session.execute(select(Bid.idempotency_key, Bid.label).order_by(Bid.id)).all()
    assert [tuple(row) for row in stored] == [
        ("a", "竞买人 A"),
        ("b", "竞买人 B"),
        ("c", "竞买人 A"),
        ("d", "竞买人 B"),
        ("e", "竞买人 C"),
    ]


def test_a_busy_lots_next_batch_does_not_wait_for_the_event_loop(
    auction_client: TestClient, build_floor: BuildFloor, database: Database
) -> None:
    """A lot's writer takes the bids that queued during a batch as its next batch as soon as
    that batch committed, in its own thread: an event loop busy with something else (here:
    blocked outright) does not hold the next batch up, only the sending of the answers."""
    floor = build_floor(bidders=3, start_wan=100, bands=[{"from_wan": 0, "step_wan": 1}])
    desk = cast(BidDesk, cast(FastAPI, auction_client.app).state.auction_desk)
    portal = auction_client.portal
    assert portal is not None
    loop_free = threading.Event()

    async def busy_loop() -> None:
        loop_free.wait(60)  # holds the event loop's thread, as a long computation would

    def answers_stored() -> int:
        with database.unit_of_work() as session:
            return len(session.scalars(select(Answer.id)).all())

    with ThreadPoolExecutor(max_workers=8) as pool:
        try:
            with hot(database, floor.lot_id):
                first = pool.submit(bid, auction_client, floor, 0, 101, "first")
                wait_until(lambda: desk.waiting(floor.lot_id) == 1, "the first batch")
                crowd = [
                    pool.submit(bid, auction_client, floor, n % 3, 102 + n, f"crowd-{n}")
                    for n in range(6)
                ]
                wait_until(lambda: desk.waiting(floor.lot_id) == 7, "the next batch")
                portal.start_task_soon(busy_loop)
            # The lock is free: both batches are decided and committed while the loop is held.
            wait_until(lambda: answers_stored() == 7, "both batches, the loop busy")
        finally:
            loop_free.set()
        answers = [first.result(), *(c.result() for c in crowd)]
    assert answers[0].status_code == 201
    assert {a.status_code for a in answers} <= {201, 409}  # 409: outbid before its turn
