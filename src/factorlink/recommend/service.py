"""Recommendations computed ahead and read back in place of a live search.

`compute` ranks a batch of listings against each of their target kinds with the matching
service's own `score` — the same candidates, fit, blend and shared words as a live search — and
returns the rows to store. `stored_ranking` is what `matching.service.find_matches` asks first:
a listing's stored counterparts, as `Scored` items over the counterparts' current rows, where
they still answer the request exactly as a search would; otherwise None, and it searches live.
Either way `matching.service.present` masks contacts and withholds confidential figures for the
viewer, so a stored and a live answer look the same.

Leads are left out on both sides: a lead is not a listing, and which leads a viewer may see
depends on the viewer (an operator sees those of their cities), so matches against leads are
always searched live.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from factorlink.auth.viewer import SYSTEM, Viewer
from factorlink.config import current_settings
from factorlink.db.base import utcnow
from factorlink.introduction.models import PartyKind
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
    matches or another candidate pool than asked for), or the listing or a counterpart written
    since (the change log says), or a counterpart no longer shown."""
    settings = current_settings()
    if settings.recommend_max_age_hours <= 0 or PartyKind.lead in (source_kind, target_kind):
        return None
    repository = RecommendationRepository(session)
    row = repository.of(source_kind.value, source.id, target_kind.value)
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
    low, high = repository.log_bounds()
    if rules.log_lost_changes(row.watermark, low, high):
        return None
    refs = [(source_kind.value, int(source.id)), *((target_kind.value, i.id) for i in items)]
    if repository.changed_since(row.watermark, refs):
        return None
    shown = items[:limit]
    rows = MatchingRepository(session).by_ids(
        target_kind, [i.id for i in shown], viewer, on_show=True
    )
    if len(rows) < len(shown):
        return None
    scored = [
        Scored(
            obj=rows[i.id],
            score=i.score,
            relevance=i.relevance,
            lexical=i.lexical,
            semantic=i.semantic,
            fit=i.fit,
            terms=i.terms,
            criteria=i.criteria,
        )
        for i in shown
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
    watermark: int,
    run_id: int | None,
    encoder: str,
    fresh_for: timedelta | None = None,
) -> Batch:
    """Ranks each listing against each of its target kinds (one `Memo`: counterparts read and
    judged once per batch) and returns the rows to store. With `fresh_for`, listings whose every
    direction was computed that recently and is unchanged since are skipped."""
    now = utcnow()
    skip: set[int] = set()
    if fresh_for is not None:
        ids = [int(s.id) for s in sources]
        skip = _fresh(session, kind, ids, now, fresh_for, k=k, encoder=encoder)
    memo = Memo()
    depth = pool_depth(k)
    rows: list[dict[str, Any]] = []
    done: list[int] = []
    for source in sources:
        if source.id in skip:
            continue
        done.append(int(source.id))
        for target in directions(kind):
            found = score(session, SYSTEM, kind, source, target, k, METHOD, memo)
            items = [
                Item(
                    id=int(s.obj.id),
                    score=s.score,
                    relevance=s.relevance,
                    lexical=s.lexical,
                    semantic=s.semantic,
                    fit=s.fit,
                    terms=s.terms,
                    criteria=s.criteria,
                )
                for s in found
            ]
            rows.append(
                {
                    "source_kind": kind.value,
                    "source_id": int(source.id),
                    "target_kind": target.value,
                    "run_id": run_id,
                    "k": k,
                    "depth": depth,
                    "method": METHOD.value,
                    "encoder": encoder,
                    "count": len(items),
                    "watermark": watermark,
                    "computed_at": utcnow(),
                    "items": encode(items),
                }
            )
    return Batch(kind, tuple(done), tuple(rows), len(skip))


def _fresh(
    session: Session,
    kind: PartyKind,
    ids: Sequence[int],
    now: datetime,
    fresh_for: timedelta,
    *,
    k: int,
    encoder: str,
) -> set[int]:
    """The listings among these whose every direction is stored as this run would store it,
    young and unchanged since."""
    repository = RecommendationRepository(session)
    wanted = {t.value for t in directions(kind)}
    by_source: dict[int, list[Recommendation]] = {}
    for row in repository.of_sources(kind.value, ids):
        by_source.setdefault(row.source_id, []).append(row)
    low, high = repository.log_bounds()
    fresh = set()
    for source_id, stored in by_source.items():
        if {r.target_kind for r in stored} != wanted:
            continue
        if not all(
            rules.still_fresh(_stamp(r), now, fresh_for)
            and (r.k, r.method, r.encoder) == (k, METHOD.value, encoder)
            for r in stored
        ):
            continue
        watermark = min(r.watermark for r in stored)
        if rules.log_lost_changes(watermark, low, high):
            continue
        refs = [(kind.value, source_id)]
        for r in stored:
            refs.extend((r.target_kind, i.id) for i in decode(r.items))
        if not repository.changed_since(watermark, refs):
            fresh.add(source_id)
    return fresh


def store(session: Session, batch: Batch) -> None:
    """Puts a computed batch in place of what its listings had stored (flushed, not committed)."""
    RecommendationRepository(session).replace(batch.kind.value, batch.source_ids, batch.rows)
