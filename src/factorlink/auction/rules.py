"""The rules of an English ascending auction with proxy bids (pure; money in whole 元).

A bid is a hidden maximum: the system bids the least needed for its leader, so the price is
min(top maximum, second maximum + increment(second maximum)); equal maximums go to the earlier
bid. The first bid opens at the starting price. A hidden reserve (保留价) is never sold below:
once the top maximum reaches it, the price rises to at least the reserve. An accepted bid in the
last N minutes that changes the price or the leader moves the end to bid time + N (anti-sniping,
as on the judicial platforms); a leader raising only their own hidden maximum moves nothing, so
no one can keep a lot open by nudging it. The end never moves backwards.
Single-offer lots (挂牌) sell at the starting price to the first bid before the window closes.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import pairwise

DEFAULT_EXTENSION = timedelta(minutes=5)


@dataclass(frozen=True)
class Band:
    """From `floor` (元, inclusive) upwards, bids rise by at least `step` (元)."""

    floor: int
    step: int


# 万元 bands of the corridor's offline auctions, in 元.
DEFAULT_BANDS: tuple[Band, ...] = (
    Band(0, 10_000),
    Band(500_000, 20_000),
    Band(1_000_000, 50_000),
    Band(2_000_000, 100_000),
    Band(5_000_000, 200_000),
    Band(10_000_000, 500_000),
)


@dataclass(frozen=True)
class Terms:
    """What a lot is offered on; fixed once bidding starts."""

    start: int
    opens_at: datetime
    bands: tuple[Band, ...] = DEFAULT_BANDS
    reserve: int | None = None
    single_offer: bool = False
    extension: timedelta = DEFAULT_EXTENSION


@dataclass(frozen=True)
class State:
    """Where a lot stands: price, leader (a bidder id), the two highest hidden maximums."""

    end_at: datetime
    price: int | None = None
    leader: int | None = None
    leader_max: int | None = None
    runner_up_max: int | None = None
    bids: int = 0
    extensions: int = 0
    closed: bool = False


@dataclass(frozen=True)
class Outcome:
    """How a closed lot ended: sold (to `winner` at `price`) or not."""

    sold: bool
    price: int | None
    winner: int | None
    premium: int | None


class Refusal(Exception):
    """A bid the rules refuse; `code` names the rule, `minimum` the least acceptable bid."""

    def __init__(self, code: str, message: str, message_en: str, minimum: int | None = None):
        super().__init__(message_en)
        self.code = code
        self.message = message
        self.message_en = message_en
        self.minimum = minimum


class BandProblem(enum.StrEnum):
    """What makes an increment table unusable (the messages are built from it in setup.py)."""

    empty = "empty"
    first_floor_not_zero = "first_floor_not_zero"
    step_not_positive = "step_not_positive"
    floors_not_increasing = "floors_not_increasing"


def check_bands(bands: Sequence[Band]) -> BandProblem | None:
    """Returns what is wrong with an increment table, or None if it is usable."""
    if not bands:
        return BandProblem.empty
    if bands[0].floor != 0:
        return BandProblem.first_floor_not_zero
    if any(b.step <= 0 for b in bands):
        return BandProblem.step_not_positive
    if any(a.floor >= b.floor for a, b in pairwise(bands)):
        return BandProblem.floors_not_increasing
    return None


def increment(bands: Sequence[Band], price: int) -> int:
    """The step above `price`: that of the highest band whose floor is at or below it."""
    step = bands[0].step
    for band in bands:
        if band.floor > price:
            break
        step = band.step
    return step


def minimum_bid(terms: Terms, state: State) -> int:
    """The least maximum a new bid may carry."""
    if state.price is None or terms.single_offer:
        return terms.start
    return state.price + increment(terms.bands, state.price)


def is_open(terms: Terms, state: State, at: datetime) -> bool:
    """Tells whether bids are taken at `at`."""
    return not state.closed and terms.opens_at <= at < state.end_at


def is_due(state: State, now: datetime) -> bool:
    """Tells whether a lot still open should be closed now."""
    return not state.closed and now >= state.end_at


def place(terms: Terms, state: State, bidder: int, amount: int, at: datetime) -> State:
    """The state after `bidder` bids a maximum of `amount` at `at`; raises Refusal."""
    _check_window(terms, state, at)
    minimum = minimum_bid(terms, state)
    if amount < minimum:
        raise Refusal(
            "too_low",
            f"出价须不低于{_wan(minimum)}万元",
            f"the bid must be at least {minimum} yuan",
            minimum,
        )
    if state.leader == bidder and state.leader_max is not None and amount <= state.leader_max:
        raise Refusal(
            "not_above_own_max",
            f"您已领先,新的最高出价须高于您原来的{_wan(state.leader_max)}万元",
            "you lead already; a new maximum must exceed your previous one",
            state.leader_max + 1,
        )
    if terms.single_offer:
        return replace(
            state, price=terms.start, leader=bidder, leader_max=amount, bids=1, closed=True
        )
    competed = _compete(terms, state, bidder, amount)
    if (competed.price, competed.leader) == (state.price, state.leader):
        return competed  # only the leader's hidden maximum moved: the end stays
    return _extend(terms, competed, at)


def _check_window(terms: Terms, state: State, at: datetime) -> None:
    if state.closed or at >= state.end_at:
        raise Refusal("closed", "该拍品竞价已结束", "bidding on this lot has ended")
    if at < terms.opens_at:
        raise Refusal("not_open", "该拍品尚未开始竞价", "bidding on this lot has not started")


def _compete(terms: Terms, state: State, bidder: int, amount: int) -> State:
    leader, top, second = state.leader, state.leader_max, state.runner_up_max
    if leader is None or top is None:
        leader, top = bidder, amount
    elif leader == bidder:
        top = amount
    elif amount > top:
        leader, top, second = bidder, amount, top
    else:
        # Equal or lower maximum: the earlier bid keeps the lead, pushed up to this one.
        second = amount
    price = terms.start if second is None else min(top, second + increment(terms.bands, second))
    if terms.reserve is not None and top >= terms.reserve:
        price = max(price, terms.reserve)
    return replace(
        state,
        price=price,
        leader=leader,
        leader_max=top,
        runner_up_max=second,
        bids=state.bids + 1,
    )


def _extend(terms: Terms, state: State, at: datetime) -> State:
    # Bids are judged by when they were received, which may be a little before an earlier
    # bid's: the end moves only later, never back.
    if state.end_at - at >= terms.extension:
        return state
    return replace(state, end_at=at + terms.extension, extensions=state.extensions + 1)


def close(terms: Terms, state: State) -> tuple[State, Outcome]:
    """Closes a lot: sold to the leader unless there is none or the reserve is not met."""
    closed = replace(state, closed=True)
    price, winner = state.price, state.leader
    if winner is None or price is None or (terms.reserve is not None and price < terms.reserve):
        return closed, Outcome(sold=False, price=None, winner=None, premium=None)
    return closed, Outcome(sold=True, price=price, winner=winner, premium=price - terms.start)


def replay(terms: Terms, end_at: datetime, bids: Sequence[tuple[int, int, datetime]]) -> State:
    """Rebuilds a lot's state from its accepted bids (bidder, maximum, time), in order."""
    state = State(end_at=end_at)
    for bidder, amount, at in bids:
        state = place(terms, state, bidder, amount, at)
    return state


def bidder_label(index: int) -> str:
    """The anonymous name of a lot's n-th bidder (0-based): A … Z, AA, AB …"""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"竞买人 {letters}"


def _wan(yuan: int) -> str:
    return f"{yuan / 10_000:.4f}".rstrip("0").rstrip(".")
