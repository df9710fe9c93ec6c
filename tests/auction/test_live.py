"""Live updates: the broadcaster, and the event stream of a real server within a second."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx

from factorlink.auction.clock import system_clock
from factorlink.auction.live import Broadcaster
from factorlink.auction.units import place_bid
from factorlink.db.session import Database
from tests.auction.conftest import BuildFloor
from tests.auction.server import Server


def test_publish_from_another_thread_wakes_the_listener() -> None:
    live = Broadcaster()

    async def listen() -> bool:
        _, event = entry = live.subscribe(7)
        threading.Thread(target=live.publish, args=(7,)).start()
        try:
            await asyncio.wait_for(event.wait(), timeout=2)
            return True
        finally:
            live.unsubscribe(7, entry)

    assert asyncio.run(listen())
    assert live.listeners(7) == 0
    live.publish(8)  # nobody listens: nothing happens


def _events(lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    name = None
    for line in lines:
        if line.startswith("event:"):
            name = line.partition(":")[2].strip()
        elif line.startswith("data:") and name == "lot":
            yield json.loads(line.partition(":")[2])


def test_two_bidders_see_each_others_bids_within_a_second(
    build_floor: BuildFloor, live_server: Server
) -> None:
    floor = build_floor(bidders=2, start_wan=100, now=lambda: datetime.now(UTC))
    url = f"/api/v1/lots/{floor.lot_id}/events"
    with (
        httpx.Client(base_url=live_server.url, timeout=5) as client,
        client.stream("GET", url, headers=floor.bidders[1].headers) as stream,
    ):
        assert stream.headers["content-type"].startswith("text/event-stream")
        events = _events(stream.iter_lines())
        first = next(events)
        assert (first["price_wan"], first["mine"]["status"]) == (None, "none")
        own = client.post(
            f"/api/v1/lots/{floor.lot_id}/bids",
            json={"amount_wan": 100},
            headers={**floor.bidders[1].headers, "Idempotency-Key": "b1"},
        )
        assert own.status_code == 201
        assert next(events)["mine"]["status"] == "leading"
        sent = time.monotonic()
        rival = client.post(
            f"/api/v1/lots/{floor.lot_id}/bids",
            json={"amount_wan": 150},
            headers={**floor.bidders[0].headers, "Idempotency-Key": "a1"},
        )
        assert rival.status_code == 201
        seen = next(events)
        assert time.monotonic() - sent < 1.0
    assert seen["leader_label"] == "竞买人 B" and seen["price_wan"] == 105.0  # 100万 + the 5万 step
    assert seen["mine"] | {} == {
        "registered": True,
        "bidder_status": "approved",
        "label": "竞买人 A",
        "status": "outbid",
        "max_wan": 100.0,
    }
    assert "reserve" not in json.dumps({k: v for k, v in seen.items() if v is not None})


def test_unknown_lot_has_no_stream(live_server: Server) -> None:
    response = httpx.get(f"{live_server.url}/api/v1/lots/424242/events", timeout=5)
    assert response.status_code == 404


def test_a_bid_taken_by_another_worker_reaches_the_stream_by_polling(
    build_floor: BuildFloor, live_server: Server, database: Database
) -> None:
    floor = build_floor(bidders=1, start_wan=100, now=lambda: datetime.now(UTC))
    url = f"/api/v1/lots/{floor.lot_id}/events"
    token = floor.bidders[0].headers["Authorization"].removeprefix("Bearer ")
    with (
        httpx.Client(base_url=live_server.url, timeout=5) as client,
        client.stream("GET", url) as stream,
    ):
        events = _events(stream.iter_lines())
        assert next(events)["bid_count"] == 0
        # This test process is the other worker: its broadcaster is not the server's.
        answer = place_bid(database, token, floor.lot_id, 1_200_000, "elsewhere", system_clock)
        assert answer.receipt is not None
        sent = time.monotonic()
        seen = next(events)
        assert time.monotonic() - sent < 2.0  # the one-second poll, plus a slow machine
    assert (seen["bid_count"], seen["price_wan"], seen["leader_label"]) == (1, 100.0, "竞买人 A")
