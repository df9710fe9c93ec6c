"""What each kind of factor says about itself, as weighted text fields, and which rows take part.

Each kind's descriptor (`<kind>/kind.py`) writes its fields: a field of weight 2 counts twice in
BM25 (titles, keywords); the encoder reads the fields in order. An enterprise has little text of
its own, so its document also carries the titles and keywords of its demands.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select

from factorlink.introduction.models import PartyKind
from factorlink.kinds.descriptor import Fields
from factorlink.kinds.registry import kind_of
from factorlink.lead.models import Lead, LeadStatus
from factorlink.matching.retrieval.engine import passage_text
from factorlink.matching.retrieval.text import fold
from factorlink.organization.models import Organization, OrganizationKind


def document(kind: PartyKind, obj: Any, extra: Sequence[str] = ()) -> Fields:
    """The weighted text fields of a factor (extra: related text, e.g. an enterprise's demands),
    as its kind's descriptor writes them, folded to half-width (`fold`): rows keep their text as
    typed, and the indexes and the encoder read it folded, as they did when it was stored so
    (the shipped sample vectors are of the folded passages)."""
    return [(fold(text), weight) for text, weight in kind_of(kind).document(obj, extra)]


def query_text(kind: PartyKind, obj: Any, extra: Sequence[str] = ()) -> str:
    """A factor's text as a query for its counterparts (the same text the encoder reads)."""
    return passage_text(document(kind, obj, extra))


def candidates(kind: PartyKind) -> Select[Any]:
    """The rows of a kind that can be matched: every listing, enterprises, live leads."""
    model = kind_of(kind).model
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
