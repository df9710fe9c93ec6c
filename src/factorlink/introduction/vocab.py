"""Chinese labels of the parties and steps of an introduction (pure)."""

from __future__ import annotations

PARTY_LABELS: dict[str, str] = {
    "organization": "机构",
    "achievement": "科技成果",
    "demand": "技术需求",
    "capital": "资本",
    "carrier": "载体",
    "expert": "专家",
    "lead": "线索",
}

STATUS_LABELS: dict[str, str] = {
    "proposed": "已提议",
    "contacted": "已联系",
    "negotiating": "洽谈中",
    "signed": "已签约",
    "closed": "已关闭",
}


def party_label(kind: str) -> str:
    """The Chinese name of a party kind."""
    return PARTY_LABELS.get(kind, kind)


def status_label(status: str) -> str:
    """The Chinese name of an introduction status."""
    return STATUS_LABELS.get(status, status)
