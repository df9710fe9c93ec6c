"""Live lot updates: a per-app broadcaster, and a one-statement probe of the lot every second.

A batch of bids accepted by this process wakes its listeners at once; a bid taken by another
worker (or the CLI closing a lot) is seen by the probe within a second. Events never go
backwards, and a listener sends at most one event per MERGE_SECONDS: the changes in between
arrive merged into the latest state (the price, leader and end as they stand). Only when the
probe says the lot changed (or its opening or end time has come) does a listener render the lot,
for its own viewer, so the own status (leading/outbid) is theirs and the reserve stays hidden.

`install` builds the per-app objects once, where the app is made.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import defaultdict
from collections.abc import AsyncGenerator, Callable
from datetime import datetime

from fastapi import FastAPI, Request

from factorlink.auction.clock import Clock, system_clock
from factorlink.auction.closing import CLOSE_GRACE
from factorlink.auction.desk import BidDesk
from factorlink.auction.schemas import LotOut
from factorlink.auction.units import NOT_KEPT, PublicViews

POLL_SECONDS = 1.0
# After an event, a listener waits at least this long before the next: a busy lot's changes
# merge. It waits to a multiple of it on the loop's clock (`next_round`), so the listeners of a
# lot wake together and share their reads.
MERGE_SECONDS = 0.25


class Broadcaster:
    """Wakes the listeners of a lot; safe to call from any thread."""

    def __init__(self, on_publish: Callable[[int], None] | None = None) -> None:
        self._on_publish = on_publish  # told first of each change (e.g. to drop a cache)
        self._lock = threading.Lock()
        self._listeners: dict[int, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = (
            defaultdict(set)
        )

    def publish(self, lot_id: int) -> None:
        """Tells every listener of the lot that it changed."""
        if self._on_publish is not None:
            self._on_publish(lot_id)
        with self._lock:
            listeners = list(self._listeners.get(lot_id, ()))
        for loop, event in listeners:
            # The listener may have gone, and its loop with it: nothing to wake then.
            if not loop.is_closed():
                loop.call_soon_threadsafe(event.set)

    def subscribe(self, lot_id: int) -> tuple[asyncio.AbstractEventLoop, asyncio.Event]:
        """Registers a listener on the running loop."""
        entry = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._listeners[lot_id].add(entry)
        return entry

    def unsubscribe(
        self, lot_id: int, entry: tuple[asyncio.AbstractEventLoop, asyncio.Event]
    ) -> None:
        """Removes a listener."""
        with self._lock:
            listeners = self._listeners.get(lot_id)
            if listeners is not None:
                listeners.discard(entry)
                if not listeners:
                    del self._listeners[lot_id]

    def listeners(self, lot_id: int) -> int:
        """How many listeners a lot has."""
        with self._lock:
            return len(self._listeners.get(lot_id, ()))


def install(app: FastAPI, *, clock: Clock = system_clock) -> None:
    """Builds the auctions' per-app objects once: the broadcaster of lot changes, the clock
    bids are timed by (the system's; tests give their own), the bid desk (the queues of bids
    per lot, on the app's database, set in its state before) and the public views of lots that
    visitors' event streams share."""
    public = PublicViews(app.state.database)
    live = Broadcaster(on_publish=public.forget)
    app.state.auction_live = live
    app.state.auction_clock = clock
    app.state.auction_desk = BidDesk(
        app.state.database, lambda: app.state.auction_clock, live.publish
    )
    app.state.auction_public = public


def public_views_of(request: Request) -> PublicViews:
    """The app's shared public views of lots, for visitors' event streams (see `install`)."""
    views: PublicViews = request.app.state.auction_public
    return views


def desk_of(request: Request) -> BidDesk:
    """The app's bid desk (see `install`)."""
    desk: BidDesk = request.app.state.auction_desk
    return desk


def broadcaster_of(request: Request) -> Broadcaster:
    """The app's broadcaster of lot changes (see `install`)."""
    live: Broadcaster = request.app.state.auction_live
    return live


def clock_of(request: Request) -> Clock:
    """The app's auction clock (see `install`)."""
    clock: Clock = request.app.state.auction_clock
    return clock


Probe = Callable[[], object]  # one cheap statement: what identifies the lot's stored state
Render = Callable[[object], LotOut]  # the lot as the listener's viewer sees it, given the probe


def next_round(now: float, merge: float) -> float:
    """Seconds a listener waits after an event sent at `now` (the loop's clock): at least
    `merge`, to the next multiple of it, the same moment for every listener of the process."""
    if merge <= 0:
        return 0.0
    return merge + (-(now + merge)) % merge


def next_change(lot: LotOut) -> datetime | None:
    """When the lot's status changes with no write: it opens, its end comes ("closing"), or
    the grace after it has passed (the next render closes it)."""
    if lot.status == "closed":
        return None
    if lot.server_time < lot.opens_at:
        return lot.opens_at
    if lot.server_time < lot.end_at:
        return lot.end_at
    return lot.end_at + CLOSE_GRACE


# Where a lot stands, in the order it moves: an event is sent only for a later position.
STATUS_ORDER = {"upcoming": 0, "open": 1, "closing": 2, "closed": 3}


def position(lot: LotOut) -> tuple[int, int]:
    """The lot's change counter and status, ordered: later versions, then later statuses."""
    return lot.version, STATUS_ORDER[lot.status]


async def lot_events(
    broadcaster: Broadcaster,
    lot_id: int,
    probe: Probe,
    render: Render,
    clock: Clock,
    *,
    poll: float = POLL_SECONDS,
    merge: float = MERGE_SECONDS,
    kept_probe: Probe | None = None,
    kept_render: Callable[[object], LotOut | None] | None = None,
) -> AsyncGenerator[dict[str, str], None]:
    """Server-sent events of a lot: its state now, then whenever it changes.

    Each round probes the lot; it is rendered only when the probe differs from the last one
    or a time the status turns at has come, and sent only when it stands later than the last
    event (a later version, or the same version with a later status): never backwards. After
    an event a listener waits at least `merge` seconds, so the changes of a busy lot in the
    meantime arrive merged, as one event with the latest state; it waits to a multiple of
    `merge` (`next_round`), so the listeners of a busy lot probe and render together and share
    one read of each (`units.PublicViews`) rather than each reading at a moment of its own.
    What needs no read (`kept_probe` and `kept_render`, given: a probe or a rendering made
    from what was read for others; `NOT_KEPT` and None when not) is taken on the event loop;
    a read goes to a worker thread.
    """
    entry = broadcaster.subscribe(lot_id)
    _, event = entry
    probed: object = object()  # matches no probe: the first round renders
    sent: tuple[int, int] | None = None
    due: datetime | None = None
    try:
        while True:
            # Cleared before probing, so a bid landing during the round wakes the next one.
            event.clear()
            stored = kept_probe() if kept_probe is not None else NOT_KEPT
            if stored is NOT_KEPT:
                stored = await asyncio.to_thread(probe)
            if stored != probed or (due is not None and clock() >= due):
                # Probed before rendering: a change in between shows now and renders once more.
                probed = stored
                lot = kept_render(stored) if kept_render is not None else None
                if lot is None:
                    lot = await asyncio.to_thread(render, stored)
                due = next_change(lot)
                if sent is None or position(lot) > sent:
                    sent = position(lot)
                    yield {"event": "lot", "data": lot.model_dump_json()}
                    await asyncio.sleep(next_round(asyncio.get_running_loop().time(), merge))
                    continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), timeout=poll)
    finally:
        broadcaster.unsubscribe(lot_id, entry)
