"""The introduction state machine: every allowed and every forbidden move (pure)."""

from __future__ import annotations

import ast
import itertools
import math
from pathlib import Path
from typing import TypedDict

import pytest

from factorlink.errors import Conflict, InvalidInput
from factorlink.introduction import rules, vocab
from factorlink.introduction.rules import allowed_next, check_transition

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
    assert _imports(rules) == {"__future__", "factorlink.errors", "factorlink.introduction.vocab"}
    assert _imports(vocab) == {"__future__"}
