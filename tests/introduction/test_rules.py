"""The introduction state machine: every allowed and every forbidden move (pure)."""

from __future__ import annotations

import ast
import itertools
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypedDict

import pytest

from factorlink.errors import Conflict, InvalidInput
from factorlink.introduction import rules, vocab
from factorlink.introduction.rules import (
    STAGE_LIMIT_DAYS,
    add_working_days,
    allowed_next,
    callback_overdue,
    check_transition,
    days_between,
    stage_started,
    stalled,
)

STATES = ("requested", "proposed", "contacted", "negotiating", "signed", "closed")
ALLOWED = {
    ("requested", "proposed"),
    ("requested", "closed"),
    ("proposed", "contacted"),
    ("proposed", "closed"),
    ("contacted", "negotiating"),
    ("contacted", "closed"),
    ("negotiating", "signed"),
    ("negotiating", "closed"),
}


class Terms(TypedDict, total=False):
    """The terms a move needs: an amount to sign, a reason to close."""

    amount_wan: float
    reason: str


TERMS: dict[str, Terms] = {
    "signed": {"amount_wan": 260.0},
    "closed": {"reason": "预算不足"},
}


@pytest.mark.parametrize(("current", "to"), sorted(ALLOWED))
def test_allowed_moves_pass(current: str, to: str) -> None:
    check_transition(current, to, **TERMS.get(to, {}))
    assert to in allowed_next(current)


FORBIDDEN = sorted(set(itertools.product(STATES, STATES)) - ALLOWED)


@pytest.mark.parametrize(("current", "to"), FORBIDDEN)
def test_forbidden_moves_are_conflicts_naming_the_allowed_ones(current: str, to: str) -> None:
    with pytest.raises(Conflict) as raised:
        check_transition(current, to, **TERMS.get(to, {}))
    error = raised.value
    assert current in error.message and to in error.message
    assert error.message_en is not None and f"is {current}" in error.message_en
    allowed = allowed_next(current)
    assert error.errors[0]["allowed"] == list(allowed)
    for state in allowed:
        assert state in error.message and state in error.message_en
    if not allowed:
        assert "最终状态" in error.message and "final" in error.message_en


def test_the_pipeline_is_one_step_forward_or_closed() -> None:
    assert allowed_next("proposed") == ("contacted", "closed")
    assert allowed_next("contacted") == ("negotiating", "closed")
    assert allowed_next("negotiating") == ("signed", "closed")
    assert allowed_next("signed") == allowed_next("closed") == ()


def test_a_members_request_is_accepted_or_declined_by_an_operator() -> None:
    # Accepted, it enters the pipeline at its first step; it never skips to contacted.
    assert allowed_next("requested") == ("proposed", "closed")
    with pytest.raises(Conflict):
        check_transition("requested", "contacted")
    with pytest.raises(InvalidInput):
        check_transition("requested", "closed")  # declining needs a reason
    check_transition("requested", "closed", reason="对方暂无合作意向")
    # Nothing moves back to requested.
    assert all("requested" not in allowed_next(s) for s in STATES)


@pytest.mark.parametrize(
    "amount", [None, 0.0, -5.0, math.inf, -math.inf, math.nan, 1e300, rules.MAX_AMOUNT_WAN * 1.01]
)
def test_signing_needs_a_positive_finite_amount_up_to_the_cap(amount: float | None) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_transition("negotiating", "signed", amount_wan=amount)
    assert raised.value.errors[0]["field"] == "amount_wan"
    assert "100000000" in raised.value.message


def test_the_largest_plausible_deal_signs() -> None:
    check_transition("negotiating", "signed", amount_wan=rules.MAX_AMOUNT_WAN)


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_closing_needs_a_reason(reason: str | None) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_transition("contacted", "closed", reason=reason)
    assert raised.value.errors[0]["field"] == "reason"


def test_terms_belong_to_their_step() -> None:
    with pytest.raises(InvalidInput):
        check_transition("proposed", "contacted", amount_wan=100.0)
    with pytest.raises(InvalidInput):
        check_transition("negotiating", "signed", amount_wan=100.0, reason="x")


def _imports(module: object) -> set[str]:
    tree = ast.parse(Path(str(getattr(module, "__file__", ""))).read_text(encoding="utf-8"))
    found = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    return found | {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}


def test_rules_and_labels_are_pure() -> None:
    assert _imports(rules) == {
        "__future__",
        "collections.abc",
        "datetime",
        "factorlink.errors",
        "factorlink.introduction.vocab",
    }
    assert _imports(vocab) == {"__future__"}


# --- Ages of the operators' work ---------------------------------------------------------------


def test_days_are_whole_days_and_never_negative() -> None:
    start = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert days_between(start, start + timedelta(hours=23, minutes=59)) == 0
    assert days_between(start, start + timedelta(days=1)) == 1
    assert days_between(start, start + timedelta(days=9, hours=5)) == 9
    assert days_between(start, start - timedelta(days=2)) == 0, "a clock behind: 0, not -2"


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # Friday 15:00 Beijing, two working days: the end of Tuesday (Beijing), in UTC.
        (datetime(2026, 12, 4, 7, 0, tzinfo=UTC), 2, datetime(2026, 12, 8, 16, 0, tzinfo=UTC)),
        # Monday 23:30 Beijing is still Monday there (15:30 UTC): end of Wednesday.
        (datetime(2026, 11, 30, 15, 30, tzinfo=UTC), 2, datetime(2026, 12, 2, 16, 0, tzinfo=UTC)),
        # Saturday: Monday is the first working day after it.
        (datetime(2026, 12, 5, 2, 0, tzinfo=UTC), 1, datetime(2026, 12, 7, 16, 0, tzinfo=UTC)),
        # 0 days: by the end of the day it came.
        (datetime(2026, 12, 3, 1, 0, tzinfo=UTC), 0, datetime(2026, 12, 3, 16, 0, tzinfo=UTC)),
    ],
)
def test_a_callback_is_due_by_the_end_of_the_nth_working_day(
    received: datetime, days: int, due: datetime
) -> None:
    assert add_working_days(received, days) == due


def test_overdue_only_while_nobody_took_the_lead_up() -> None:
    due = datetime(2026, 12, 8, 16, 0, tzinfo=UTC)
    assert callback_overdue(True, due, due)
    assert not callback_overdue(True, due, due - timedelta(seconds=1))
    assert not callback_overdue(False, due, due + timedelta(days=3))


def test_each_step_has_its_limit_and_final_steps_none() -> None:
    assert not stalled("proposed", STAGE_LIMIT_DAYS["proposed"])
    assert stalled("proposed", STAGE_LIMIT_DAYS["proposed"] + 1)
    assert stalled("requested", 3) and not stalled("negotiating", 29)
    assert not stalled("signed", 400) and not stalled("closed", 400)


def test_a_step_starts_at_its_timestamp_and_a_request_when_made() -> None:
    made = datetime(2026, 12, 1, tzinfo=UTC)
    contacted = datetime(2026, 12, 3, tzinfo=UTC)
    stamps = {"proposed_at": made, "contacted_at": contacted, "negotiating_at": None}
    assert stage_started("requested", stamps) == made
    assert stage_started("contacted", stamps) == contacted
    assert stage_started("negotiating", stamps) is None
