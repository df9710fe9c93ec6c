"""Chinese labels of the steps of an introduction (pure); a party's label is its kind's
(`introduction.parties.party_label`)."""

from __future__ import annotations

STATUS_LABELS: dict[str, str] = {
    "requested": "待受理",
    "proposed": "已提议",
    "contacted": "已联系",
    "negotiating": "洽谈中",
    "signed": "已签约",
    "closed": "已关闭",
}


def status_label(status: str) -> str:
    """The Chinese name of an introduction status."""
    return STATUS_LABELS.get(status, status)


# What a member's request from a listing's page is for (its button); it heads the request's
# note ("预约考察:下周二上午,3人"), so the operator reads it first.
PURPOSES = frozenset({"申请对接", "我要洽谈", "预约考察", "我能解决"})


def note_parts(note: str | None) -> tuple[str | None, str]:
    """A request's note as its purpose and the words the member typed after it: "预约考察:
    下周二上午" is ("预约考察", "下周二上午"); a note without a purpose is (None, note)."""
    if not note:
        return None, ""
    head, colon, rest = note.partition(":")
    if head in PURPOSES:
        return head, rest if colon else ""
    return None, note
