"""Matches as API shapes, with display names."""

from __future__ import annotations

from dataclasses import asdict

from factorlink.introduction.parties import party_label
from factorlink.matching.schemas import CriterionOut, MatchListOut, MatchOut
from factorlink.matching.service import Match, MatchList
from factorlink.reference import city_name


def present_match(match: Match) -> MatchOut:
    """One match with its reasons."""
    return MatchOut(
        kind=match.kind,
        kind_label=party_label(match.kind),
        id=match.id,
        code=match.code,
        title=match.title,
        city=match.city,
        city_name=city_name(match.city),
        score=match.score,
        relevance=match.relevance,
        lexical=match.lexical,
        semantic=match.semantic,
        fit=match.fit,
        terms=list(match.terms),
        criteria=[CriterionOut(**asdict(c)) for c in match.criteria],
        contact_name=match.contact_name,
        contact_mobile=match.contact_mobile,
        contact_masked=match.contact_masked,
        outside_preferred_cities=match.outside_preferred_cities,
    )


def present_matches(matches: MatchList, pending_vectors: int = 0) -> MatchListOut:
    """A source's matches for one target kind (and how many targets still wait for vectors)."""
    return MatchListOut(
        source_kind=matches.source_kind,
        source_id=matches.source_id,
        source_title=matches.source_title,
        target=matches.target,
        method=matches.method,
        items=[present_match(m) for m in matches.items],
        pending_vectors=pending_vectors,
        complete=pending_vectors == 0,
        computed_at=matches.computed_at,
    )
