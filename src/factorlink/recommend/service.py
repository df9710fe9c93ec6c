"""Recommendations computed ahead and read back in place of a live search.

`compute` ranks a batch of listings against each of their target kinds with the matching
service's own `score` — the same candidates, fit, blend and shared words as a live search — and
returns the rows to store, each with the fingerprint (`digest`) of what it ranked: the listing's
and every counterpart's text, facts and owner. `stored_ranking` is what
`matching.service.find_matches` asks first: a listing's stored counterparts, as `Scored` items
over the counterparts' current rows, where they still answer the request as a search would;
otherwise None, and it searches live. Either way `matching.service.present` masks contacts and
withholds confidential figures for the viewer, so a stored and a live answer look the same.

Leads are left out on both sides: a lead is not a listing, and which leads a viewer may see
depends on the viewer (an operator sees those of their cities), so matches against leads are
always searched live.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from factorlink.auth.viewer import SYSTEM, Viewer
from factorlink.config import current_settings
from factorlink.db.base import utcnow
from factorlink.introduction.models import PartyKind
from factorlink.introduction.parties import party_owner
from factorlink.matching.documents import document
from factorlink.matching.profiles import profile_of
from factorlink.matching.repository import MatchingRepository
from factorlink.matching.retrieval.engine import Method
from factorlink.matching.service import TARGETS, Memo, Scored, pool_depth, score
from factorlink.recommend import rules
from factorlink.recommend.items import Item, decode, encode
from factorlink.recommend.models import Recommendation
from factorlink.recommend.repository import RecommendationRepository

# The kinds whose listings get recommendations, in the order a run walks them.
SOURCE_KINDS: tuple[PartyKind, ...] = tuple(k for k in TARGETS if k != PartyKind.lead)
DEFAULT_K = 10
METHOD = Method.hybrid


def directions(kind: PartyKind) -> tuple[PartyKind, ...]:
    """The target kinds a listing's recommendations are computed for (leads: live only)."""
    return tuple(t for t in TARGETS.get(kind, ()) if t != PartyKind.lead)


def digest(kind: PartyKind, obj: Any, extra: Sequence[str] = ()) -> int:
    """The fingerprint of what ranking reads of a factor: its text as indexed and queried
    (an enterprise's with its demands, `extra`), its fit profile and its owner."""
    parts = (
        repr(document(kind, obj, extra)),
        repr(profile_of(kind.value, obj)),
        repr(party_owner(kind, obj)),
    )
    return rules.fingerprint(parts)


def _extras(session: Session, kind: PartyKind, ids: Iterable[int]) -> dict[int, list[str]]:
    """What an enterprise's text carries beside its own: its demands' titles and keywords."""
    if kind != PartyKind.organization:
        return {}
    return MatchingRepository(session).demand_terms_by_owner(sorted(set(ids)))


def _digests(session: Session, kind: PartyKind, rows: Mapping[int, Any]) -> dict[int, int]:
    extras = _extras(session, kind, rows)
    return {i: digest(kind, obj, extras.get(i, ())) for i, obj in rows.items()}


def _stamp(row: Recommendation) -> rules.Stamp:
    return rules.Stamp(row.computed_at, row.k, row.depth, row.method, row.encoder)


def stored_ranking(
    session: Session,
    viewer: Viewer,
    source_kind: PartyKind,
    source: Any,
    target_kind: PartyKind,
    limit: int,
    method: Method,
) -> tuple[list[Scored], datetime] | None:
    """A listing's stored counterparts of a target kind and when they were computed, where they
    answer this request as a live search would now; None where it must search: nothing stored,
    too old (`FACTORLINK_RECOMMEND_MAX_AGE_HOURS`), computed otherwise (method, encoder, fewer
    matches or another candidate pool than asked for), the listing or a counterpart changed
    since (text, facts or owner), or a counterpart no longer shown."""
    settings = current_settings()
    if settings.recommend_max_age_hours <= 0 or PartyKind.lead in (source_kind, target_kind):
        return None
    row = RecommendationRepository(session).of(source_kind.value, source.id, target_kind.value)
    if row is None:
        return None
    wanted = rules.Wanted(
        limit=limit,
        depth=pool_depth(limit),
        method=method.value,
        encoder=settings.matching_encoder,
        max_age=timedelta(hours=settings.recommend_max_age_hours),
    )
    if not rules.usable(_stamp(row), wanted, utcnow()):
        return None
    items = decode(row.items)
    extra = _extras(session, source_kind, [source.id]).get(source.id, ())
    if digest(source_kind, source, extra) != row.source_digest:
        return None
    # Every stored counterpart, not only those asked for: one changed may now rank higher.
    targets = MatchingRepository(session).by_ids(
        target_kind, [i.id for i in items], viewer, on_show=True
    )
    if len(targets) < len(items):
        return None
    now = _digests(session, target_kind, targets)
    if any(now[i.id] != i.digest for i in items):
        return None
    scored = [
        Scored(
            obj=targets[i.id],
            score=i.score,
            relevance=i.relevance,
            lexical=i.lexical,
            semantic=i.semantic,
            fit=i.fit,
            terms=i.terms,
            criteria=i.criteria,
        )
        for i in items[:limit]
    ]
    return scored, row.computed_at


@dataclass(frozen=True)
class Batch:
    """A batch of listings of one kind, computed: the rows to store and what was skipped."""

    kind: PartyKind
    source_ids: tuple[int, ...]
    rows: tuple[dict[str, Any], ...]
    skipped: int


def compute(
    session: Session,
    kind: PartyKind,
    sources: Sequence[Any],
    *,
    k: int,
    run_id: int | None,
    encoder: str,
    fresh_for: timedelta | None = None,
    words: dict[str, list[str]] | None = None,
) -> Batch:
    """Ranks each listing against each of its target kinds (one `Memo`: counterparts read and
    judged once per batch) and returns the rows to store. With `fresh_for`, listings whose every
    direction was computed that recently, the same way, and is unchanged since are skipped.
    `words` (text → its words) may be shared by the batches of a run."""
    skip: set[int] = set()
    if fresh_for is not None:
        skip = _fresh(session, kind, sources, utcnow(), fresh_for, k=k, encoder=encoder)
    memo = Memo(words=words if words is not None else {})
    ranked: list[tuple[Any, PartyKind, list[Scored], datetime]] = []
    for source in sources:
        if source.id in skip:
            continue
        for target in directions(kind):
            found = score(session, SYSTEM, kind, source, target, k, METHOD, memo)
            ranked.append((source, target, found, utcnow()))
    # Fingerprints of every listing and counterpart ranked, each computed once per batch.
    own = _digests(session, kind, {int(s.id): s for s in sources if s.id not in skip})
    theirs: dict[PartyKind, dict[int, int]] = {}
    for target in directions(kind):
        shown = {int(s.obj.id): s.obj for _, t, found, _ in ranked if t == target for s in found}
        theirs[target] = _digests(session, target, shown)
    rows = [
        {
            "source_kind": kind.value,
            "source_id": int(source.id),
            "target_kind": target.value,
            "run_id": run_id,
            "k": k,
            "depth": pool_depth(k),
            "method": METHOD.value,
            "encoder": encoder,
            "count": len(found),
            "source_digest": own[int(source.id)],
            "computed_at": at,
            "items": encode([_item(s, theirs[target][int(s.obj.id)]) for s in found]),
        }
        for source, target, found, at in ranked
    ]
    done = tuple(int(s.id) for s in sources if s.id not in skip)
    return Batch(kind, done, tuple(rows), len(skip))


def _item(scored: Scored, fingerprint: int) -> Item:
    return Item(
        id=int(scored.obj.id),
        digest=fingerprint,
        score=scored.score,
        relevance=scored.relevance,
        lexical=scored.lexical,
        semantic=scored.semantic,
        fit=scored.fit,
        terms=scored.terms,
        criteria=scored.criteria,
    )


def _fresh(
    session: Session,
    kind: PartyKind,
    sources: Sequence[Any],
    now: datetime,
    fresh_for: timedelta,
    *,
    k: int,
    encoder: str,
) -> set[int]:
    """The listings among these whose every direction is stored as this run would store it,
    that recently, and unchanged since (the listing and every counterpart, by fingerprint)."""
    wanted = {t.value for t in directions(kind)}
    by_source: dict[int, list[Recommendation]] = {}
    stored = RecommendationRepository(session).of_sources(kind.value, [s.id for s in sources])
    for row in stored:
        by_source.setdefault(row.source_id, []).append(row)
    candidates = {
        source_id: rows
        for source_id, rows in by_source.items()
        if {r.target_kind for r in rows} == wanted
        and all(
            rules.still_fresh(_stamp(r), now, fresh_for)
            and (r.k, r.method, r.encoder) == (k, METHOD.value, encoder)
            for r in rows
        )
    }
    if not candidates:
        return set()
    own = _digests(session, kind, {int(s.id): s for s in sources if s.id in candidates})
    items = {
        (r.source_id, r.target_kind): decode(r.items) for rs in candidates.values() for r in rs
    }
    theirs: dict[str, dict[int, int]] = {}
    for target in wanted:
        ids = {i.id for (_, t), found in items.items() if t == target for i in found}
        shown = MatchingRepository(session).by_ids(
            PartyKind(target), sorted(ids), SYSTEM, on_show=True
        )
        theirs[target] = _digests(session, PartyKind(target), shown)
    fresh = set()
    for source_id, rows in candidates.items():
        if own.get(source_id) != rows[0].source_digest or any(
            r.source_digest != rows[0].source_digest for r in rows
        ):
            continue
        if all(
            theirs[r.target_kind].get(i.id) == i.digest
            for r in rows
            for i in items[(source_id, r.target_kind)]
        ):
            fresh.add(source_id)
    return fresh


def store(session: Session, batch: Batch) -> None:
    """Puts a computed batch in place of what its listings had stored (flushed, not committed)."""
    RecommendationRepository(session).replace(batch.kind.value, batch.source_ids, batch.rows)
