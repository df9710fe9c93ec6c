"""The auction rules against a simple reference model, driven by Hypothesis.

The model keeps every accepted bid and recomputes the lot from scratch each time (highest
maximum wins, earliest on a tie; price one step over the runner-up); the rules update the state
bid by bid. Both must agree after every step, and the invariants must hold throughout.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from factorlink.auction import rules
from factorlink.auction.rules import Band, Refusal, State, Terms

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
BANDS = st.lists(st.tuples(st.integers(1, 50), st.integers(1, 20)), min_size=1, max_size=4).map(
    lambda pairs: tuple(Band(floor, step) for floor, step in _floors(pairs))
)


def _floors(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    floor, out = 0, []
    for i, (gap, step) in enumerate(pairs):
        out.append((0 if i == 0 else floor, step))
        floor += gap * 10
    return out


def _step(bands: tuple[Band, ...], price: int) -> int:
    return [b.step for b in bands if b.floor <= price][-1]


class Model:
    """Every accepted bid, and the lot recomputed from them."""

    def __init__(self, terms: Terms, end_at: datetime) -> None:
        self.terms = terms
        self.end_at = end_at
        self.bids: list[tuple[int, int]] = []  # (bidder, maximum) in arrival order
        self.closed = False

    def top(self) -> tuple[int, int, int | None] | None:
        """(leader, leader's maximum, runner-up's maximum)."""
        if not self.bids:
            return None
        best: dict[int, tuple[int, int]] = {}  # bidder -> (maximum, arrival of that maximum)
        for n, (bidder, amount) in enumerate(self.bids):
            if bidder not in best or amount > best[bidder][0]:
                best[bidder] = (amount, n)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
        second = ranked[1][1][0] if len(ranked) > 1 else None
        return ranked[0][0], ranked[0][1][0], second

    def price(self) -> int | None:
        top = self.top()
        if top is None:
            return None
        if self.terms.single_offer:
            return self.terms.start
        _, top_max, second = top
        price = (
            self.terms.start
            if second is None
            else min(top_max, second + _step(self.terms.bands, second))
        )
        if self.terms.reserve is not None and top_max >= self.terms.reserve:
            price = max(price, self.terms.reserve)
        return price

    def accepts(self, bidder: int, amount: int, at: datetime) -> bool:
        if self.closed or at >= self.end_at or at < self.terms.opens_at:
            return False
        price = self.price()
        if price is None or self.terms.single_offer:
            return amount >= self.terms.start
        top = self.top()
        assert top is not None
        if amount < price + _step(self.terms.bands, price):
            return False
        return not (top[0] == bidder and amount <= top[1])


class AuctionMachine(RuleBasedStateMachine):
    """Random bids, clock moves and closes, checked against the model."""

    @initialize(
        start=st.integers(0, 400),
        bands=BANDS,
        reserve=st.none() | st.integers(0, 800),
        single_offer=st.booleans(),
        minutes=st.integers(1, 10),
        length=st.integers(1, 30),
    )
    def setup(
        self,
        start: int,
        bands: tuple[Band, ...],
        reserve: int | None,
        single_offer: bool,
        minutes: int,
        length: int,
    ) -> None:
        self.terms = Terms(
            start=start,
            opens_at=T0,
            bands=bands,
            reserve=None if single_offer else reserve,
            single_offer=single_offer,
            extension=timedelta(minutes=minutes),
        )
        self.now = T0
        self.state = State(end_at=T0 + timedelta(minutes=length))
        self.model = Model(self.terms, self.state.end_at)
        self.outcome: rules.Outcome | None = None

    @rule(bidder=st.integers(0, 4), offset=st.integers(-30, 120))
    def bid(self, bidder: int, offset: int) -> None:
        price = self.state.price if self.state.price is not None else self.terms.start
        amount = max(0, price + offset)
        expected = self.model.accepts(bidder, amount, self.now)
        before = self.state
        try:
            self.state = rules.place(self.terms, self.state, bidder, amount, self.now)
        except Refusal as refusal:
            assert not expected, f"refused ({refusal.code}) a bid the model accepts"
            return
        assert expected, "accepted a bid the model refuses"
        self.model.bids.append((bidder, amount))
        if self.state.end_at != before.end_at:
            self.model.end_at = self.state.end_at
            assert self.state.end_at == self.now + self.terms.extension
            assert before.end_at - self.now < self.terms.extension
        if self.terms.single_offer:
            self.model.closed = True

    @rule(seconds=st.integers(0, 900))
    def wait(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)

    @precondition(lambda self: not self.model.closed or self.outcome is None)
    @rule()
    def close_when_due(self) -> None:
        if not (rules.is_due(self.state, self.now) or self.state.closed):
            return
        self.state, self.outcome = rules.close(self.terms, self.state)
        self.model.closed = True
        top, price = self.model.top(), self.model.price()
        reserve = self.terms.reserve
        if top is None or price is None or (reserve is not None and price < reserve):
            assert not self.outcome.sold
        else:
            assert self.outcome == rules.Outcome(True, price, top[0], price - self.terms.start)

    @invariant()
    def agrees_with_the_model(self) -> None:
        if not hasattr(self, "state"):
            return
        top = self.model.top()
        assert self.state.price == self.model.price()
        assert self.state.leader == (top[0] if top else None)
        assert self.state.leader_max == (top[1] if top else None)
        assert self.state.bids == len(self.model.bids)
        assert self.state.end_at == self.model.end_at
        if self.state.price is not None:
            assert self.terms.start <= self.state.price
            assert self.state.leader_max is not None
            assert self.state.price <= max(self.state.leader_max, self.terms.start)

    @invariant()
    def never_goes_backwards(self) -> None:
        if not hasattr(self, "state"):
            return
        previous = getattr(self, "_previous", None)
        if previous is not None:
            assert self.state.end_at >= previous.end_at
            if previous.price is not None:
                assert self.state.price is not None and self.state.price >= previous.price
        self._previous = self.state


AuctionMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=50, deadline=None)
test_auction_rules_match_the_model = AuctionMachine.TestCase
