"""The bid path: one locked unit of work decides, stores and audits each attempt.

The caller opens the unit with the write lock taken up front (SQLite: BEGIN IMMEDIATE) and
commits it before answering; `BidService.place` locks the lot row (PostgreSQL), replays a
retried Idempotency-Key, applies the pure rules and records the attempt, accepted or not.
A refused attempt is returned rather than raised, so its audit entry is committed too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from factorlink.auction import rules
from factorlink.auction.clock import Clock, system_clock
from factorlink.auction.closing import close_if_due, close_sold_outright
from factorlink.auction.models import (
    AuctionSession,
    AuditEntry,
    Bid,
    Bidder,
    BidderStatus,
    Lot,
    SessionStatus,
)
from factorlink.auction.money import wan_text
from factorlink.auction.repository import (
    AuditRepository,
    BidderRepository,
    BidRepository,
    LotRepository,
    SessionRepository,
)
from factorlink.auction.terms import lot_state, lot_terms, store_state
from factorlink.auth import access
from factorlink.auth.viewer import Viewer
from factorlink.errors import (
    Conflict,
    FactorLinkError,
    NotFound,
    PermissionDenied,
)


@dataclass(frozen=True)
class Attempt:
    """The outcome of one bid request: the stored bid, or why it was refused."""

    bid: Bid | None = None
    refusal: FactorLinkError | None = None
    replayed: bool = False


def request_hash(lot_id: int, amount_yuan: int) -> str:
    """What a retry must repeat exactly to be the same bid."""
    return hashlib.sha256(f"{lot_id}:{amount_yuan}".encode()).hexdigest()


class BidService:
    """Places bids for one viewer, at the time its clock gives."""

    def __init__(self, session: Session, viewer: Viewer, clock: Clock = system_clock) -> None:
        self.session = session
        self.viewer = viewer
        self.clock = clock
        self.lots = LotRepository(session)
        self.bids = BidRepository(session)
        self.audit = AuditRepository(session)

    def place(self, lot_id: int, amount_yuan: int, key: str) -> Attempt:
        """Bids a (proxy) maximum on a lot; the answer is stored with the bid for retries."""
        user_id = access.require_user(self.viewer)
        lot = self.lots.get_for_update(lot_id)
        auction = SessionRepository(self.session).get(lot.session_id) if lot else None
        if lot is None or auction is None or auction.status == SessionStatus.draft:
            raise NotFound(f"拍品{lot_id}不存在", message_en=f"lot {lot_id} not found")
        now = self.clock()
        bidder = BidderRepository(self.session).of_user(auction.id, user_id)
        digest = request_hash(lot.id, amount_yuan)
        if bidder is not None:
            earlier = self.bids.by_key(bidder.id, key)
            if earlier is not None:
                return self._replay(lot, bidder, earlier, digest, amount_yuan, key, now)
        close_if_due(self.session, lot, auction, now, self.viewer.user_id)
        # A closed lot refuses as closed, whoever bids; otherwise admission comes first.
        admission = _admission(auction, bidder) if lot.closed_at is None else None
        if admission is not None:
            return self._refuse(lot, bidder, amount_yuan, key, now, admission[1], admission[0])
        try:
            bidder_id = bidder.id if bidder is not None else 0
            state = rules.place(
                lot_terms(lot, auction), lot_state(lot), bidder_id, amount_yuan, now
            )
        except rules.Refusal as exc:
            return self._refuse(lot, bidder, amount_yuan, key, now, _error(exc), exc.code)
        assert bidder is not None  # admitted
        bid = self._accept(lot, bidder, state, amount_yuan, key, digest, now)
        if state.closed:
            close_sold_outright(self.session, lot, auction, now, self.viewer.user_id)
        return Attempt(bid=bid)

    def _accept(
        self,
        lot: Lot,
        bidder: Bidder,
        state: rules.State,
        amount_yuan: int,
        key: str,
        digest: str,
        now: datetime,
    ) -> Bid:
        label = self.bids.label_of(lot.id, bidder.id)
        if label is None:
            label = rules.bidder_label(lot.bidder_count)
            lot.bidder_count += 1
        extended = state.end_at != lot.end_at
        store_state(lot, state)
        lot.leader_label = label if state.leader == bidder.id else lot.leader_label
        assert state.price is not None
        bid = self.bids.add(
            Bid(
                lot_id=lot.id,
                bidder_id=bidder.id,
                label=label,
                max_yuan=amount_yuan,
                price_after_yuan=state.price,
                leading_after=state.leader == bidder.id,
                end_at_after=state.end_at,
                extended=extended,
                placed_at=now,
                idempotency_key=key,
                request_hash=digest,
            )
        )
        self._log(lot, bidder, amount_yuan, key, now, "accepted", bid_id=bid.id)
        return bid

    def _replay(
        self,
        lot: Lot,
        bidder: Bidder,
        earlier: Bid,
        digest: str,
        amount_yuan: int,
        key: str,
        now: datetime,
    ) -> Attempt:
        if earlier.request_hash != digest:
            refusal = Conflict(
                "该 Idempotency-Key 已用于另一笔出价;新的出价请换一个新的 Key",
                message_en="this Idempotency-Key was used for a different bid; use a new key",
                errors=[
                    {
                        "field": "Idempotency-Key",
                        "reason": "已用于另一笔出价",
                        "reason_en": "already used for a different bid",
                    }
                ],
            )
            return self._refuse(lot, bidder, amount_yuan, key, now, refusal, "key_reused")
        self._log(lot, bidder, amount_yuan, key, now, "replayed", bid_id=earlier.id)
        return Attempt(bid=earlier, replayed=True)

    def _refuse(
        self,
        lot: Lot,
        bidder: Bidder | None,
        amount_yuan: int,
        key: str,
        now: datetime,
        refusal: FactorLinkError,
        code: str,
    ) -> Attempt:
        self._log(lot, bidder, amount_yuan, key, now, "rejected", code=code, reason=refusal)
        return Attempt(refusal=refusal)

    def _log(
        self,
        lot: Lot,
        bidder: Bidder | None,
        amount_yuan: int,
        key: str,
        now: datetime,
        event: str,
        *,
        bid_id: int | None = None,
        code: str | None = None,
        reason: FactorLinkError | None = None,
    ) -> None:
        self.audit.add(
            AuditEntry(
                lot_id=lot.id,
                at=now,
                event=event,
                user_id=self.viewer.user_id or None,
                bidder_id=bidder.id if bidder else None,
                bid_id=bid_id,
                amount_yuan=amount_yuan,
                price_after_yuan=lot.price_yuan,
                idempotency_key=key,
                reason_code=code,
                reason=reason.message if reason else None,
            )
        )


def _admission(
    auction: AuctionSession, bidder: Bidder | None
) -> tuple[str, FactorLinkError] | None:
    if bidder is None:
        return "not_registered", PermissionDenied(
            "请先报名参加本场拍卖会,经运营人员确认保证金后方可出价",
            message_en="register for this auction session first; bids need an approved deposit",
        )
    if bidder.status != BidderStatus.approved:
        return "not_approved", PermissionDenied(
            "您的竞买报名尚未通过审核(保证金待确认),暂不能出价",
            message_en="your registration is not approved yet (deposit unconfirmed)",
        )
    if auction.status != SessionStatus.open:
        return "session_not_open", Conflict(
            "本场拍卖会未在进行中", message_en="this auction session is not open"
        )
    return None


def _error(refusal: rules.Refusal) -> FactorLinkError:
    errors = [{"field": "amount_wan", "reason": refusal.message, "reason_en": refusal.message_en}]
    if refusal.minimum is not None:
        errors[0]["minimum_wan"] = wan_text(refusal.minimum)
    return Conflict(refusal.message, message_en=refusal.message_en, errors=errors)
