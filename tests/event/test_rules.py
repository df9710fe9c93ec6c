"""The request state machine, slots and outcome rules (pure)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorlink.errors import Conflict, InvalidInput, PermissionDenied
from factorlink.event import rules
from factorlink.event.rules import Action, Actor, Mark
from factorlink.event.vocab import RequestMode, RequestStatus

S = RequestStatus
OPENS = datetime(2027, 2, 1, tzinfo=UTC)
CLOSES = datetime(2027, 3, 1, tzinfo=UTC)
DURING = datetime(2027, 2, 15, tzinfo=UTC)
AFTER = datetime(2027, 3, 2, tzinfo=UTC)


def move(
    status: RequestStatus,
    action: Action,
    actor: Actor,
    *,
    now: datetime = DURING,
    mode: RequestMode = RequestMode.opt_in,
) -> RequestStatus:
    return rules.next_status(
        status, action, actor, mode=mode, now=now, opens_at=OPENS, closes_at=CLOSES
    )


def test_the_recipient_accepts_or_declines_and_the_sender_cancels() -> None:
    assert move(S.waiting, Action.accept, Actor.recipient) == S.accepted
    assert move(S.waiting, Action.decline, Actor.recipient) == S.declined
    assert move(S.waiting, Action.cancel, Actor.sender) == S.cancelled
    assert move(S.waiting, Action.accept, Actor.organiser) == S.accepted
    with pytest.raises(PermissionDenied):
        move(S.waiting, Action.accept, Actor.sender)  # one does not accept one's own request
    with pytest.raises(PermissionDenied):
        move(S.waiting, Action.cancel, Actor.recipient)  # the recipient declines instead


def test_once_accepted_either_side_cancels_and_only_the_scheduler_schedules() -> None:
    assert move(S.accepted, Action.cancel, Actor.recipient) == S.cancelled
    assert move(S.accepted, Action.cancel, Actor.sender) == S.cancelled
    assert move(S.accepted, Action.schedule, Actor.scheduler) == S.scheduled
    assert move(S.scheduled, Action.unschedule, Actor.scheduler) == S.accepted
    with pytest.raises(PermissionDenied):
        move(S.accepted, Action.schedule, Actor.organiser)
    with pytest.raises(Conflict, match="取消"):
        move(S.accepted, Action.decline, Actor.recipient)  # opt-in: cancel, not decline


def test_opt_out_starts_accepted_and_the_recipient_may_still_decline() -> None:
    assert rules.initial_status(RequestMode.opt_out) == S.accepted
    assert rules.initial_status(RequestMode.opt_in) == S.waiting
    assert move(S.accepted, Action.decline, Actor.recipient, mode=RequestMode.opt_out) == (
        S.declined
    )
    with pytest.raises(Conflict):
        move(S.scheduled, Action.decline, Actor.recipient, mode=RequestMode.opt_out)


def test_waiting_requests_expire_at_the_close_of_registration() -> None:
    assert rules.effective_status(S.waiting, DURING, CLOSES) == S.waiting
    assert rules.effective_status(S.waiting, CLOSES, CLOSES) == S.expired
    assert rules.effective_status(S.accepted, AFTER, CLOSES) == S.accepted
    with pytest.raises(Conflict, match="已过期"):
        move(S.waiting, Action.accept, Actor.recipient, now=AFTER)
    assert move(S.waiting, Action.expire, Actor.scheduler, now=AFTER) == S.expired
    # Accepting needs the window open, even for a request accepted before it opened.
    with pytest.raises(Conflict, match="报名"):
        move(S.waiting, Action.accept, Actor.recipient, now=OPENS - timedelta(seconds=1))


def test_meetings_are_marked_held_or_not_and_marks_may_change() -> None:
    assert move(S.scheduled, Action.hold, Actor.sender) == S.held
    assert move(S.scheduled, Action.no_show, Actor.recipient) == S.no_show
    assert move(S.no_show, Action.hold, Actor.sender) == S.held
    with pytest.raises(Conflict):
        move(S.accepted, Action.hold, Actor.sender)  # not scheduled: nothing to mark
    for final in (S.declined, S.cancelled, S.expired):
        for action in Action:
            with pytest.raises((Conflict, PermissionDenied)):
                move(final, action, Actor.organiser)


def test_allowed_actions_name_the_buttons() -> None:
    def allowed(status: RequestStatus, actor: Actor) -> tuple[Action, ...]:
        return rules.allowed_actions(
            status, actor, mode=RequestMode.opt_in, now=DURING, opens_at=OPENS, closes_at=CLOSES
        )

    assert allowed(S.waiting, Actor.recipient) == (Action.accept, Action.decline)
    assert allowed(S.waiting, Actor.sender) == (Action.cancel,)
    assert Action.cancel in allowed(S.scheduled, Actor.recipient)
    assert allowed(S.declined, Actor.sender) == ()


def test_sending_checks_self_window_duplicates_and_the_cap() -> None:
    base = {
        "sender": 1,
        "recipient": 2,
        "now": DURING,
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "open_between": False,
        "sender_open": 0,
        "recipient_open": 0,
        "cap": 2,
    }
    rules.check_send(**base)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="自己"):
        rules.check_send(**{**base, "recipient": 1})  # type: ignore[arg-type]
    with pytest.raises(Conflict, match="已有"):
        rules.check_send(**{**base, "open_between": True})  # type: ignore[arg-type]
    with pytest.raises(Conflict, match="您的约见已满"):
        rules.check_send(**{**base, "sender_open": 2})  # type: ignore[arg-type]
    with pytest.raises(Conflict, match="对方"):
        rules.check_send(**{**base, "recipient_open": 2})  # type: ignore[arg-type]
    with pytest.raises(Conflict, match="报名"):
        rules.check_send(**{**base, "now": AFTER})  # type: ignore[arg-type]


def test_held_when_either_side_says_so_interest_needs_both() -> None:
    assert rules.meeting_held([Mark(True, False), Mark(False, False)])
    assert not rules.meeting_held([Mark(False, False)])
    assert rules.mutual_interest([Mark(True, True), Mark(True, True)])
    assert not rules.mutual_interest([Mark(True, True)])  # the other side has not said
    assert not rules.mutual_interest([Mark(True, True), Mark(True, False)])
    with pytest.raises(InvalidInput):
        rules.check_mark(held=False, interested=True)


def test_blocks_are_cut_into_whole_slots_in_time_order() -> None:
    t = datetime(2027, 3, 1, 1, 0, tzinfo=UTC)
    slots = rules.slots_of(
        [(7, t + timedelta(hours=3), t + timedelta(hours=4)), (5, t, t + timedelta(minutes=50))],
        20,
    )
    assert [(s.index, s.block_id) for s in slots] == [(0, 5), (1, 5), (2, 7), (3, 7), (4, 7)]
    assert slots[1].ends_at == t + timedelta(minutes=40)  # the last 10 minutes stay unused
    assert slots[2].starts_at == t + timedelta(hours=3)
    with pytest.raises(InvalidInput, match="重叠"):
        rules.check_blocks(
            [(t, t + timedelta(hours=1)), (t + timedelta(minutes=30), t + timedelta(hours=2))], 20
        )
    with pytest.raises(InvalidInput, match="短于"):
        rules.check_blocks([(t, t + timedelta(minutes=10))], 20)


@given(
    st.lists(st.integers(min_value=10, max_value=300), min_size=1, max_size=5),
    st.integers(min_value=5, max_value=60),
)
def test_slots_never_overlap_and_stay_inside_their_block(lengths: list[int], minutes: int) -> None:
    t = datetime(2027, 3, 1, tzinfo=UTC)
    blocks = []
    for n, length in enumerate(lengths):
        blocks.append((n, t, t + timedelta(minutes=length)))
        t += timedelta(minutes=length + 30)
    slots = rules.slots_of(blocks, minutes)
    assert len(slots) == sum(length // minutes for length in lengths)
    by_id = {b[0]: b for b in blocks}
    for s, nxt in itertools.pairwise(slots):
        assert s.ends_at <= nxt.starts_at
    for s in slots:
        _, start, end = by_id[s.block_id]
        assert start <= s.starts_at and s.ends_at <= end
