"""Turns auction rows into API shapes; bidders never see the reserve or anyone's maximum."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from factorlink.auction import rules
from factorlink.auction.models import AuctionSession, AuditEntry, Bid, Bidder
from factorlink.auction.money import to_wan
from factorlink.auction.schemas import (
    AuditOut,
    BandOut,
    BidderOut,
    BidOut,
    BidReceiptOut,
    LotOut,
    LotStatus,
    MineOut,
    OwnStatus,
    ResultOut,
    SessionOut,
)
from factorlink.auction.service import LotView
from factorlink.auction.terms import bands_of, lot_state, lot_terms
from factorlink.reference import city_name, industry_name


def lot_status(view: LotView) -> LotStatus:
    """Where the lot stands at the view's time."""
    lot = view.lot
    if lot.closed_at is not None:
        return "closed"
    if view.now >= lot.end_at:
        return "closing"  # due; closed by the next read, bid or `factorlink auction close`
    return "open" if view.now >= lot.opens_at and view.auction.status == "open" else "upcoming"


def present_lot(view: LotView, *, staff: bool) -> LotOut:
    """A lot for one viewer, with their own standing."""
    lot, status = view.lot, lot_status(view)
    terms, state = lot_terms(lot, view.auction), lot_state(lot)
    price = lot.price_yuan if lot.price_yuan is not None else lot.start_yuan
    return LotOut(
        id=lot.id,
        session_id=lot.session_id,
        number=lot.number,
        title=lot.title,
        achievement_id=lot.achievement_id,
        achievement_code=lot.achievement_code,
        city=lot.city,
        city_name=city_name(lot.city) if lot.city else None,
        industry=lot.industry,
        industry_name=industry_name(lot.industry) if lot.industry else None,
        start_price_wan=lot.start_yuan / 10_000,
        appraised_price_wan=to_wan(lot.appraised_yuan),
        deposit_wan=lot.deposit_yuan / 10_000,
        single_offer=lot.single_offer,
        extension_minutes=view.auction.extension_minutes,
        opens_at=lot.opens_at,
        closes_at=lot.closes_at,
        end_at=lot.end_at,
        status=status,
        price_wan=to_wan(lot.price_yuan),
        leader_label=lot.leader_label,
        bid_count=lot.bid_count,
        bidder_count=lot.bidder_count,
        extension_count=lot.extension_count,
        next_minimum_wan=to_wan(rules.minimum_bid(terms, state)) if status != "closed" else None,
        increment_wan=rules.increment(terms.bands, price) / 10_000,
        version=lot.version,
        server_time=view.now,
        mine=_mine(view),
        result=_result(view, staff=staff),
        reserve_price_wan=to_wan(lot.reserve_yuan) if staff else None,
    )


def _mine(view: LotView) -> MineOut | None:
    bidder = view.bidder
    if bidder is None:
        return None
    return MineOut(
        registered=True,
        bidder_status=bidder.status,
        label=_own_label(view),
        status=_own_status(view),
        max_wan=to_wan(view.own_max_yuan),
    )


def _own_label(view: LotView) -> str | None:
    if view.bidder is not None and view.lot.leader_bidder_id == view.bidder.id:
        return view.lot.leader_label
    return view.own_label


def _own_status(view: LotView) -> OwnStatus:
    bidder, lot = view.bidder, view.lot
    if bidder is None or view.own_max_yuan is None:
        return "none"
    if view.result is not None:
        return "won" if view.result.winner_bidder_id == bidder.id else "lost"
    return "leading" if lot.leader_bidder_id == bidder.id else "outbid"


def _result(view: LotView, *, staff: bool) -> ResultOut | None:
    result = view.result
    if result is None:
        return None
    pct = None
    if result.hammer_yuan is not None and result.premium_yuan is not None:
        start = result.hammer_yuan - result.premium_yuan
        pct = round(result.premium_yuan / start * 100, 2) if start else None
    return ResultOut(
        sold=result.sold,
        hammer_price_wan=to_wan(result.hammer_yuan),
        premium_wan=to_wan(result.premium_yuan),
        premium_pct=pct,
        winner_label=result.winner_label,
        closed_at=result.closed_at,
        introduction_id=result.introduction_id if staff else None,
        winner_organization=view.winner_organization if staff else None,
    )


def present_session(auction: AuctionSession, lot_count: int) -> dict[str, Any]:
    """A session's own fields (the caller adds lots and the registration)."""
    return SessionOut(
        id=auction.id,
        title=auction.title,
        description=auction.description,
        status=auction.status,
        starts_at=auction.starts_at,
        ends_at=auction.ends_at,
        extension_minutes=auction.extension_minutes,
        bands=[
            BandOut(from_wan=b.floor / 10_000, step_wan=b.step / 10_000)
            for b in bands_of(auction.bands)
        ],
        deposit_wan=auction.deposit_yuan / 10_000,
        lot_count=lot_count,
        city=auction.city,
        city_name=city_name(auction.city) if auction.city else None,
        announcement=auction.announcement,
        rules=auction.rules,
        deposit_instructions=auction.deposit_instructions,
        results_published_at=auction.results_published_at,
    ).model_dump()


def present_bidder(bidder: Bidder, names: dict[str, str | None] | None = None) -> BidderOut:
    """A registration, with the user's and organisation's names where given."""
    names = names or {}
    return BidderOut(
        id=bidder.id,
        session_id=bidder.session_id,
        user_id=bidder.user_id,
        username=names.get("username"),
        organization_id=bidder.organization_id,
        organization_name=names.get("organization"),
        status=bidder.status,
        deposit_wan=to_wan(bidder.deposit_yuan),
        decided_at=bidder.decided_at,
        terms_accepted_at=bidder.terms_accepted_at,
    )


def present_bid(bid: Bid, own_bidder_id: int | None) -> BidOut:
    """A bid in the public history: the price it made, never the hidden maximum."""
    return BidOut(
        id=bid.id,
        label=bid.label,
        price_wan=bid.price_after_yuan / 10_000,
        placed_at=bid.placed_at,
        extended=bid.extended,
        mine=own_bidder_id is not None and bid.bidder_id == own_bidder_id,
    )


class Receipted(Protocol):
    """What a receipt is made from: a stored bid (`Bid`) or one just decided
    (`bidding.NewBid`)."""

    @property
    def id(self) -> int: ...
    @property
    def lot_id(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def max_yuan(self) -> int: ...
    @property
    def price_after_yuan(self) -> int: ...
    @property
    def leading_after(self) -> bool: ...
    @property
    def end_at_after(self) -> datetime: ...
    @property
    def extended(self) -> bool: ...
    @property
    def placed_at(self) -> datetime: ...


def present_receipt(bid: Receipted) -> BidReceiptOut:
    """The stored answer to a bid: the same for every retry."""
    return BidReceiptOut(
        bid_id=bid.id,
        lot_id=bid.lot_id,
        label=bid.label,
        max_wan=bid.max_yuan / 10_000,
        price_wan=bid.price_after_yuan / 10_000,
        leading=bid.leading_after,
        end_at=bid.end_at_after,
        extended=bid.extended,
        placed_at=bid.placed_at,
    )


def present_audit(entry: AuditEntry) -> AuditOut:
    """One audit entry."""
    return AuditOut(
        id=entry.id,
        at=entry.at,
        event=entry.event,
        user_id=entry.user_id,
        bidder_id=entry.bidder_id,
        bid_id=entry.bid_id,
        amount_wan=to_wan(entry.amount_yuan),
        price_after_wan=to_wan(entry.price_after_yuan),
        reason_code=entry.reason_code,
        reason=entry.reason,
    )
