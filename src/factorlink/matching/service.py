"""Matches for a lead: its counterparts among the current listings, by a plain keyword match.

technology → achievements and experts, space → carriers, capital → capital products. The
candidates are capped (the newest per kind, plus the newest in the lead's industry) so the
cost stays bounded; the matching-engine issue replaces this module behind the same call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from factorlink.achievement.repository import AchievementRepository
from factorlink.auth.viewer import Viewer
from factorlink.capital.repository import CapitalRepository
from factorlink.carrier.repository import CarrierRepository
from factorlink.expert.repository import ExpertRepository
from factorlink.introduction.models import PartyKind
from factorlink.lead.models import Lead, LeadType
from factorlink.listing.repository import ListingFilters, ListingRepository
from factorlink.matching.keyword import Candidate, rank
from factorlink.privacy.policy import ContactPolicy
from factorlink.reference import get_industries
from factorlink.validation.vocab import label

# Per kind and per query; enough for a city's listings, bounded for a corridor's.
MAX_CANDIDATES = 2000

COUNTERPARTS: dict[LeadType, tuple[tuple[PartyKind, type[ListingRepository[Any]]], ...]] = {
    LeadType.technology: (
        (PartyKind.achievement, AchievementRepository),
        (PartyKind.expert, ExpertRepository),
    ),
    LeadType.space: ((PartyKind.carrier, CarrierRepository),),
    LeadType.capital: ((PartyKind.capital, CapitalRepository),),
}


@dataclass(frozen=True)
class Match:
    """A counterpart of a lead, why it matched, and its contact as the viewer may see it."""

    kind: str
    id: int
    code: str
    title: str
    city: str | None
    score: float
    terms: tuple[str, ...]
    contact_name: str | None
    contact_mobile: str | None
    contact_masked: bool
    outside_preferred_cities: bool


def match_for_lead(session: Session, viewer: Viewer, lead: Lead, limit: int = 10) -> list[Match]:
    """The best current counterparts of a lead, in its preferred cities when it names any.

    When the preferred cities hold no match the search widens to every city, and each match
    says it lies outside them.
    """
    query = lead_text(lead)
    cities = list(lead.preferred_cities)
    if cities:
        found = _rank(session, lead, query, cities, limit)
        if found:
            return _present(session, viewer, found, outside=False)
    found = _rank(session, lead, query, [None], limit)
    return _present(session, viewer, found, outside=bool(cities))


def lead_text(lead: Lead) -> str:
    """What a lead is about: its need, purpose and industry."""
    parts = [lead.need, lead.purpose or ""]
    if lead.industry and get_industries().has(lead.industry):
        parts.append(get_industries().get(lead.industry).name)
    return " ".join(parts)


def listing_text(kind: PartyKind, obj: Any) -> str:
    """What a listing is about, as one text."""
    catalog = get_industries()
    industries = [obj.industry] if hasattr(obj, "industry") else list(obj.industries)
    names = [catalog.get(i).name for i in industries if i and catalog.has(i)]
    if kind == PartyKind.achievement:
        parts = [obj.title, obj.abstract, *obj.keywords, obj.subfield or ""]
    elif kind == PartyKind.expert:
        # The expert's own name says nothing about the subject, so it is left out.
        parts = [obj.affiliation or "", *obj.fields, obj.services or ""]
    elif kind == PartyKind.carrier:
        parts = [obj.name, label(obj.kind), obj.district or "", obj.description or ""]
    else:
        parts = [obj.name, label(obj.kind), *obj.stages, obj.description or ""]
    return " ".join([*parts, *names])


def _rank(
    session: Session, lead: Lead, query: str, cities: Sequence[str | None], limit: int
) -> list[tuple[PartyKind, Any, float, tuple[str, ...]]]:
    rows: dict[tuple[str, int], tuple[PartyKind, Any]] = {}
    for kind, repository_class in COUNTERPARTS[lead.lead_type]:
        repository = repository_class(session)
        for city in cities:
            for industry in {lead.industry, None}:
                filters = ListingFilters(city=city, industry=industry)
                stmt = repository.search_statement(filters).limit(MAX_CANDIDATES)
                for obj in repository.all(stmt):
                    rows[(kind.value, obj.id)] = (kind, obj)
    candidates = [Candidate(k.value, o.id, listing_text(k, o)) for k, o in rows.values()]
    return [
        (rows[(s.kind, s.id)][0], rows[(s.kind, s.id)][1], s.score, s.terms)
        for s in rank(query, candidates, limit)
    ]


def _present(
    session: Session,
    viewer: Viewer,
    found: list[tuple[PartyKind, Any, float, tuple[str, ...]]],
    *,
    outside: bool,
) -> list[Match]:
    policy = ContactPolicy(session, viewer)
    matches = []
    for kind, obj, score, terms in found:
        contact = policy.contact(kind, obj)
        matches.append(
            Match(
                kind=kind.value,
                id=obj.id,
                code=obj.code,
                title=obj.title if kind == PartyKind.achievement else obj.name,
                city=obj.city or next(iter(getattr(obj, "cities", None) or ()), None),
                score=score,
                terms=terms,
                contact_name=contact.name,
                contact_mobile=contact.mobile,
                contact_masked=contact.masked,
                outside_preferred_cities=outside,
            )
        )
    return matches
