"""What an article is about among the registry's listings and organisations.

Organisations the article names (by their registry name) are linked outright; the matching
engine's text index proposes the listings and organisations whose text the article's shares
enough words with. Only the lexical share decides: it is the same scale with or without the
sentence encoder, and an article that merely names the corridor shares few particular words with
any one listing (measured on the sample data: related listings 0.2-0.35, unrelated under 0.12).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from factorlink.introduction.models import PartyKind
from factorlink.matching.live.indexes import registry_of
from factorlink.matching.retrieval.engine import Method

LINK_KINDS = (
    PartyKind.achievement, PartyKind.demand, PartyKind.capital, PartyKind.carrier,
    PartyKind.expert, PartyKind.organization,
)  # fmt: skip
MIN_LEXICAL = 0.18
PER_KIND = 3
MAX_QUERY_CHARS = 4000


@dataclass(frozen=True)
class Link:
    kind: PartyKind
    target_id: int
    score: float
    named: bool


def find_links(session: Session, text: str, named_organizations: dict[str, int]) -> list[Link]:
    """The organisations an article names, then what the text index finds for its text."""
    links = [
        Link(PartyKind.organization, org_id, 1.0, True) for org_id in named_organizations.values()
    ]
    seen = {(link.kind, link.target_id) for link in links}
    registry = registry_of(session)
    query = text[:MAX_QUERY_CHARS]
    for kind in LINK_KINDS:
        hits = registry.search(kind, query, PER_KIND * 3, Method.bm25)
        kept = [h for h in hits if h.lexical >= MIN_LEXICAL][:PER_KIND]
        for hit in kept:
            if (kind, hit.id) not in seen:
                seen.add((kind, hit.id))
                links.append(Link(kind, hit.id, round(hit.lexical, 4), False))
    return links
