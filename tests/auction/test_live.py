"""Live updates: the broadcaster built with the app, listeners that probe and render only on a
change, and the event stream of a real server within a second."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import AsyncGenerator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import event

from factorlink.api.app import create_app
from factorlink.auction import units
from factorlink.auction.clock import Clock, system_clock
from factorlink.auction.live import Broadcaster, lot_events, next_round
from factorlink.auction.schemas import LotOut
from factorlink.auction.units import place_bid
from factorlink.auth.viewer import ANONYMOUS
from factorlink.config import Settings
from factorlink.db.session import Database
from tests import aio
from tests.auction.conftest import BuildFloor
from tests.auction.conftest import Clock as ManualClock
from tests.auction.crowd import counting
from tests.auction.server import Server
from tests.factories import MakeActor


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

    assert aio.run(listen())
    assert live.listeners(7) == 0
    live.publish(8)  # nobody listens: nothing happens


def test_the_broadcaster_and_the_clock_are_built_with_the_app(
    settings: Settings, database: Database
) -> None:
    state = create_app(settings, database).state
    assert isinstance(state.auction_live, Broadcaster) and state.auction_clock is system_clock
    assert create_app(settings, database).state.auction_live is not state.auction_live


class Feed:
    """A listener's probe and render of a lot, counting calls and the statements each sent."""

    def __init__(self, database: Database, lot_id: int, clock: Clock) -> None:
        self.database, self.lot_id, self.clock = database, lot_id, clock
        self.probes: list[int] = []  # statements of each probe
        self.renders = 0

    def probe(self) -> object:
        with counting(self.database.engine, this_thread=True) as seen:
            stored = units.probe_lot(self.database, self.lot_id)
        self.probes.append(len(seen))
        return stored

    def render(self, _stored: object) -> LotOut:
        self.renders += 1
        return units.read_lot(self.database, ANONYMOUS, self.lot_id, self.clock)


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(5):
        while not condition():
            await asyncio.sleep(0.005)


async def _stop(events: AsyncGenerator[Any, None], pending: asyncio.Future[Any]) -> None:
    pending.cancel()  # the listener goes away while it waits
    with contextlib.suppress(asyncio.CancelledError):
        await pending
    await events.aclose()


def test_an_idle_listener_probes_in_one_statement_and_renders_only_on_a_change(
    build_floor: BuildFloor, database: Database, clock: ManualClock
) -> None:
    floor = build_floor(bidders=1, start_wan=100)
    token = floor.bidders[0].headers["Authorization"].removeprefix("Bearer ")
    feed, live = Feed(database, floor.lot_id, clock), Broadcaster()

    async def listen() -> list[dict[str, Any]]:
        events = lot_events(live, floor.lot_id, feed.probe, feed.render, clock, poll=0.01)
        seen = [json.loads((await anext(events))["data"])]
        following = asyncio.ensure_future(anext(events))
        await _until(lambda: len(feed.probes) >= 10)
        assert not following.done() and feed.renders == 1  # idle: probes only
        # Another worker bids: no broadcast here, the probe finds it.
        await asyncio.to_thread(place_bid, database, token, floor.lot_id, 1_000_000, "k", clock)
        seen.append(json.loads((await asyncio.wait_for(following, 5))["data"]))
        renders, following = feed.renders, asyncio.ensure_future(anext(events))
        await _until(lambda: len(feed.probes) >= 20)
        assert feed.renders == renders and not following.done()
        await _stop(events, following)
        return seen

    seen = aio.run(listen())
    assert [(e["bid_count"], e["status"]) for e in seen] == [(0, "open"), (1, "open")]
    assert set(feed.probes) == {1}  # one statement a round
    assert live.listeners(floor.lot_id) == 0


def test_a_listener_renders_when_the_lot_opens_and_ends_with_no_write(
    build_floor: BuildFloor, database: Database, clock: ManualClock
) -> None:
    floor = build_floor(bidders=1, opens_at=clock.now + timedelta(minutes=1), minutes=10)
    feed, live = Feed(database, floor.lot_id, clock), Broadcaster()

    async def listen() -> list[str]:
        events = lot_events(live, floor.lot_id, feed.probe, feed.render, clock, poll=0.01)
        statuses = [json.loads((await anext(events))["data"])["status"]]
        following = asyncio.ensure_future(anext(events))
        await _until(lambda: len(feed.probes) >= 3)
        assert feed.renders == 1 and not following.done()
        clock.advance(minutes=2)  # the lot opens
        statuses.append(json.loads((await asyncio.wait_for(following, 5))["data"])["status"])
        clock.advance(minutes=10)  # its end has come: the next render closes it
        statuses.append(json.loads((await asyncio.wait_for(anext(events), 5))["data"])["status"])
        await events.aclose()
        return statuses

    assert aio.run(listen()) == ["upcoming", "open", "closed"]


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


def test_events_never_go_backwards(
    build_floor: BuildFloor, database: Database, clock: ManualClock
) -> None:
    """A render older than the last event (a worker behind another) is not sent."""
    floor = build_floor(bidders=1, start_wan=100)
    current = units.read_lot(database, ANONYMOUS, floor.lot_id, clock)
    versions = iter([3, 2, 2, 4])
    live = Broadcaster()

    def render(_stored: object) -> LotOut:
        return current.model_copy(update={"version": next(versions)})

    probes = iter(range(1000))

    async def listen() -> list[int]:
        events = lot_events(
            live, floor.lot_id, lambda: next(probes), render, clock, poll=0.01, merge=0
        )
        seen = [json.loads((await anext(events))["data"])["version"] for _ in range(2)]
        await events.aclose()
        return seen

    assert aio.run(listen()) == [3, 4]


def test_a_busy_lot_s_changes_arrive_merged_into_the_latest(
    build_floor: BuildFloor, database: Database, clock: ManualClock
) -> None:
    floor = build_floor(bidders=2, start_wan=100, bands=[{"from_wan": 0, "step_wan": 1}])
    tokens = [b.headers["Authorization"].removeprefix("Bearer ") for b in floor.bidders]
    feed, live = Feed(database, floor.lot_id, clock), Broadcaster()

    def five_bids() -> None:
        for n in range(5):
            answer = place_bid(
                database, tokens[n % 2], floor.lot_id, (110 + n) * 10_000, f"m{n}", clock
            )
            assert answer.receipt is not None
            live.publish(floor.lot_id)

    async def listen() -> list[dict[str, Any]]:
        events = lot_events(live, floor.lot_id, feed.probe, feed.render, clock, poll=0.01, merge=5)
        seen = [json.loads((await anext(events))["data"])]
        await asyncio.to_thread(five_bids)  # while the listener waits out its merge
        seen.append(json.loads((await asyncio.wait_for(anext(events), 30))["data"]))
        await events.aclose()
        return seen

    first, merged = aio.run(listen())
    assert (first["bid_count"], merged["bid_count"]) == (0, 5)
    assert merged["version"] > first["version"] and merged["price_wan"] == 114.0


def test_visitors_streams_share_one_read_of_each_change(
    build_floor: BuildFloor, database: Database, clock: ManualClock
) -> None:
    floor = build_floor(bidders=1, start_wan=100, minutes=10)
    token = floor.bidders[0].headers["Authorization"].removeprefix("Bearer ")
    views = units.PublicViews(database)
    stored = units.probe_lot(database, floor.lot_id)
    first = views.render(floor.lot_id, stored, clock)
    clock.advance(seconds=30)
    with counting(database.engine) as seen:
        again = views.render(floor.lot_id, stored, clock)  # another visitor, the same state
    assert seen == [] and again.server_time == first.server_time + timedelta(seconds=30)
    assert again.model_dump(exclude={"server_time"}) == first.model_dump(exclude={"server_time"})
    assert place_bid(database, token, floor.lot_id, 1_000_000, "v", clock).receipt is not None
    changed = views.render(floor.lot_id, units.probe_lot(database, floor.lot_id), clock)
    assert (changed.bid_count, changed.version) == (1, first.version + 1)
    assert changed.mine is None and changed.reserve_price_wan is None
    clock.advance(minutes=10)  # the end and its grace have passed: this render closes it
    stale = units.probe_lot(database, floor.lot_id)
    assert views.render(floor.lot_id, stale, clock).status == "closed"


def test_a_members_stream_adds_their_own_standing_to_the_shared_view(
    build_floor: BuildFloor, database: Database, clock: ManualClock
) -> None:
    floor = build_floor(bidders=2, start_wan=100)
    tokens = [b.headers["Authorization"].removeprefix("Bearer ") for b in floor.bidders]
    assert place_bid(database, tokens[0], floor.lot_id, 1_500_000, "a", clock).receipt
    assert place_bid(database, tokens[1], floor.lot_id, 1_200_000, "b", clock).receipt
    views, stored = units.PublicViews(database), units.probe_lot(database, floor.lot_id)
    for n, status in ((0, "leading"), (1, "outbid")):
        viewer = units.resolve_viewer(database, tokens[n])
        shared = views.render(floor.lot_id, stored, clock, viewer)
        alone = units.read_lot(database, viewer, floor.lot_id, clock)
        assert shared == alone and shared.mine is not None and shared.mine.status == status


def test_listeners_of_a_busy_lot_wake_together_after_their_events() -> None:
    merge = 0.25
    # Events sent at different moments: each waits at least `merge`, and all wake at once.
    sent = [100.01, 100.07, 100.19, 100.24]
    woken = {round(at + next_round(at, merge), 9) for at in sent}
    assert woken == {100.5}
    assert all(next_round(at, merge) >= merge for at in sent)
    assert next_round(100.25, merge) == merge  # on a multiple already: the next one
    assert next_round(7.3, 0) == 0


def test_members_woken_together_share_one_read_of_their_standings(
    build_floor: BuildFloor, database: Database, clock: ManualClock
) -> None:
    floor = build_floor(bidders=3, start_wan=100)
    tokens = [b.headers["Authorization"].removeprefix("Bearer ") for b in floor.bidders]
    viewers = [units.resolve_viewer(database, t) for t in tokens]
    views = units.PublicViews(database, shared=3600)  # a moment as long as the test
    stored = units.probe_lot(database, floor.lot_id)
    for viewer in viewers:  # each listens: the first renders after a change
        views.render(floor.lot_id, stored, clock, viewer)
    assert place_bid(database, tokens[0], floor.lot_id, 1_500_000, "a", clock).receipt
    assert place_bid(database, tokens[1], floor.lot_id, 1_200_000, "b", clock).receipt
    stored = units.probe_lot(database, floor.lot_id)
    first = views.render(floor.lot_id, stored, clock, viewers[0])
    with counting(database.engine) as seen:
        others = [views.render(floor.lot_id, stored, clock, v) for v in viewers[1:]]
    assert seen == []  # read with the first's, once for all three
    for viewer, shared in zip(viewers, [first, *others], strict=True):
        assert shared == units.read_lot(database, viewer, floor.lot_id, clock)
    mine = [s.mine for s in (first, *others)]
    assert [(m.status, m.label) if m else None for m in mine] == [
        ("leading", "竞买人 A"),
        ("outbid", "竞买人 B"),
        ("none", None),
    ]


def test_listeners_rendering_at_once_wait_for_one_read_instead_of_each_reading(
    build_floor: BuildFloor, database: Database, clock: ManualClock
) -> None:
    """Listeners woken together whose kept copy is stale render at the same moment, in worker
    threads: the first reads the lot (and its members' standings) and the others wait for that
    read and take it, rather than each reading while the first one's read is under way."""
    floor = build_floor(bidders=3, start_wan=100)
    tokens = [b.headers["Authorization"].removeprefix("Bearer ") for b in floor.bidders]
    members = [units.resolve_viewer(database, t) for t in tokens]
    assert place_bid(database, tokens[0], floor.lot_id, 1_500_000, "a", clock).receipt
    stored = units.probe_lot(database, floor.lot_id)
    alone, views = (units.PublicViews(database, shared=3600) for _ in range(2))
    for viewer in members:  # members listening: their standings are read together
        alone.render(floor.lot_id, stored, clock, viewer)
        views.render(floor.lot_id, stored, clock, viewer)
    assert place_bid(database, tokens[1], floor.lot_id, 1_700_000, "b", clock).receipt
    stored = units.probe_lot(database, floor.lot_id)
    with counting(database.engine) as once:  # one listener's render after the change
        alone.render(floor.lot_id, stored, clock, members[0])
    start = threading.Barrier(6)

    def slow(*_: Any) -> None:
        time.sleep(0.01)  # a read under way while the others arrive

    def render(viewer: Any) -> LotOut:
        start.wait()
        return views.render(floor.lot_id, stored, clock, viewer)

    event.listen(database.engine, "before_cursor_execute", slow)
    try:
        with counting(database.engine) as seen, ThreadPoolExecutor(max_workers=6) as pool:
            lots = list(pool.map(render, [*members, ANONYMOUS, ANONYMOUS, ANONYMOUS]))
    finally:
        event.remove(database.engine, "before_cursor_execute", slow)
    assert len(once) > 0 and len(seen) == len(once)  # one listener's reads, for all six
    assert {lot.version for lot in lots} == {lots[0].version} and lots[0].bid_count == 2
    assert [lot.mine.status if lot.mine else None for lot in lots] == [
        "outbid",
        "leading",
        "none",
        None,
        None,
        None,
    ]


def test_what_others_read_is_rendered_on_the_loop_without_reading(
    build_floor: BuildFloor, database: Database, clock: ManualClock, make_actor: MakeActor
) -> None:
    floor = build_floor(bidders=2, start_wan=100)
    token = floor.bidders[0].headers["Authorization"].removeprefix("Bearer ")
    member = units.resolve_viewer(database, token)
    views = units.PublicViews(database, shared=3600)  # a moment as long as the test
    assert views.kept_probe(floor.lot_id) is units.NOT_KEPT  # nothing read yet
    stored = views.probe(floor.lot_id)
    assert views.kept_render(floor.lot_id, stored, clock, member) is None
    views.render(floor.lot_id, stored, clock, member)  # a read, shared from now on
    with counting(database.engine) as seen:
        assert views.kept_probe(floor.lot_id) == stored
        for viewer in (member, ANONYMOUS):
            kept = views.kept_render(floor.lot_id, stored, clock, viewer)
            assert kept == views.render(floor.lot_id, stored, clock, viewer)
    assert seen == []
    staff = units.resolve_viewer(database, make_actor("operator").headers["Authorization"][7:])
    assert views.kept_render(floor.lot_id, stored, clock, staff) is None  # staff read it all
    assert place_bid(database, token, floor.lot_id, 1_000_000, "k", clock).receipt is not None
    views.forget(floor.lot_id)
    assert views.kept_probe(floor.lot_id) is units.NOT_KEPT
    changed = views.probe(floor.lot_id)
    assert views.kept_render(floor.lot_id, changed, clock, ANONYMOUS) is None  # not read yet


def test_listeners_woken_together_share_one_probe_and_a_change_here_is_read_afresh(
    build_floor: BuildFloor, database: Database, clock: ManualClock
) -> None:
    floor = build_floor(bidders=1, start_wan=100)
    token = floor.bidders[0].headers["Authorization"].removeprefix("Bearer ")
    views = units.PublicViews(database, shared=3600)  # a moment as long as the test
    live = Broadcaster(on_publish=views.forget)
    first = views.probe(floor.lot_id)
    with counting(database.engine) as seen:
        assert all(views.probe(floor.lot_id) == first for _ in range(19))
    assert seen == []
    assert place_bid(database, token, floor.lot_id, 1_000_000, "p", clock).receipt is not None
    live.publish(floor.lot_id)  # this app's change: the next probe reads it
    assert views.probe(floor.lot_id) != first
