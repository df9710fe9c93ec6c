"""Live lot updates: a per-process broadcaster, and a poll of the lot's version every second.

A bid accepted by this process wakes its listeners at once; a bid taken by another worker
(or the CLI closing a lot) is seen by the poll within a second. Each listener renders the lot
for its own viewer, so the own status (leading/outbid) is theirs and the reserve stays hidden.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import defaultdict
from collections.abc import AsyncIterator, Callable

POLL_SECONDS = 1.0


class Broadcaster:
    """Wakes the listeners of a lot; safe to call from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[int, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = (
            defaultdict(set)
        )

    def publish(self, lot_id: int) -> None:
        """Tells every listener of the lot that it changed."""
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


Snapshot = Callable[[], tuple[object, str]]  # (what identifies this state, its JSON)


async def lot_events(
    broadcaster: Broadcaster, lot_id: int, snapshot: Snapshot
) -> AsyncIterator[dict[str, str]]:
    """Server-sent events of a lot: its state now, then whenever it changes."""
    entry = broadcaster.subscribe(lot_id)
    _, event = entry
    last: object = None
    try:
        while True:
            # Cleared before reading, so a bid landing during the read wakes the next round.
            event.clear()
            key, data = await asyncio.to_thread(snapshot)
            if key != last:
                last = key
                yield {"event": "lot", "data": data}
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), timeout=POLL_SECONDS)
    finally:
        broadcaster.unsubscribe(lot_id, entry)
