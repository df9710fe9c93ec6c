"""What an introduction needs to know of either side, whatever its kind (read from the kind's
descriptor, `<kind>/kind.py`)."""

from __future__ import annotations

from typing import Any

from factorlink.introduction.models import PartyKind
from factorlink.kinds.descriptor import TITLE_LENGTH
from factorlink.kinds.registry import kind_of, label_of

__all__ = [
    "TITLE_LENGTH",
    "party_city",
    "party_code",
    "party_company",
    "party_industry",
    "party_label",
    "party_owner",
    "party_title",
]


def party_code(kind: PartyKind, obj: Any) -> str:
    """The party's code (编号); a lead, which has none, is LEAD-<id>."""
    return kind_of(kind).code(obj)


def party_title(kind: PartyKind, obj: Any) -> str:
    """What the party is called: a name, a title, or the start of a lead's need."""
    return kind_of(kind).title(obj)


def party_city(kind: PartyKind, obj: Any) -> str | None:
    """The party's city: a lead's own or first preferred; a fund's home or first covered."""
    return kind_of(kind).city(obj)


def party_industry(kind: PartyKind, obj: Any) -> str | None:
    """The party's industry; for capital and carriers the first of their list."""
    return kind_of(kind).industry(obj)


def party_owner(kind: PartyKind, obj: Any) -> int | None:
    """The organisation a party belongs to (an organisation is its own; leads have none)."""
    return kind_of(kind).owner(obj)


def party_label(kind: str) -> str:
    """The Chinese name of a party kind (the key itself where unknown)."""
    return label_of(kind)


def party_company(kind: PartyKind, obj: Any) -> str | None:
    """The company behind a party: an organisation itself, a listing's organisation, the
    company a lead's sender named."""
    if kind == PartyKind.organization:
        return str(obj.name)
    if kind == PartyKind.lead:
        return obj.company  # type: ignore[no-any-return]
    organization = getattr(obj, "organization", None)
    return organization.name if organization is not None else None
