"""Chinese names of an event's kinds, participants' roles and requests' states (pure)."""

from __future__ import annotations

import enum


class EventKind(enum.StrEnum):
    """What kind of day it is (vocab.KIND_LABELS names them)."""

    matchmaking = "matchmaking"
    roadshow = "roadshow"
    challenge = "challenge"
    auction_preview = "auction_preview"
    park_day = "park_day"
    other = "other"


class RequestMode(enum.StrEnum):
    """opt_in: the person asked accepts or declines; opt_out: accepted unless they decline."""

    opt_in = "opt_in"
    opt_out = "opt_out"


class ParticipantRole(enum.StrEnum):
    """Why a participant comes."""

    exhibitor = "exhibitor"
    investor = "investor"
    park = "park"
    enterprise = "enterprise"
    institute = "institute"


class RequestStatus(enum.StrEnum):
    """A meeting request's states (rules.py moves it)."""

    waiting = "waiting"
    accepted = "accepted"
    declined = "declined"
    cancelled = "cancelled"
    expired = "expired"
    scheduled = "scheduled"
    held = "held"
    no_show = "no_show"


class ScheduleState(enum.StrEnum):
    """Where the organiser's scheduler is: never run, running, finished, or failed."""

    idle = "idle"
    running = "running"
    done = "done"
    failed = "failed"


KIND_LABELS: dict[str, str] = {
    "matchmaking": "要素对接会",
    "roadshow": "路演",
    "challenge": "揭榜挂帅",
    "auction_preview": "拍卖会预展",
    "park_day": "园区对接日",
    "other": "其他",
}

ROLE_LABELS: dict[str, str] = {
    "exhibitor": "展商",
    "investor": "投资机构",
    "park": "园区",
    "enterprise": "企业",
    "institute": "高校院所",
}

MODE_LABELS: dict[str, str] = {
    "opt_in": "需对方接受",
    "opt_out": "自动接受(可谢绝)",
}

STATUS_LABELS: dict[str, str] = {
    "waiting": "待回复",
    "accepted": "已接受",
    "declined": "已谢绝",
    "cancelled": "已取消",
    "expired": "已过期",
    "scheduled": "已排期",
    "held": "已会面",
    "no_show": "未到场",
}

SCHEDULE_LABELS: dict[str, str] = {
    "idle": "未排期",
    "running": "排期中",
    "done": "已排期",
    "failed": "排期失败",
}


def label(table: dict[str, str], key: str | None) -> str:
    """The Chinese name of a key (the key itself where unknown)."""
    if key is None:
        return ""
    return table.get(key, key)
