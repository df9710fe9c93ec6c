"""Closing lots: once the end has passed by CLOSE_GRACE, by command or lazily on the next read
or bid; and closing a session once its last lot has closed.

Bids are judged by when they were received, so a bid received just before the end may still be
waiting for its lot's lock (in this process or another) when the end passes: a lot is closed
only CLOSE_GRACE after its end, when no such bid can still be waiting. In between it shows as
"closing" and refuses bids received after the end.

A session closes in the unit of work that closes its last lot. Two lots of a session closing at
once (PostgreSQL, READ COMMITTED) would each see the other still open; so the closing unit locks
the session row first (SELECT … FOR UPDATE) and counts the open lots after the lock, when the
other's commit is visible. `close_session_if_done` repairs a session left open by older code.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from factorlink.auction import rules
from factorlink.auction.models import AuctionSession, AuditEntry, Lot, LotResult, SessionStatus
from factorlink.auction.repository import (
    AuditRepository,
    BidderRepository,
    LotRepository,
    ResultRepository,
    SessionRepository,
)
from factorlink.auction.settlement import settle
from factorlink.auction.terms import lot_state, lot_terms

CLOSE_GRACE = timedelta(seconds=2)


def is_closable(lot: Lot, now: datetime) -> bool:
    """Tells whether an open lot's end passed long enough ago for no bid to be waiting."""
    return lot.closed_at is None and now >= lot.end_at + CLOSE_GRACE


def close_if_due(
    session: Session, lot: Lot, auction: AuctionSession, now: datetime, user_id: int | None
) -> LotResult | None:
    """Closes a locked lot whose end has passed (or that sold outright); returns its result."""
    results = ResultRepository(session)
    if lot.closed_at is not None:
        return results.of_lot(lot.id)
    state = lot_state(lot)
    if not rules.is_due(state, now):
        return None
    _, outcome = rules.close(lot_terms(lot, auction), state)
    return _record(session, lot, auction, outcome, now, user_id)


def close_sold_outright(
    session: Session, lot: Lot, auction: AuctionSession, at: datetime, user_id: int | None
) -> LotResult:
    """Closes a single-offer lot the moment its one offer is accepted."""
    _, outcome = rules.close(lot_terms(lot, auction), lot_state(lot))
    return _record(session, lot, auction, outcome, at, user_id)


def _record(
    session: Session,
    lot: Lot,
    auction: AuctionSession,
    outcome: rules.Outcome,
    at: datetime,
    user_id: int | None,
) -> LotResult:
    lot.closed_at = at
    lot.version += 1
    result = LotResult(
        lot_id=lot.id,
        sold=outcome.sold,
        hammer_yuan=outcome.price,
        premium_yuan=outcome.premium,
        winner_bidder_id=outcome.winner,
        winner_label=lot.leader_label if outcome.sold else None,
        closed_at=at,
    )
    if outcome.sold and outcome.winner is not None and outcome.price is not None:
        winner = BidderRepository(session).get(outcome.winner)
        assert winner is not None
        result.introduction_id = settle(session, lot, winner, outcome.price, at)
    ResultRepository(session).add(result)
    AuditRepository(session).add(
        AuditEntry(
            lot_id=lot.id,
            at=at,
            event="sold" if outcome.sold else "unsold",
            user_id=user_id,
            bidder_id=outcome.winner,
            price_after_yuan=outcome.price,
        )
    )
    _close_session_when_done(session, auction)
    return result


def _close_session_when_done(session: Session, auction: AuctionSession) -> None:
    if auction.status != SessionStatus.open:
        return
    session.flush()  # this lot's close, before the count
    close_session_if_done(session, auction.id)


def close_session_if_done(session: Session, session_id: int) -> bool:
    """Closes an open session none of whose lots is still open, under the session row's lock
    (the lots' state is read after it); tells whether it did."""
    auction = SessionRepository(session).get_for_update(session_id)
    if auction is None or auction.status != SessionStatus.open:
        return False
    if LotRepository(session).due(auction.id):
        return False
    auction.status = SessionStatus.closed
    session.flush()
    return True
