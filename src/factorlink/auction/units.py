"""The units of work the auction's endpoints and commands open themselves.

Bids, and closing a lot, read the lot, decide and write: they run in a unit that holds the
write lock from its start (SQLite BEGIN IMMEDIATE; PostgreSQL locks the lot row, and the
session row to close a session), and are committed before anyone is answered. Bids come in
batches (`desk.BidDesk` groups those waiting on one lot): one unit, one commit, for all of them.
Other readers resolve the viewer in a short unit of its own first, so a request never holds two
connections at once.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.exc import IntegrityError, OperationalError

from factorlink.auction.bidding import Attempt, BidBatch, BidRequest
from factorlink.auction.clock import Clock
from factorlink.auction.closing import close_if_due, close_session_if_done, is_closable
from factorlink.auction.presenter import present_lot, present_receipt
from factorlink.auction.repository import LotRepository, SessionRepository
from factorlink.auction.schemas import BidReceiptOut, LotOut
from factorlink.auction.service import AuctionService, LotView, Standing, with_standing
from factorlink.auth.service import viewer_for_token
from factorlink.auth.viewer import ANONYMOUS, Viewer
from factorlink.db.session import Database
from factorlink.errors import FactorLinkError

# Listeners woken together by a change share one probe of the lot (and one read of their
# members' standings) made within this time.
PROBE_SHARED = 0.05
# What `PublicViews.kept_probe` gives when it has no fresh probe.
NOT_KEPT = object()
# A member who rendered a lot within this time is still listening: their standing is read with
# the others'.
MEMBERS_KEPT = 60.0

# A batch whose writes clash with another process's (the same Idempotency-Key sent to two lots
# at once on PostgreSQL) is decided again from the start, the other's answer then visible.
RETRIES = 3


class Busy(FactorLinkError):
    """The lot's lock could not be had in time; the same Idempotency-Key may be retried."""

    status, code, title = 503, "busy", "Busy"


@dataclass(frozen=True)
class BidAnswer:
    """What the bid endpoint answers, after the commit."""

    receipt: BidReceiptOut | None
    refusal: FactorLinkError | None
    replayed: bool
    body: bytes = b""  # the receipt as JSON, serialised with it

    @property
    def accepted(self) -> bool:
        """A new bid was stored (not a replay): the lot changed."""
        return self.receipt is not None and not self.replayed


_writers: weakref.WeakKeyDictionary[Database, threading.Lock] = weakref.WeakKeyDictionary()
_writers_guard = threading.Lock()
# The bidders' labels on lots that this process's bid units have committed, by database (see
# `BidBatch.known_labels`); forgotten beyond LABELS_KEPT, when a long-running process has seen
# that many, and learnt again from the database.
_labels: weakref.WeakKeyDictionary[Database, dict[tuple[int, int], str]] = (
    weakref.WeakKeyDictionary()
)
LABELS_KEPT = 100_000


@contextmanager
def _one_writer(database: Database) -> Iterator[None]:
    """On SQLite, this process's writers queue on a lock before BEGIN IMMEDIATE.

    SQLite's busy handler retries by sleeping, so under many bidders a waiting writer can
    sleep past several commits (seconds at p99); a lock hands over at once. Other processes
    still meet at the database's lock, and PostgreSQL needs neither (it locks the lot row).
    """
    if database.engine.dialect.name != "sqlite":
        yield
        return
    with _writers_guard:
        lock = _writers.setdefault(database, threading.Lock())
    with lock:
        yield


def resolve_viewer(database: Database, token: str | None) -> Viewer:
    """The viewer of a bearer token, in a unit of its own."""
    with database.unit_of_work() as session:
        return viewer_for_token(session, token)


def place_bids(database: Database, requests: Sequence[BidRequest], clock: Clock) -> list[BidAnswer]:
    """Places bids, in order, in one locked unit of work; answers once it is committed.

    Each bidder's token is checked inside the same unit. A lock not had in time answers every
    bid of the batch with 503 (nothing was stored: the same keys may be retried).
    """
    with _writers_guard:
        labels = _labels.setdefault(database, {})
        if len(labels) > LABELS_KEPT:
            labels.clear()
    for attempt in range(RETRIES):
        try:
            with _one_writer(database), database.unit_of_work(immediate=True) as session:
                batch = BidBatch(session, clock, labels)
                batch.prefetch(requests)
                attempts: list[Attempt] = [batch.place(r) for r in requests]
                batch.write()
            batch.remember_labels()
        except IntegrityError:
            if attempt == RETRIES - 1:
                raise
            continue
        except OperationalError as exc:
            if "locked" not in str(exc.orig):
                raise
            busy = Busy(
                "出价人数较多,请用同一 Idempotency-Key 重试",
                message_en="the lot is busy; retry with the same Idempotency-Key",
                headers={"Retry-After": "1"},
            )
            return [BidAnswer(None, busy, False) for _ in requests]
        return [_answer(a) for a in attempts]
    raise AssertionError("unreachable")


def _answer(attempt: Attempt) -> BidAnswer:
    if attempt.bid is None:
        return BidAnswer(None, attempt.refusal, attempt.replayed)
    receipt = present_receipt(attempt.bid)
    return BidAnswer(receipt, None, attempt.replayed, receipt.model_dump_json().encode())


def place_bid(
    database: Database,
    token: str | None,
    lot_id: int,
    amount_yuan: int,
    key: str,
    clock: Clock,
    received_at: datetime | None = None,
) -> BidAnswer:
    """Places one bid, received now (or at `received_at`), in a unit of its own."""
    request = BidRequest(token, lot_id, amount_yuan, key, received_at or clock())
    return place_bids(database, [request], clock)[0]


def close_lot_if_due(database: Database, lot_id: int, clock: Clock, user_id: int | None) -> bool:
    """Closes a lot whose end has passed (by the grace; checked cheaply first); tells whether
    it did."""
    with database.unit_of_work() as session:
        lot = LotRepository(session).get(lot_id)
        if lot is None or not is_closable(lot, clock()):
            return False
    with _one_writer(database), database.unit_of_work(immediate=True) as session:
        lot = LotRepository(session).get_for_update(lot_id)
        auction = SessionRepository(session).get(lot.session_id) if lot else None
        if lot is None or auction is None or auction.status == "draft":
            return False
        now = clock()
        if not is_closable(lot, now):
            return False
        return close_if_due(session, lot, auction, now, user_id) is not None


def close_session_when_done(database: Database, session_id: int) -> bool:
    """Closes an open session whose lots have all closed (a repair: the unit that closes the
    last lot closes its session too); tells whether it did."""
    with _one_writer(database), database.unit_of_work(immediate=True) as session:
        return close_session_if_done(session, session_id)


def probe_lot(database: Database, lot_id: int) -> object:
    """What identifies a lot's stored state (its version, closed, its session's status): one
    statement, in a unit of its own, for live listeners to poll."""
    with database.unit_of_work() as session:
        return LotRepository(session).version(lot_id)


def lot_view(database: Database, viewer: Viewer, lot_id: int, clock: Clock) -> LotView:
    """A lot as a viewer sees it, closed first if its end has passed (by the grace)."""
    with database.unit_of_work() as session:
        view = AuctionService(session, viewer, clock).lot_view(lot_id)
    if not is_closable(view.lot, view.now):
        return view
    close_lot_if_due(database, lot_id, clock, viewer.user_id or None)
    with database.unit_of_work() as session:
        return AuctionService(session, viewer, clock).lot_view(lot_id)


def read_lot(database: Database, viewer: Viewer, lot_id: int, clock: Clock) -> LotOut:
    """A lot for a viewer, closed first if its end has passed."""
    return present_lot(lot_view(database, viewer, lot_id, clock), staff=viewer.is_staff)


class PublicViews:
    """The lot as visitors see it, read once per stored state and shared by the event streams
    of this app's visitors and members (staff, who see more, read it all); members' own
    standings are read for all of a lot's listening members at once, in two statements, and
    shared by the renders of one change; presented at each listener's own time, so its status
    and server time are current."""

    def __init__(self, database: Database, *, shared: float = PROBE_SHARED) -> None:
        self.database = database
        self.shared = shared  # seconds a probe is shared for
        self._lock = threading.Lock()
        # One read of a lot's shared state at a time: listeners woken together whose kept
        # copy is stale wait for the first one's read and take it, rather than each reading.
        self._readers: defaultdict[int, threading.Lock] = defaultdict(threading.Lock)
        self._views: dict[int, tuple[object, LotView]] = {}
        self._probes: dict[int, tuple[float, object]] = {}
        # By lot: when each member last rendered it, and the standings read (when, for what).
        self._members: dict[int, dict[int, float]] = {}
        self._standings: dict[int, tuple[float, object, dict[int, Standing]]] = {}

    def probe(self, lot_id: int) -> object:
        """The lot's stored state (`probe_lot`), shared by the listeners that ask within
        `shared` seconds of each other: a change made here wakes them all at once, and
        one reads for all (a change `forget` is told of is read afresh)."""
        if (kept := self.kept_probe(lot_id)) is not NOT_KEPT:
            return kept
        with self._reader(lot_id):
            if (kept := self.kept_probe(lot_id)) is not NOT_KEPT:
                return kept  # read by the listener this one waited for
            now = time.monotonic()
            stored = probe_lot(self.database, lot_id)
            with self._lock:
                self._probes[lot_id] = (now, stored)
        return stored

    def _reader(self, lot_id: int) -> threading.Lock:
        with self._lock:
            return self._readers[lot_id]

    def kept_probe(self, lot_id: int) -> object:
        """The shared probe of the lot if one is fresh, without reading (else `NOT_KEPT`):
        a listener takes it where it is, without a worker thread."""
        now = time.monotonic()
        with self._lock:
            kept = self._probes.get(lot_id)
        return kept[1] if kept is not None and now - kept[0] < self.shared else NOT_KEPT

    def forget(self, lot_id: int) -> None:
        """Drops the shared probe of a lot this app just changed."""
        with self._lock:
            self._probes.pop(lot_id, None)

    def render(
        self, lot_id: int, stored: object, clock: Clock, viewer: Viewer = ANONYMOUS
    ) -> LotOut:
        """The lot as the viewer sees it, for the stored state a probe just found."""
        if viewer.is_staff:
            return read_lot(self.database, viewer, lot_id, clock)
        view = self._public(lot_id, stored, clock)
        if not viewer.is_anonymous:
            assert viewer.user_id is not None
            standing = self._standing(lot_id, stored, view, viewer.user_id)
            view = with_standing(view, standing, view.now)
        return present_lot(view, staff=False)

    def _public(self, lot_id: int, stored: object, clock: Clock) -> LotView:
        # The lot as visitors see it for this stored state: kept, or read once for all.
        if (kept := self._kept_view(lot_id, stored, clock)) is not None:
            return kept
        with self._reader(lot_id):
            if (kept := self._kept_view(lot_id, stored, clock)) is not None:
                return kept  # read by the listener this one waited for
            view = lot_view(self.database, ANONYMOUS, lot_id, clock)
            with self._lock:
                self._views[lot_id] = (stored, view)
            return view

    def _kept_view(self, lot_id: int, stored: object, clock: Clock) -> LotView | None:
        with self._lock:
            kept = self._views.get(lot_id)
        now = clock()
        if kept is None or kept[0] != stored or is_closable(kept[1].lot, now):
            return None
        return replace(kept[1], now=now)

    def kept_render(
        self, lot_id: int, stored: object, clock: Clock, viewer: Viewer = ANONYMOUS
    ) -> LotOut | None:
        """The lot as `render` gives it when that needs no read (the shared view, and the
        member's shared standing, are kept for this stored state), else None: a listener
        renders it where it is, without a worker thread."""
        if viewer.is_staff:
            return None
        now, moment = clock(), time.monotonic()
        with self._lock:
            kept = self._views.get(lot_id)
            standings = self._standings.get(lot_id)
            if not viewer.is_anonymous and viewer.user_id in self._members.get(lot_id, {}):
                self._members[lot_id][viewer.user_id] = moment
        if kept is None or kept[0] != stored or is_closable(kept[1].lot, now):
            return None
        view = replace(kept[1], now=now)
        if not viewer.is_anonymous:
            if (
                standings is None
                or standings[1] != stored
                or moment - standings[0] >= self.shared
                or viewer.user_id not in standings[2]
            ):
                return None
            view = with_standing(view, standings[2][viewer.user_id], now)
        return present_lot(view, staff=False)

    def _standing(self, lot_id: int, stored: object, public: LotView, user_id: int) -> Standing:
        # The standings of the lot's members who listened lately, read in one unit for all of
        # them and shared like a probe: a change wakes its listeners together, and one reads.
        now = time.monotonic()
        with self._lock:
            members = self._members.setdefault(lot_id, {})
            members[user_id] = now
            kept = self._standings.get(lot_id)
        if _fresh(kept, stored, now, self.shared, user_id):
            assert kept is not None
            return kept[2][user_id]
        with self._reader(lot_id):  # one read for the members woken together
            with self._lock:
                kept = self._standings.get(lot_id)
                listening = [u for u, at in members.items() if now - at < MEMBERS_KEPT]
            if _fresh(kept, stored, now, self.shared, user_id):
                assert kept is not None
                return kept[2][user_id]  # read by the listener this one waited for
            with self.database.unit_of_work() as session:
                table = AuctionService(session, ANONYMOUS).standings(public, listening)
            kept = (now, stored, {u: table.get(u, Standing(None, None)) for u in listening})
            with self._lock:
                self._standings[lot_id] = kept
                for gone in [u for u, at in members.items() if now - at >= MEMBERS_KEPT]:
                    del members[gone]
        return kept[2][user_id]


def _fresh(
    kept: tuple[float, object, dict[int, Standing]] | None,
    stored: object,
    now: float,
    shared: float,
    user_id: int,
) -> bool:
    """Whether standings read for others serve this member now: read for the same stored
    state, within the shared time, with this member among them."""
    return kept is not None and kept[1] == stored and now - kept[0] < shared and user_id in kept[2]
