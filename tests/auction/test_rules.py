"""The pure auction rules: increment bands, proxy bids, ties, reserve, anti-sniping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from factorlink.auction import rules
from factorlink.auction.rules import Band, BandProblem, Refusal, State, Terms

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
END = T0 + timedelta(hours=1)
WAN = 10_000
BANDS = (Band(0, 1 * WAN), Band(100 * WAN, 5 * WAN), Band(200 * WAN, 10 * WAN))


def terms(**changes: object) -> Terms:
    base = Terms(start=200 * WAN, opens_at=T0, bands=BANDS)
    return Terms(**{**base.__dict__, **changes})


@pytest.mark.parametrize(
    ("price", "step"),
    [
        (0, 1 * WAN),
        (100 * WAN - 1, 1 * WAN),
        (100 * WAN, 5 * WAN),
        (100 * WAN + 1, 5 * WAN),
        (200 * WAN - 1, 5 * WAN),
        (200 * WAN, 10 * WAN),
        (10**12, 10 * WAN),
    ],
)
def test_increment_band_boundaries(price: int, step: int) -> None:
    assert rules.increment(BANDS, price) == step


def test_minimum_bid_crosses_into_the_next_band() -> None:
    t = terms(start=99 * WAN)
    state = rules.place(t, State(end_at=END), 1, 99 * WAN, T0)
    assert rules.minimum_bid(t, state) == 100 * WAN  # 99万 + 1万, in the 1万 band
    state = rules.place(t, state, 2, 100 * WAN, T0)
    assert (state.price, state.leader) == (100 * WAN, 2)  # 99万 + the 1万 step
    assert rules.minimum_bid(t, State(end_at=END, price=100 * WAN)) == 105 * WAN


@pytest.mark.parametrize(
    ("bands", "problem"),
    [
        ((), BandProblem.empty),
        ((Band(1, 5),), BandProblem.first_floor_not_zero),
        ((Band(0, 5), Band(10, 0)), BandProblem.step_not_positive),
        ((Band(0, 5), Band(0, 6)), BandProblem.floors_not_increasing),
        ((Band(0, 5), Band(20, 6), Band(10, 7)), BandProblem.floors_not_increasing),
    ],
)
def test_bad_increment_tables_are_named(bands: tuple[Band, ...], problem: BandProblem) -> None:
    assert rules.check_bands(bands) == problem
    assert rules.check_bands(BANDS) is None


def test_proxy_bidding_pays_one_step_over_the_second_maximum() -> None:
    t = terms()
    state = rules.place(t, State(end_at=END), 1, 300 * WAN, T0)
    assert (state.price, state.leader) == (200 * WAN, 1)
    state = rules.place(t, state, 2, 250 * WAN, T0)
    assert (state.price, state.leader) == (260 * WAN, 1)  # 250万 + 10万
    state = rules.place(t, state, 2, 320 * WAN, T0)
    assert (state.price, state.leader, state.leader_max) == (310 * WAN, 2, 320 * WAN)


def test_equal_maximums_go_to_the_earlier_bid() -> None:
    t = terms()
    state = rules.place(t, State(end_at=END), 1, 200 * WAN, T0)
    state = rules.place(t, state, 2, 260 * WAN, T0)
    state = rules.place(t, state, 3, 260 * WAN, T0 + timedelta(seconds=1))
    assert (state.leader, state.price) == (2, 260 * WAN)


def test_refusals_name_the_rule_and_the_minimum() -> None:
    t = terms()
    state = rules.place(t, State(end_at=END), 1, 300 * WAN, T0)
    with pytest.raises(Refusal) as low:
        rules.place(t, state, 2, 205 * WAN, T0)
    assert (low.value.code, low.value.minimum) == ("too_low", 210 * WAN)
    with pytest.raises(Refusal) as own:
        rules.place(t, state, 1, 300 * WAN, T0)
    assert own.value.code == "not_above_own_max"
    with pytest.raises(Refusal) as early:
        rules.place(t, State(end_at=END), 1, 300 * WAN, T0 - timedelta(seconds=1))
    assert early.value.code == "not_open"
    with pytest.raises(Refusal) as late:
        rules.place(t, State(end_at=END), 1, 300 * WAN, END)
    assert late.value.code == "closed"


def test_a_bid_in_the_last_minutes_moves_the_end() -> None:
    t = terms()
    at = END - timedelta(minutes=4, seconds=59)
    state = rules.place(t, State(end_at=END), 1, 200 * WAN, at)
    assert (state.end_at, state.extensions) == (at + timedelta(minutes=5), 1)
    calm = rules.place(t, State(end_at=END), 1, 200 * WAN, END - timedelta(minutes=5))
    assert (calm.end_at, calm.extensions) == (END, 0)


def test_no_sale_below_the_reserve_and_the_price_rises_to_meet_it() -> None:
    t = terms(reserve=250 * WAN)
    state = rules.place(t, State(end_at=END), 1, 240 * WAN, T0)
    assert state.price == 200 * WAN
    _, outcome = rules.close(t, state)
    assert outcome == rules.Outcome(sold=False, price=None, winner=None, premium=None)
    state = rules.place(t, state, 2, 280 * WAN, T0)
    assert (state.price, state.leader) == (250 * WAN, 2)
    closed, outcome = rules.close(t, state)
    assert closed.closed and outcome == rules.Outcome(True, 250 * WAN, 2, 50 * WAN)


def test_single_offer_lot_sells_at_the_start_to_the_first_bid() -> None:
    t = terms(single_offer=True)
    state = rules.place(t, State(end_at=END), 7, 200 * WAN, T0)
    assert (state.price, state.leader, state.closed) == (200 * WAN, 7, True)
    with pytest.raises(Refusal):
        rules.place(t, state, 8, 210 * WAN, T0)


def test_replay_rebuilds_the_state() -> None:
    t = terms()
    bids = [(1, 300 * WAN, T0), (2, 250 * WAN, T0), (2, 400 * WAN, END - timedelta(minutes=1))]
    state = rules.replay(t, END, bids)
    assert (state.price, state.leader, state.bids, state.extensions) == (310 * WAN, 2, 3, 1)


@pytest.mark.parametrize(("index", "label"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB")])
def test_bidder_labels(index: int, label: str) -> None:
    assert rules.bidder_label(index) == f"竞买人 {label}"


def test_a_leader_raising_only_their_own_maximum_does_not_extend() -> None:
    t = terms()
    state = rules.place(t, State(end_at=END), 1, 250 * WAN, T0)
    state = rules.place(t, state, 2, 220 * WAN, T0)  # price 230万, 1 leads
    late = END - timedelta(minutes=1)
    nudged = rules.place(t, state, 1, 250 * WAN + 1, late)  # one 元 more, nothing else moves
    assert (nudged.end_at, nudged.extensions, nudged.price) == (END, 0, state.price)
    assert nudged.leader_max == 250 * WAN + 1
    # A bid that changes the price (the runner-up pushing) or the leader does extend.
    pushed = rules.place(t, nudged, 2, 240 * WAN, late)
    assert (pushed.end_at, pushed.extensions) == (late + timedelta(minutes=5), 1)
    overtaken = rules.place(t, pushed, 2, 300 * WAN, pushed.end_at - timedelta(minutes=1))
    assert overtaken.leader == 2 and overtaken.extensions == 2


def test_a_bid_received_before_an_extending_one_never_moves_the_end_back() -> None:
    t = terms()
    late = END - timedelta(minutes=1)
    state = rules.place(t, State(end_at=END), 1, 250 * WAN, late)
    earlier = late - timedelta(seconds=2)  # received before, decided after
    state = rules.place(t, state, 2, 300 * WAN, earlier)
    assert state.end_at == late + timedelta(minutes=5)
