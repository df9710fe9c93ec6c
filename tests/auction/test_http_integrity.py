"""Integrity over real HTTP against a real server: concurrency, idempotency, kill -9.

Every acknowledged bid must be stored, none lost, the prices never go down, one winner; the
lot's stored state must equal the state rebuilt by the pure rules from the stored bids.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import httpx
from sqlalchemy import func, select

from factorlink.auction import rules
from factorlink.auction.models import AuctionSession, AuditEntry, Bid, Lot, LotResult
from factorlink.auction.terms import lot_terms
from factorlink.auction.units import close_lot_if_due
from factorlink.db.session import Database
from tests.auction.conftest import BuildFloor, Floor
from tests.auction.server import Server

STEP = [{"from_wan": 0, "step_wan": 1}]


def real_now() -> datetime:
    return datetime.now(UTC)


def post_bid(
    client: httpx.Client, floor: Floor, who: int, amount_wan: float, key: str
) -> httpx.Response:
    """Posts a bid; a busy answer (503) is retried with the same key, as clients should."""
    headers = {**floor.bidders[who].headers, "Idempotency-Key": key}
    while True:
        response = client.post(
            f"/api/v1/lots/{floor.lot_id}/bids", json={"amount_wan": amount_wan}, headers=headers
        )
        if response.status_code != 503:
            return response


def stored(database: Database, lot_id: int) -> tuple[Lot, AuctionSession, list[Bid], int]:
    with database.unit_of_work() as session:
        lot = session.get(Lot, lot_id)
        assert lot is not None
        auction = session.get(AuctionSession, lot.session_id)
        assert auction is not None
        bids = list(session.scalars(select(Bid).where(Bid.lot_id == lot_id).order_by(Bid.id)))
        audit = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.lot_id == lot_id)
        )
        return lot, auction, bids, int(audit or 0)


def assert_consistent(
    database: Database, lot_id: int, acknowledged: dict[int, dict[str, Any]]
) -> list[Bid]:
    """Acknowledged = stored, prices never down, and the lot equals the rules' replay."""
    lot, auction, bids, _ = stored(database, lot_id)
    assert {b.id for b in bids} >= set(acknowledged), "an acknowledged bid was lost"
    for bid in bids:
        if bid.id in acknowledged:
            answer = acknowledged[bid.id]
            assert (answer["price_wan"], answer["max_wan"], answer["label"]) == (
                bid.price_after_yuan / 10_000,
                bid.max_yuan / 10_000,
                bid.label,
            )
    leader: int | None = None
    for before, after in pairwise(bids):
        leader = before.bidder_id if before.leading_after else leader
        assert after.price_after_yuan >= before.price_after_yuan, "the price went down"
        assert after.end_at_after >= before.end_at_after, "the end moved backwards"
        if after.bidder_id != leader:  # only a leader raising their own maximum keeps the price
            assert after.price_after_yuan > before.price_after_yuan
    replayed = rules.replay(
        lot_terms(lot, auction),
        lot.closes_at,
        [(b.bidder_id, b.max_yuan, b.placed_at) for b in bids],
    )
    assert (lot.price_yuan, lot.leader_bidder_id, lot.leader_max_yuan) == (
        replayed.price,
        replayed.leader,
        replayed.leader_max,
    )
    assert (lot.end_at, lot.bid_count, lot.extension_count) == (
        replayed.end_at,
        replayed.bids,
        replayed.extensions,
    )
    return bids


def close_after_the_end(database: Database, lot_id: int) -> LotResult:
    """Closes the lot as if its end had passed; returns the one result."""
    later = real_now() + timedelta(days=1)
    assert close_lot_if_due(database, lot_id, lambda: later, None)
    with database.unit_of_work() as session:
        (result,) = session.scalars(select(LotResult).where(LotResult.lot_id == lot_id)).all()
        return result


def test_50_bidders_20_bids_each_lose_nothing(
    database: Database, build_floor: BuildFloor, live_server: Server
) -> None:
    floor = build_floor(bidders=50, start_wan=100, bands=STEP, now=real_now, minutes=120)
    acknowledged: dict[int, dict[str, Any]] = {}
    answers: list[int] = []
    lock = threading.Lock()

    def bidder(who: int) -> None:
        with httpx.Client(base_url=live_server.url, timeout=60) as client:
            for round_ in range(20):
                amount = 100 + round_ * 50 + who + 1
                response = post_bid(client, floor, who, amount, f"b{who}-r{round_}")
                assert response.status_code in (201, 409), response.text
                with lock:
                    answers.append(response.status_code)
                    if response.status_code == 201:
                        acknowledged[response.json()["bid_id"]] = response.json()

    with ThreadPoolExecutor(max_workers=50) as pool:
        for future in [pool.submit(bidder, who) for who in range(50)]:
            future.result()
    assert len(answers) == 1000
    bids = assert_consistent(database, floor.lot_id, acknowledged)
    assert {b.id for b in bids} == set(acknowledged), "a bid was stored but not acknowledged"
    assert len(acknowledged) == answers.count(201) and len(acknowledged) > 50
    _, _, _, audit = stored(database, floor.lot_id)
    assert audit == 1000  # every attempt, accepted or refused
    result = close_after_the_end(database, floor.lot_id)
    lot, _, _, _ = stored(database, floor.lot_id)
    assert result.sold and result.winner_bidder_id == lot.leader_bidder_id
    assert result.hammer_yuan == lot.price_yuan == bids[-1].price_after_yuan


def test_the_same_bid_three_times_at_once_is_one_bid(
    database: Database, build_floor: BuildFloor, live_server: Server
) -> None:
    floor = build_floor(bidders=1, start_wan=100, now=real_now)
    barrier = threading.Barrier(3)

    def send(_: int) -> tuple[int, dict[str, Any]]:
        with httpx.Client(base_url=live_server.url, timeout=30) as client:
            barrier.wait()
            response = post_bid(client, floor, 0, 150, "one-key")
            return response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=3) as pool:
        answers = list(pool.map(send, range(3)))
    assert [status for status, _ in answers] == [201, 201, 201]
    assert answers[0][1] == answers[1][1] == answers[2][1]
    _, _, bids, audit = stored(database, floor.lot_id)
    assert len(bids) == 1 and bids[0].id == answers[0][1]["bid_id"]
    assert audit == 3  # one accepted, two replays


def test_kill_9_while_bids_stream_in_loses_no_acknowledged_bid(
    database: Database, build_floor: BuildFloor, live_server: Server
) -> None:
    floor = build_floor(bidders=4, start_wan=100, bands=STEP, now=real_now, minutes=120)
    acknowledged: dict[int, dict[str, Any]] = {}
    lock = threading.Lock()
    enough = threading.Event()

    def stream(who: int) -> None:
        with httpx.Client(base_url=live_server.url, timeout=10) as client:
            for round_ in range(10_000):
                try:
                    response = post_bid(
                        client, floor, who, 100 + round_ * 4 + who + 1, f"c{who}-{round_}"
                    )
                except httpx.TransportError:
                    return  # the server died under us: this answer never came
                if response.status_code == 201:
                    with lock:
                        acknowledged[response.json()["bid_id"]] = response.json()
                        if len(acknowledged) >= 60:
                            enough.set()

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(stream, who) for who in range(4)]
        assert enough.wait(timeout=60), "bids did not flow"
        live_server.kill()
        for future in futures:
            future.result()
    assert_consistent(database, floor.lot_id, acknowledged)
    live_server.start()  # the same database, a new process
    with httpx.Client(base_url=live_server.url, timeout=10) as client:
        lot = client.get(f"/api/v1/lots/{floor.lot_id}").json()
        last = max(acknowledged)
        after = post_bid(client, floor, 0, 100_000, "after-restart")  # above every maximum
    assert after.status_code == 201, after.text
    _, _, bids, _ = stored(database, floor.lot_id)
    assert lot["bid_count"] == len(bids) - 1 and bids[-1].id > last
    assert_consistent(
        database, floor.lot_id, {**acknowledged, after.json()["bid_id"]: after.json()}
    )
