"""Turns introductions and their parties into API shapes, with display names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from factorlink.introduction import rules
from factorlink.introduction.models import Introduction, IntroductionStatus, PartyKind
from factorlink.introduction.parties import (
    party_city,
    party_code,
    party_industry,
    party_label,
    party_owner,
    party_title,
)
from factorlink.introduction.repository import PartyRef
from factorlink.introduction.schemas import (
    IntroductionDetailOut,
    IntroductionOut,
    PartyOut,
)
from factorlink.introduction.vocab import status_label
from factorlink.privacy.policy import Contact
from factorlink.reference import city_name, industry_name


def present_party(kind: PartyKind, obj: Any, contact: Contact) -> PartyOut:
    """A party's summary."""
    city, industry = party_city(kind, obj), party_industry(kind, obj)
    return PartyOut(
        kind=kind,
        kind_label=party_label(kind),
        id=obj.id,
        code=party_code(kind, obj),
        title=party_title(kind, obj),
        city=city,
        city_name=city_name(city),
        industry=industry,
        industry_name=industry_name(industry),
        organization_id=party_owner(kind, obj),
        contact_name=contact.name,
        contact_mobile=contact.mobile,
        contact_masked=contact.masked,
    )


ContactOf = Callable[[PartyKind, Any], Contact]


def present_introduction(
    intro: Introduction, parties: dict[PartyRef, Any], contact: ContactOf
) -> IntroductionOut:
    """An introduction with both sides; `contact(kind, obj)` gives a contact as seen."""
    return IntroductionOut.model_validate(intro).model_copy(update=_extras(intro, parties, contact))


def present_detail(
    intro: Introduction, parties: dict[PartyRef, Any], contact: ContactOf
) -> IntroductionDetailOut:
    """An introduction with both sides and its history."""
    return IntroductionDetailOut.model_validate(intro).model_copy(
        update=_extras(intro, parties, contact)
    )


def _extras(
    intro: Introduction, parties: dict[PartyRef, Any], contact: ContactOf
) -> dict[str, Any]:
    def side(kind: PartyKind, id_: int) -> PartyOut | None:
        obj = parties.get((kind, id_))
        return present_party(kind, obj, contact(kind, obj)) if obj is not None else None

    return {
        "party_a": side(intro.party_a_kind, intro.party_a_id),
        "party_b": side(intro.party_b_kind, intro.party_b_id),
        "city_name": city_name(intro.city),
        "counterpart_city_name": city_name(intro.counterpart_city),
        "industry_name": industry_name(intro.industry),
        "status_label": status_label(intro.status),
        "allowed_next": [IntroductionStatus(s) for s in rules.allowed_next(intro.status)],
    }
