"""The bid desk: bids queue per lot and are decided in batches, one commit per batch.

The endpoint stamps a bid's receipt time and hands it to the desk; the desk keeps a queue per
lot. The first bid on a quiet lot starts that lot's writer, which runs in a worker thread and
decides the lot's waiting bids batch after batch (one locked unit of work each), taking what
has queued meanwhile as its next batch as soon as the last one committed (group commit), until
the queue is empty. Each bid is answered once the unit holding it has committed, so an
acknowledged bid is durable. A busy lot's writer never goes back to the event loop between
batches: each batch's answers are handed to the loop in one callback, and the next batch does
not wait for the loop to send them (nor the loop for a thread to be woken per batch). Lots have
separate queues and writers, so a busy lot never holds another's bids behind its own (on SQLite
their units still take turns at the database's write lock, a batch at a time; on PostgreSQL they
run side by side). The queues are shared by the loop and the writers under a lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import anyio.to_thread

from factorlink.auction import units
from factorlink.auction.bidding import BidRequest
from factorlink.auction.clock import Clock
from factorlink.db.session import Database

# The most bids one unit of work decides: enough to absorb a crowd, small enough that the
# first bid in a batch is not kept long behind the rest.
MAX_BATCH = 64


@dataclass
class _Waiting:
    request: BidRequest
    answer: asyncio.Future[units.BidAnswer]


class BidDesk:
    """The app's bid queues; built once with the app (`live.install`)."""

    def __init__(
        self, database: Database, clock: Callable[[], Clock], changed: Callable[[int], None]
    ) -> None:
        self.database = database
        self._clock = clock  # the app's auction clock, read when a batch is decided
        self._changed = changed  # told of each lot a batch changed, on the event loop
        self._lock = threading.Lock()  # guards the queues and the writers' state
        self._queues: dict[int, list[_Waiting]] = {}
        # The lots whose writer is at work, with the size of the batch it is deciding.
        self._deciding: dict[int, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def waiting(self, lot_id: int) -> int:
        """How many bids on a lot are received and not yet answered."""
        with self._lock:
            return len(self._queues.get(lot_id, ())) + self._deciding.get(lot_id, 0)

    async def place(self, request: BidRequest) -> units.BidAnswer:
        """Queues a bid on its lot and returns its answer once committed."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[units.BidAnswer] = loop.create_future()
        lot_id = request.lot_id
        with self._lock:
            self._queues.setdefault(lot_id, []).append(_Waiting(request, answer))
            start = lot_id not in self._deciding
            if start:
                self._deciding[lot_id] = 0
        if start:
            task = asyncio.create_task(self._write(lot_id, loop))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await asyncio.shield(answer)

    async def _write(self, lot_id: int, loop: asyncio.AbstractEventLoop) -> None:
        """Runs the lot's writer in a worker thread until its queue is empty."""
        try:
            await anyio.to_thread.run_sync(self._drain, lot_id, loop)
        except BaseException as exc:
            # The writer itself failed (not a batch, which answers its own bids): nothing
            # waiting on the lot may wait for ever.
            with self._lock:
                left = self._queues.pop(lot_id, [])
                self._deciding.pop(lot_id, None)
            _fail(left, exc)
            raise

    def _drain(self, lot_id: int, loop: asyncio.AbstractEventLoop) -> None:
        # In the worker thread: batch after batch, until the lot's queue is empty.
        while True:
            with self._lock:
                queue = self._queues.get(lot_id)
                if not queue:
                    self._queues.pop(lot_id, None)
                    del self._deciding[lot_id]
                    return
                batch, rest = queue[:MAX_BATCH], queue[MAX_BATCH:]
                if rest:
                    self._queues[lot_id] = rest
                else:
                    del self._queues[lot_id]
                self._deciding[lot_id] = len(batch)
            requests = [w.request for w in batch]
            try:
                answers = units.place_bids(self.database, requests, self._clock())
            except BaseException as exc:
                _post(loop, _fail, batch, exc)
                with self._lock:
                    self._deciding[lot_id] = 0
                if not isinstance(exc, Exception):
                    raise
                continue
            _post(loop, self._settle, lot_id, batch, answers)
            with self._lock:
                self._deciding[lot_id] = 0

    def _settle(
        self, lot_id: int, batch: Sequence[_Waiting], answers: Sequence[units.BidAnswer]
    ) -> None:
        # On the event loop: the lot's listeners are told of a change, then the bids answered.
        if any(a.accepted for a in answers):
            self._changed(lot_id)
        for waiting, answer in zip(batch, answers, strict=True):
            if not waiting.answer.done():
                waiting.answer.set_result(answer)


def _post(loop: asyncio.AbstractEventLoop, callback: Callable[..., None], *args: object) -> None:
    """Runs a callback on the event loop, from a writer's thread (not once it has closed)."""
    with contextlib.suppress(RuntimeError):  # the loop closed: no one waits any more
        loop.call_soon_threadsafe(callback, *args)


def _fail(batch: Sequence[_Waiting], exc: BaseException) -> None:
    for waiting in batch:
        if not waiting.answer.done():
            waiting.answer.set_exception(exc)
