"""List search by relevance: the match index finds, the listing table filters and pages.

A query (`q`) on a kind whose live match index holds every listing of the kind is answered by
that index, with the matching engine's own tokens (character unigrams and bigrams, so 电池包热失控
预警 finds 储能电站电池热失控多参数早期预警系统 although no listing holds the phrase) and, where an
encoder is configured, its semantic scores. The listings it finds at or above `FLOOR`, and every
listing holding each word of the query as typed, are then filtered (city, industry, price…),
counted and paged by the database, most relevant first: those with the words in their title or
code, then by relevance.

The floor is an absolute relevance (fusion.py puts every score on one 0..1 scale). Measured on the
sample data with 28 judged queries over the five kinds, 0.55 keeps 89% of the relevant listings
at 88% precision with the e5 encoder, and 84% at 92% with words alone; 0.5 would show 53 unrelated
listings over those queries with the encoder instead of 29, for 3 points of recall (README,
"Search").

A query with a term the corpus has never seen is also searched as corrected (spelling.py: 石墨稀
→ 石墨烯, when some listing holds the corrected phrase); its hits join the typed query's.

Organisations are searched as before (every word somewhere in the text): their index holds only
enterprises, with their demands' words, so it cannot answer for the whole table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from factorlink.introduction.models import PartyKind
from factorlink.kit.pagination import PageParams
from factorlink.listing.repository import ListingFilters, ListingRepository
from factorlink.matching.documents import candidates
from factorlink.matching.live.indexes import MatchIndexes, registry_of
from factorlink.matching.retrieval.engine import Method
from factorlink.matching.retrieval.spelling import corrections

# The least relevance a listing found by the index needs to be a result.
FLOOR = 0.55
# The most listings the index is asked for (the literal matches come on top of these).
POOL = 1000


@dataclass(frozen=True)
class Found:
    """One page of a search, its total, and the corrected query also searched, if any."""

    rows: Sequence[Any]
    total: int
    corrected: str | None = None


def searched_by_index(kind: PartyKind) -> bool:
    """Whether a kind's live index holds every row of its table (not organisations: only
    enterprises are indexed; not leads, which are no listing)."""
    return kind != PartyKind.lead and candidates(kind).whereclause is None


def search(
    session: Session,
    kind: PartyKind,
    repository: ListingRepository[Any],
    filters: ListingFilters,
    params: PageParams,
) -> Found:
    """One page of listings for resolved filters; by relevance when there is a query."""
    if not filters.q or not searched_by_index(kind):
        rows, total = repository.search(filters, params)
        return Found(rows, total)
    registry = registry_of(session)
    relevance = _relevant(registry, kind, filters.q)
    correction = _correction(registry, kind, repository, filters.q)
    if correction is not None:
        for factor_id, score in _relevant(registry, kind, correction).items():
            relevance[factor_id] = max(score, relevance.get(factor_id, 0.0))
    stmt = repository.ranked_statement(filters, relevance)
    rows, total = repository.page(stmt, params)
    return Found(rows, total, correction)


def _relevant(registry: MatchIndexes, kind: PartyKind, query: str) -> dict[int, float]:
    """The listings the index finds at or above the floor, with their relevance."""
    hits = registry.search(kind, query, POOL, Method.hybrid)
    return {hit.id: hit.relevance for hit in hits if hit.relevance >= FLOOR}


def _correction(
    registry: MatchIndexes, kind: PartyKind, repository: ListingRepository[Any], query: str
) -> str | None:
    """The query with a typo corrected, when its terms include one the corpus lacks and some
    listing holds the corrected phrase (the one most listings hold, of the candidates)."""
    lexicon = registry.lexicon(kind)
    if lexicon is None:
        return None  # Milvus holds the vocabulary: no typo corrections there
    found = corrections(query, lexicon)
    if not found:
        return None
    counts = repository.phrase_counts(sorted({c.phrase for c in found}))
    best, held = None, 0
    for candidate in found:  # likeliest first: a tie keeps the earlier
        if counts[candidate.phrase] > held:
            best, held = candidate, counts[candidate.phrase]
    return best.query if best is not None else None
