"""What each kind of factor says about itself, as weighted text fields, and which rows take part.

A field of weight 2 counts twice in BM25 (titles, keywords); the encoder reads the fields in
order. An enterprise has little text of its own, so its document also carries the titles and
keywords of its demands: what it is looking for is what an achievement should meet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select

from factorlink.introduction.models import PartyKind
from factorlink.lead.models import Lead, LeadStatus
from factorlink.matching.retrieval.engine import passage_text
from factorlink.models import PARTY_MODELS
from factorlink.organization.models import Organization, OrganizationKind
from factorlink.reference import get_industries
from factorlink.validation.vocab import label

Fields = list[tuple[str, int]]  # a concrete list of engine.Fields


def _industry_names(*codes: str | None) -> str:
    catalog = get_industries()
    return " ".join(catalog.get(c).name for c in codes if c and catalog.has(c))


def _join(values: Sequence[str] | None) -> str:
    return " ".join(v for v in values or () if v)


def document(kind: PartyKind, obj: Any, extra: Sequence[str] = ()) -> Fields:
    """The weighted text fields of a factor (extra: related text, e.g. an enterprise's demands)."""
    if kind == PartyKind.achievement:
        return [
            (obj.title, 2),
            (_join(obj.keywords), 2),
            (obj.abstract, 1),
            (_join([obj.subfield or "", _industry_names(obj.industry)]), 1),
        ]
    if kind == PartyKind.demand:
        return [
            (obj.title, 2),
            (_join(obj.keywords), 2),
            (obj.description, 1),
            (_join([obj.subfield or "", _industry_names(obj.industry)]), 1),
        ]
    if kind == PartyKind.expert:
        # The expert's own name says nothing about the subject, so it is left out.
        return [
            (_join(obj.fields), 2),
            (obj.services or "", 1),
            (_join([obj.affiliation or "", _industry_names(obj.industry)]), 1),
        ]
    if kind == PartyKind.capital:
        return [
            (obj.name, 2),
            (obj.description or "", 1),
            (
                _join([label(obj.kind), *map(label, obj.stages), _industry_names(*obj.industries)]),
                1,
            ),
        ]
    if kind == PartyKind.carrier:
        return [
            (obj.name, 2),
            (obj.description or "", 1),
            (_join([label(obj.kind), obj.district or "", _industry_names(*obj.industries)]), 1),
        ]
    if kind == PartyKind.organization:
        return [
            (_join([obj.subfield or "", _industry_names(obj.industry)]), 2),
            (obj.name, 1),
            (_join(extra), 1),
        ]
    if kind == PartyKind.lead:
        return [
            (obj.need, 2),
            (obj.purpose or "", 1),
            (_industry_names(obj.industry), 1),
        ]
    raise ValueError(f"not a matchable kind: {kind}")


def query_text(kind: PartyKind, obj: Any, extra: Sequence[str] = ()) -> str:
    """A factor's text as a query for its counterparts (the same text the encoder reads)."""
    return passage_text(document(kind, obj, extra))


def candidates(kind: PartyKind) -> Select[Any]:
    """The rows of a kind that can be matched: every listing, enterprises, live leads."""
    model = PARTY_MODELS[kind]
    stmt = select(model)
    if kind == PartyKind.organization:
        stmt = stmt.where(Organization.kind == OrganizationKind.enterprise)
    if kind == PartyKind.lead:
        stmt = stmt.where(
            Lead.consent.is_(True),
            Lead.consent_withdrawn_at.is_(None),
            Lead.erased_at.is_(None),
            Lead.status != LeadStatus.closed,
        )
    return stmt
