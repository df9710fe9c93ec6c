"""The deal pipeline of an introduction, as a state machine (pure).

The rule: strictly one step forward — proposed → contacted → negotiating → signed — or
closed from any step that is not final. A member's request for an introduction starts one step
earlier, as requested: an operator accepts it (→ proposed) or declines it (→ closed, with the
reason). Signed and closed are final. Skipping a step
(proposed → negotiating) is refused, so every step has its own timestamp. Signing needs an
amount in 万元 above zero and at most MAX_AMOUNT_WAN; closing needs a reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta, timezone

from factorlink.errors import Conflict, InvalidInput
from factorlink.introduction.vocab import status_label

PIPELINE: tuple[str, ...] = ("proposed", "contacted", "negotiating", "signed")
REQUESTED = "requested"
CLOSED = "closed"
FINAL = frozenset({"signed", CLOSED})
# 1万亿元: beyond any deal, and far enough from float's range that the statistics' sums stay
# finite (PostgreSQL refuses a SUM that overflows; inf and NaN break the JSON figures).
MAX_AMOUNT_WAN = 100_000_000.0


def allowed_next(current: str) -> tuple[str, ...]:
    """The states an introduction may move to from `current`."""
    if current in FINAL:
        return ()
    if current == REQUESTED:
        return (PIPELINE[0], CLOSED)
    following = PIPELINE[PIPELINE.index(current) + 1]
    return (following, CLOSED)


def check_transition(
    current: str, to: str, *, amount_wan: float | None = None, reason: str | None = None
) -> None:
    """Raises Conflict for a move the pipeline does not allow, InvalidInput for missing terms."""
    allowed = allowed_next(current)
    if to not in allowed:
        raise _refused(current, to, allowed)
    # Written so that NaN fails too: every comparison with NaN is false.
    if to == "signed" and (amount_wan is None or not 0 < amount_wan <= MAX_AMOUNT_WAN):
        raise _invalid(
            "amount_wan",
            f"签约须填写大于0、不超过{MAX_AMOUNT_WAN:.0f}的金额(万元)",
            f"signing needs 0 < amount_wan <= {MAX_AMOUNT_WAN:.0f}",
        )
    if to == CLOSED and not (reason and reason.strip()):
        raise _invalid("reason", "关闭须填写原因", "closing needs a reason")
    if to != "signed" and amount_wan is not None:
        raise _invalid(
            "amount_wan", "只有签约时才填写金额", "amount_wan is given only when signing"
        )
    if to != CLOSED and reason is not None:
        raise _invalid("reason", "只有关闭时才填写原因", "a reason is given only when closing")


def _names(states: tuple[str, ...]) -> tuple[str, str]:
    if not states:
        return "无(已是最终状态)", "none (final state)"
    return "、".join(f"{status_label(s)}({s})" for s in states), ", ".join(states)


def _refused(current: str, to: str, allowed: tuple[str, ...]) -> Conflict:
    names, names_en = _names(allowed)
    return Conflict(
        f"对接当前为“{status_label(current)}”({current}),不能变更为“{status_label(to)}”({to});"
        f"可选的下一步:{names}",
        message_en=f"introduction is {current}; cannot move to {to}; allowed next: {names_en}",
        errors=[
            {
                "field": "to",
                "reason": f"不能从{status_label(current)}变更为{status_label(to)}",
                "reason_en": f"cannot move from {current} to {to}",
                "current": current,
                "allowed": list(allowed),
            }
        ],
    )


def _invalid(field: str, reason: str, reason_en: str) -> InvalidInput:
    return InvalidInput(
        reason,
        message_en=reason_en,
        errors=[{"field": field, "reason": reason, "reason_en": reason_en}],
    )


# --- Ages of the operators' work (pure): days received, days in stage, the callback promise ---

BEIJING = timezone(timedelta(hours=8))
DAY = timedelta(days=1)
# How long an introduction may stay in a step before the board flags it as stalled (停滞), in
# days: a request is answered within two, a proposal followed up within a week, and so on.
STAGE_LIMIT_DAYS: dict[str, int] = {
    REQUESTED: 2,
    "proposed": 7,
    "contacted": 14,
    "negotiating": 30,
}


def days_between(start: datetime, now: datetime) -> int:
    """Whole days from `start` to `now` (0 within the first 24 hours, never negative)."""
    return max(0, (now - start) // DAY)


def add_working_days(start: datetime, days: int) -> datetime:
    """The end (24:00 Beijing time) of the `days`-th working day (Monday to Friday) after the
    day of `start`, in UTC: a lead received on Friday with two working days is due by the end of
    Tuesday. Public holidays are not known and count as working days."""
    day = start.astimezone(BEIJING).date()
    left = days
    while left > 0:
        day += DAY
        if day.weekday() < 5:
            left -= 1
    end = datetime.combine(day + DAY, time(0), tzinfo=BEIJING)
    return end.astimezone(UTC)


def stage_started(status: str, stamps: Mapping[str, datetime | None]) -> datetime | None:
    """When an introduction entered its current step, from its step timestamps (`proposed_at`
    …); a request waits from the time it was made, which `proposed_at` holds until accepted."""
    key = "proposed_at" if status == REQUESTED else f"{status}_at"
    return stamps.get(key)


def stalled(status: str, days_in_stage: int) -> bool:
    """Tells whether an open introduction has stayed in its step longer than its limit."""
    limit = STAGE_LIMIT_DAYS.get(status)
    return limit is not None and days_in_stage > limit


def callback_overdue(open_: bool, due: datetime, now: datetime) -> bool:
    """Tells whether a lead nobody has taken up yet (still new) is past its callback promise."""
    return open_ and now >= due
