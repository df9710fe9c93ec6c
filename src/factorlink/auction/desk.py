"""The bid desk: bids queue per lot and are decided in batches, one commit per batch.

The endpoint stamps a bid's receipt time and hands it to the desk; the desk keeps a queue per
lot, and while a lot's batch is being decided (in a worker thread, one locked unit of work),
the bids that arrive for it wait and form its next batch (group commit). Each bid is answered
once the unit holding it has committed, so an acknowledged bid is durable. Lots have separate
queues, so a busy lot never holds another's bids behind its own (on SQLite their units still
take turns at the database's write lock, a batch at a time; on PostgreSQL they run side by
side). The queues live on the event loop's thread; only the units run elsewhere.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import anyio.to_thread

from factorlink.auction import units
from factorlink.auction.bidding import BidRequest
from factorlink.auction.clock import Clock
from factorlink.db.session import Database

# The most bids one unit of work decides: enough to absorb a crowd, small enough that the
# first bid in a batch is not kept long behind the rest.
MAX_BATCH = 64
# Rounds of the event loop a batch waits at most for bids already read to join it.
GATHER_ROUNDS = 8


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
        self._changed = changed  # told of each lot a batch changed
        self._queues: defaultdict[int, list[_Waiting]] = defaultdict(list)
        self._working: set[int] = set()
        self._deciding: dict[int, int] = {}  # the size of each lot's batch being decided
        self._tasks: set[asyncio.Task[None]] = set()

    def waiting(self, lot_id: int) -> int:
        """How many bids on a lot are received and not yet answered."""
        return len(self._queues.get(lot_id, ())) + self._deciding.get(lot_id, 0)

    async def place(self, request: BidRequest) -> units.BidAnswer:
        """Queues a bid on its lot and returns its answer once committed."""
        answer: asyncio.Future[units.BidAnswer] = asyncio.get_running_loop().create_future()
        self._queues[request.lot_id].append(_Waiting(request, answer))
        if request.lot_id not in self._working:
            self._working.add(request.lot_id)
            task = asyncio.create_task(self._drain(request.lot_id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await asyncio.shield(answer)

    async def _drain(self, lot_id: int) -> None:
        try:
            while self._queues.get(lot_id):
                await self._gather(lot_id)
                queue = self._queues[lot_id]
                batch, self._queues[lot_id] = queue[:MAX_BATCH], queue[MAX_BATCH:]
                self._deciding[lot_id] = len(batch)
                await self._decide(lot_id, batch)
                self._deciding.pop(lot_id, None)
        finally:
            self._deciding.pop(lot_id, None)
            if not self._queues.get(lot_id):
                self._queues.pop(lot_id, None)
            self._working.discard(lot_id)

    async def _gather(self, lot_id: int) -> None:
        """Lets the bids the server has already read join the batch before it starts: yields
        to the event loop while that brings more (a few rounds at most; no timer). Otherwise the
        first bid after a quiet moment would go alone and the crowd behind it wait a batch."""
        for _ in range(GATHER_ROUNDS):
            waiting = len(self._queues[lot_id])
            if waiting >= MAX_BATCH:
                return
            await asyncio.sleep(0)
            if len(self._queues[lot_id]) == waiting:
                return

    async def _decide(self, lot_id: int, batch: list[_Waiting]) -> None:
        requests = [w.request for w in batch]
        try:
            answers = await anyio.to_thread.run_sync(
                units.place_bids, self.database, requests, self._clock()
            )
        except BaseException as exc:
            for waiting in batch:
                if not waiting.answer.done():
                    waiting.answer.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        if any(a.accepted for a in answers):
            self._changed(lot_id)
        for waiting, answer in zip(batch, answers, strict=True):
            if not waiting.answer.done():
                waiting.answer.set_result(answer)
