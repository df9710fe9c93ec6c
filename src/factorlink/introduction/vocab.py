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
