"""A meeting request's life, as a state machine (pure).

    waiting ──accept──▶ accepted ──schedule──▶ scheduled ──hold──▶ held
       │  └─decline─▶ declined      │  ▲           │  └──no_show──▶ no_show
       │  └─cancel──▶ cancelled     │  └unschedule─┘
       └──expire───▶ expired        └─cancel / decline (opt-out only)

Who may act: the person asked (recipient) accepts or declines; the sender cancels a request
still waiting; once accepted either side may cancel; the organiser may do all of these; only
the scheduler schedules and unschedules. A request is sent and answered while registration is
open (`opens_at <= now < closes_at`): at its close, a request still waiting expires. In opt-out
mode a request is accepted when sent, and the recipient may still decline it until it is
scheduled. After a meeting, either side marks it held or not (`hold`, `no_show`), and may
change their mark; the meeting counts as held when either side says it was.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from factorlink.errors import Conflict, InvalidInput, PermissionDenied
from factorlink.event.vocab import STATUS_LABELS, RequestMode, RequestStatus, label


class Action(enum.StrEnum):
    """What can happen to a request."""

    accept = "accept"
    decline = "decline"
    cancel = "cancel"
    expire = "expire"
    schedule = "schedule"
    unschedule = "unschedule"
    hold = "hold"
    no_show = "no_show"


class Actor(enum.StrEnum):
    """Who acts on a request."""

    sender = "sender"
    recipient = "recipient"
    organiser = "organiser"
    scheduler = "scheduler"


ACTION_LABELS: dict[str, str] = {
    "accept": "接受",
    "decline": "谢绝",
    "cancel": "取消",
    "expire": "过期",
    "schedule": "排期",
    "unschedule": "撤销排期",
    "hold": "标记已会面",
    "no_show": "标记未到场",
}

S = RequestStatus
A = Action
PEOPLE = frozenset({Actor.sender, Actor.recipient, Actor.organiser})

# (from, action) -> (to, who may, needs the registration window open)
_MOVES: dict[tuple[RequestStatus, Action], tuple[RequestStatus, frozenset[Actor], bool]] = {
    (S.waiting, A.accept): (S.accepted, frozenset({Actor.recipient, Actor.organiser}), True),
    (S.waiting, A.decline): (S.declined, frozenset({Actor.recipient, Actor.organiser}), False),
    (S.waiting, A.cancel): (S.cancelled, frozenset({Actor.sender, Actor.organiser}), False),
    (S.waiting, A.expire): (S.expired, frozenset({Actor.scheduler, Actor.organiser}), False),
    (S.accepted, A.decline): (S.declined, frozenset({Actor.recipient, Actor.organiser}), False),
    (S.accepted, A.cancel): (S.cancelled, PEOPLE, False),
    (S.accepted, A.schedule): (S.scheduled, frozenset({Actor.scheduler}), False),
    (S.scheduled, A.unschedule): (S.accepted, frozenset({Actor.scheduler}), False),
    (S.scheduled, A.cancel): (S.cancelled, PEOPLE, False),
    (S.scheduled, A.hold): (S.held, PEOPLE, False),
    (S.scheduled, A.no_show): (S.no_show, PEOPLE, False),
    (S.held, A.hold): (S.held, PEOPLE, False),
    (S.held, A.no_show): (S.no_show, PEOPLE, False),
    (S.no_show, A.hold): (S.held, PEOPLE, False),
    (S.no_show, A.no_show): (S.no_show, PEOPLE, False),
}

FINAL = frozenset({S.declined, S.cancelled, S.expired})
# Requests the scheduler places: accepted ones and those it placed before.
SCHEDULABLE = frozenset({S.accepted, S.scheduled})
# Requests that still count towards a meeting (for the cap and for duplicates).
OPEN = frozenset({S.waiting, S.accepted, S.scheduled})
# Statuses with a meeting in the agenda.
MET = frozenset({S.scheduled, S.held, S.no_show})


def registration_open(now: datetime, opens_at: datetime, closes_at: datetime) -> bool:
    """Tells whether requests may be sent and answered at `now`."""
    return opens_at <= now < closes_at


def initial_status(mode: RequestMode) -> RequestStatus:
    """A new request: waiting for an answer (opt-in), or accepted at once (opt-out)."""
    return S.waiting if mode == RequestMode.opt_in else S.accepted


def effective_status(status: RequestStatus, now: datetime, closes_at: datetime) -> RequestStatus:
    """The status as of `now`: a request still waiting at the close of registration expired."""
    if status == S.waiting and now >= closes_at:
        return S.expired
    return status


def allowed_actions(
    status: RequestStatus,
    actor: Actor,
    *,
    mode: RequestMode,
    now: datetime,
    opens_at: datetime,
    closes_at: datetime,
) -> tuple[Action, ...]:
    """The actions this actor may take on a request now (for buttons and the API)."""
    found = []
    for action in Action:
        try:
            next_status(
                status, action, actor, mode=mode, now=now, opens_at=opens_at, closes_at=closes_at
            )
        except (Conflict, PermissionDenied):
            continue
        found.append(action)
    return tuple(found)


def next_status(
    status: RequestStatus,
    action: Action,
    actor: Actor,
    *,
    mode: RequestMode,
    now: datetime,
    opens_at: datetime,
    closes_at: datetime,
) -> RequestStatus:
    """The status a request moves to; Conflict for a move the rules refuse, PermissionDenied
    for an actor who may not make it."""
    current = effective_status(status, now, closes_at)
    if current == S.expired and status == S.waiting and action == A.expire:
        return S.expired
    move = _MOVES.get((current, action))
    if move is None:
        raise _refused(current, action)
    to, who, needs_window = move
    if actor not in who:
        raise PermissionDenied(
            f"您不能{ACTION_LABELS[action]}这条约见",
            message_en=f"the {actor.value} may not {action.value} this request",
        )
    if current == S.accepted and action == A.decline and mode != RequestMode.opt_out:
        raise Conflict(
            "约见已接受,如不能赴约请取消",
            message_en="the request is accepted; cancel it instead of declining",
        )
    if needs_window and not registration_open(now, opens_at, closes_at):
        raise Conflict(
            "报名(约见)时间已结束或尚未开始",
            message_en="requests are sent and answered only while registration is open",
        )
    return to


def check_send(
    *,
    sender: int,
    recipient: int,
    now: datetime,
    opens_at: datetime,
    closes_at: datetime,
    open_between: bool,
    sender_open: int,
    recipient_open: int,
    cap: int | None,
) -> None:
    """Refuses a request to oneself, outside the registration window, a second open request
    between the same two people (either way), or one past the cap of either side."""
    if sender == recipient:
        raise InvalidInput(
            "不能约见自己",
            message_en="a participant cannot ask to meet themselves",
            errors=[{"field": "recipient_id", "reason": "不能约见自己", "reason_en": "self"}],
        )
    if not registration_open(now, opens_at, closes_at):
        raise Conflict(
            "报名(约见)时间已结束或尚未开始",
            message_en="requests are sent only while registration is open",
        )
    if open_between:
        raise Conflict(
            "你们之间已有进行中的约见", message_en="these two already have an open request"
        )
    if cap is not None and sender_open >= cap:
        raise Conflict(
            f"每人最多{cap}场会面,您的约见已满",
            message_en=f"at most {cap} meetings each: you have reached the cap",
        )
    if cap is not None and recipient_open >= cap:
        raise Conflict(
            f"对方的约见已满(每人最多{cap}场)",
            message_en=f"the other participant has reached the cap of {cap} meetings",
        )


@dataclass(frozen=True)
class Mark:
    """One side's word on a meeting."""

    held: bool
    interested: bool


def meeting_held(marks: Iterable[Mark]) -> bool:
    """A meeting was held when either side says so."""
    return any(m.held for m in marks)


def mutual_interest(marks: Iterable[Mark], sides: int = 2) -> bool:
    """Both sides marked the meeting held and themselves interested."""
    marks = list(marks)
    return len(marks) == sides and all(m.held and m.interested for m in marks)


def check_mark(held: bool, interested: bool) -> None:
    """Interest needs a meeting: "interested" cannot go with "not held"."""
    if interested and not held:
        raise InvalidInput(
            "未会面不能标记有意向",
            message_en="a meeting that was not held cannot be marked interested",
            errors=[
                {
                    "field": "interested",
                    "reason": "未会面不能标记有意向",
                    "reason_en": "interested needs held",
                }
            ],
        )


def _refused(current: RequestStatus, action: Action) -> Conflict:
    name = label(STATUS_LABELS, current.value)
    return Conflict(
        f"约见当前为“{name}”,不能{ACTION_LABELS[action.value]}",
        message_en=f"the request is {current.value}; cannot {action.value}",
        errors=[
            {
                "field": "action",
                "reason": f"{name}的约见不能{ACTION_LABELS[action.value]}",
                "reason_en": f"cannot {action.value} a {current.value} request",
                "current": current.value,
            }
        ],
    )


@dataclass(frozen=True)
class Slot:
    """One meeting slot: its number across the event, its block, start and end."""

    index: int
    block_id: int
    starts_at: datetime
    ends_at: datetime


def slots_of(blocks: Iterable[tuple[int, datetime, datetime]], minutes: int) -> list[Slot]:
    """The slots of the blocks (id, start, end) in time order, numbered from 0: each block cut
    into whole slots of `minutes`; a remainder shorter than a slot is left unused."""
    found: list[Slot] = []
    step = timedelta(minutes=minutes)
    for block_id, start, end in sorted(blocks, key=lambda b: (b[1], b[0])):
        at = start
        while at + step <= end:
            found.append(Slot(len(found), block_id, at, at + step))
            at += step
    return found


def check_blocks(blocks: Iterable[tuple[datetime, datetime]], minutes: int) -> None:
    """Each block ends after it starts, holds at least one slot, and overlaps no other."""
    ordered = sorted(blocks)
    for n, (start, end) in enumerate(ordered):
        if end - start < timedelta(minutes=minutes):
            raise InvalidInput(
                f"第{n + 1}个时段短于一个会面时长({minutes}分钟)",
                message_en=f"block {n + 1} is shorter than one slot ({minutes} minutes)",
                errors=[{"field": "blocks", "reason": "时段太短", "reason_en": "block too short"}],
            )
        if n and start < ordered[n - 1][1]:
            raise InvalidInput(
                f"第{n + 1}个时段与前一个重叠",
                message_en=f"block {n + 1} overlaps the one before",
                errors=[{"field": "blocks", "reason": "时段重叠", "reason_en": "blocks overlap"}],
            )
