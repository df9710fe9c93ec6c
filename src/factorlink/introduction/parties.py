"""What an introduction needs to know of either side, whatever its kind."""

from __future__ import annotations

from typing import Any

from factorlink.introduction.models import PartyKind

TITLE_LENGTH = 60


def party_code(kind: PartyKind, obj: Any) -> str:
    """The party's code (编号); a lead, which has none, is LEAD-<id>."""
    return f"LEAD-{obj.id}" if kind == PartyKind.lead else str(obj.code)


def party_title(kind: PartyKind, obj: Any) -> str:
    """What the party is called: a name, a title, or the start of a lead's need."""
    if kind in (PartyKind.achievement, PartyKind.demand):
        return str(obj.title)
    if kind == PartyKind.lead:
        need = str(obj.need)
        return need if len(need) <= TITLE_LENGTH else need[: TITLE_LENGTH - 1] + "…"
    return str(obj.name)


def party_city(kind: PartyKind, obj: Any) -> str | None:
    """The party's city: a lead's own or first preferred; a fund's home or first covered."""
    if kind == PartyKind.lead:
        return obj.city or next(iter(obj.preferred_cities), None)
    if kind == PartyKind.capital:
        return obj.city or next(iter(obj.cities), None)
    city: str | None = obj.city
    return city


def party_industry(kind: PartyKind, obj: Any) -> str | None:
    """The party's industry; for capital and carriers the first of their list."""
    if kind in (PartyKind.capital, PartyKind.carrier):
        return next(iter(obj.industries), None)
    industry: str | None = obj.industry
    return industry


def party_owner(kind: PartyKind, obj: Any) -> int | None:
    """The organisation a party belongs to (an organisation is its own; leads have none)."""
    if kind == PartyKind.organization:
        return int(obj.id)
    if kind == PartyKind.lead:
        return None
    owner = obj.organization_id
    return int(owner) if owner is not None else None
