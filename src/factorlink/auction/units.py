"""The units of work the auction's endpoints and commands open themselves.

A bid, and closing a lot, read the lot, decide and write: they run in a unit that holds the
write lock from its start (SQLite BEGIN IMMEDIATE; PostgreSQL locks the lot row), and are
committed before anyone is answered. Other readers resolve the viewer in a short unit of its
own first, so a request never holds two connections at once.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError, OperationalError

from factorlink.auction.bidding import Attempt, BidService
from factorlink.auction.clock import Clock
from factorlink.auction.closing import close_if_due
from factorlink.auction.presenter import present_lot, present_receipt
from factorlink.auction.repository import LotRepository, SessionRepository
from factorlink.auction.schemas import BidReceiptOut, LotOut
from factorlink.auction.service import AuctionService
from factorlink.auth.service import viewer_for_token
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
from factorlink.errors import Conflict, FactorLinkError


class Busy(FactorLinkError):
    """The lot's lock could not be had in time; the same Idempotency-Key may be retried."""

    status, code, title = 503, "busy", "Busy"


@dataclass(frozen=True)
class BidAnswer:
    """What the bid endpoint answers, after the commit."""

    receipt: BidReceiptOut | None
    refusal: FactorLinkError | None
    replayed: bool


_writers: weakref.WeakKeyDictionary[Database, threading.Lock] = weakref.WeakKeyDictionary()
_writers_guard = threading.Lock()


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


def place_bid(
    database: Database, token: str | None, lot_id: int, amount_yuan: int, key: str, clock: Clock
) -> BidAnswer:
    """Places a bid in one locked unit of work and returns the answer once it is committed.

    The bidder's token is checked inside the same unit: one commit per bid, not two.
    """
    try:
        with _one_writer(database), database.unit_of_work(immediate=True) as session:
            viewer = viewer_for_token(session, token)
            attempt: Attempt = BidService(session, viewer, clock).place(lot_id, amount_yuan, key)
            receipt = present_receipt(attempt.bid) if attempt.bid is not None else None
    except IntegrityError:
        # Two requests raced with one key on two lots: the unique key let one through.
        raise Conflict(
            "该 Idempotency-Key 已用于另一笔出价",
            message_en="this Idempotency-Key was used for a different bid",
        ) from None
    except OperationalError as exc:
        if "locked" not in str(exc.orig):
            raise
        raise Busy(
            "出价人数较多,请用同一 Idempotency-Key 重试",
            message_en="the lot is busy; retry with the same Idempotency-Key",
            headers={"Retry-After": "1"},
        ) from None
    return BidAnswer(receipt, attempt.refusal, attempt.replayed)


def close_lot_if_due(database: Database, lot_id: int, clock: Clock, user_id: int | None) -> bool:
    """Closes a lot whose end has passed (checked cheaply first); tells whether it did."""
    with database.unit_of_work() as session:
        lot = LotRepository(session).get(lot_id)
        if lot is None or lot.closed_at is not None or clock() < lot.end_at:
            return False
    with _one_writer(database), database.unit_of_work(immediate=True) as session:
        lot = LotRepository(session).get_for_update(lot_id)
        auction = SessionRepository(session).get(lot.session_id) if lot else None
        if lot is None or auction is None or auction.status == "draft":
            return False
        return close_if_due(session, lot, auction, clock(), user_id) is not None


def probe_lot(database: Database, lot_id: int) -> object:
    """What identifies a lot's stored state (its version, closed, its session's status): one
    statement, in a unit of its own, for live listeners to poll."""
    with database.unit_of_work() as session:
        return LotRepository(session).version(lot_id)


def read_lot(database: Database, viewer: Viewer, lot_id: int, clock: Clock) -> LotOut:
    """A lot for a viewer, closed first if its end has passed."""
    close_lot_if_due(database, lot_id, clock, viewer.user_id or None)
    with database.unit_of_work() as session:
        service = AuctionService(session, viewer, clock)
        return present_lot(service.lot_view(lot_id), staff=viewer.is_staff)
