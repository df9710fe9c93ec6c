"""Between the stored lot and the pure rules: terms and state in, new state out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from factorlink.auction import rules
from factorlink.auction.models import AuctionSession, Lot


def bands_of(stored: list[Any]) -> tuple[rules.Band, ...]:
    """A session's increment table as the rules take it."""
    return tuple(rules.Band(int(floor), int(step)) for floor, step in stored)


def lot_terms(lot: Lot, auction: AuctionSession) -> rules.Terms:
    """The terms a lot is offered on."""
    return rules.Terms(
        start=lot.start_yuan,
        opens_at=lot.opens_at,
        bands=bands_of(auction.bands),
        reserve=lot.reserve_yuan,
        single_offer=lot.single_offer,
        extension=timedelta(minutes=auction.extension_minutes),
    )


def lot_state(lot: Lot) -> rules.State:
    """Where the stored lot stands."""
    return rules.State(
        end_at=lot.end_at,
        price=lot.price_yuan,
        leader=lot.leader_bidder_id,
        leader_max=lot.leader_max_yuan,
        runner_up_max=lot.runner_up_max_yuan,
        bids=lot.bid_count,
        extensions=lot.extension_count,
        closed=lot.closed_at is not None,
    )


def store_state(lot: Lot, state: rules.State) -> None:
    """Writes the rules' new state onto the lot and counts the change."""
    lot.end_at = state.end_at
    lot.price_yuan = state.price
    lot.leader_bidder_id = state.leader
    lot.leader_max_yuan = state.leader_max
    lot.runner_up_max_yuan = state.runner_up_max
    lot.bid_count = state.bids
    lot.extension_count = state.extensions
    lot.version += 1
