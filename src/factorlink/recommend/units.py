"""A run of `factorlink recommend --all`: batches of listings, each in its own units of work.

A run walks the live listings of its kinds in id order. Each batch is read and ranked in one unit
of work (reads only), then stored in a second, together with the run's cursor: what is committed
is always whole batches, and a run stopped anywhere — a crash, kill -9, Ctrl-C — resumes after its
last committed batch when started again with the same settings. A run finishes when every kind is
walked; then the rows of listings no longer live are deleted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from factorlink.db.base import utcnow
from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.matching.live.indexes import registry_for
from factorlink.recommend import rules
from factorlink.recommend.models import RecommendationRun
from factorlink.recommend.repository import RecommendationRepository, RunRepository
from factorlink.recommend.service import (
    DEFAULT_K,
    METHOD,
    SOURCE_KINDS,
    Batch,
    compute,
    store,
)

DEFAULT_BATCH = 200
# Texts whose words a run keeps between batches (counterparts recur across sources).
WORDS_KEPT = 200_000


@dataclass(frozen=True)
class Options:
    """What `factorlink recommend --all` was asked to do."""

    kinds: tuple[PartyKind, ...] = SOURCE_KINDS
    k: int = DEFAULT_K
    batch: int = DEFAULT_BATCH
    # At most this many listings in this invocation (the run stays open to be resumed).
    limit: int | None = None
    fresh_for: timedelta | None = None
    # Abandon an unfinished run of the same settings and start over.
    restart: bool = False
    # Only this share of each kind's listings (N processes, one share each; a run per share).
    share: rules.Share = rules.WHOLE


@dataclass(frozen=True)
class Status:
    """Where a run stands: listings done of the total, in this invocation and before."""

    run_id: int
    resumed: bool
    done: int
    total: int
    done_at_start: int
    skipped: int
    stored: int
    elapsed: float
    finished: bool
    share: rules.Share = rules.WHOLE

    @property
    def pace(self) -> rules.Pace:
        """Rate and time left, from this invocation's progress."""
        return rules.pace(self.done, self.total, self.done_at_start, self.elapsed)


class RunClaimed(RuntimeError):
    """Another process moved the run's cursor meanwhile: two runs of one setting at once."""


def _encoder(database: Database) -> str:
    return database.settings.matching_encoder


def run(
    database: Database,
    options: Options,
    on_batch: Callable[[Status], None] | None = None,
) -> Status:
    """Runs (or resumes) a run to its end or to `options.limit` listings; returns its status."""
    kinds = [k.value for k in options.kinds]
    encoder = _encoder(database)
    with database.unit_of_work(immediate=True) as session:
        runs = RunRepository(session)
        current = None
        if not options.restart:
            current = runs.unfinished(kinds, options.k, METHOD.value, encoder, options.share)
        if options.restart:
            for old in runs.unfinished_all():
                if list(old.kinds) == kinds and (old.shard, old.shards) == (
                    options.share.shard,
                    options.share.shards,
                ):
                    old.finished_at = utcnow()  # abandoned
        resumed = current is not None
        if current is None:
            current = runs.add(
                RecommendationRun(
                    kinds=kinds,
                    k=options.k,
                    method=METHOD.value,
                    encoder=encoder,
                    cursor={},
                    shard=options.share.shard,
                    shards=options.share.shards,
                    done=0,
                    skipped=0,
                    stored=0,
                )
            )
        run_id, cursor = current.id, dict(current.cursor)
        done, skipped, stored = current.done, current.skipped, current.stored
        remaining = sum(
            runs.count_after(k, int(cursor.get(k.value, 0)), options.share) for k in options.kinds
        )
    total = done + remaining
    # A one-shot command: texts waiting for a vector are encoded before they are searched.
    registry_for(database).inline_encoding = True
    started = time.monotonic()
    done_at_start = done
    words: dict[str, list[str]] = {}
    budget = options.limit

    def status(finished: bool) -> Status:
        return Status(
            run_id=run_id,
            resumed=resumed,
            done=done,
            total=max(total, done),
            done_at_start=done_at_start,
            skipped=skipped,
            stored=stored,
            elapsed=time.monotonic() - started,
            finished=finished,
            share=options.share,
        )

    for kind in options.kinds:
        while budget is None or budget > 0:
            after = int(cursor.get(kind.value, 0))
            size = options.batch if budget is None else min(options.batch, budget)
            if len(words) > WORDS_KEPT:
                words.clear()
            batch = _compute(database, kind, after, size, run_id, encoder, options, words)
            if batch is None:
                break
            last, computed = batch
            with database.unit_of_work(immediate=True) as session:
                row = session.get(RecommendationRun, run_id)
                if row is None or row.finished_at is not None:
                    raise RunClaimed(f"recommendation run {run_id} was closed meanwhile")
                if int(dict(row.cursor).get(kind.value, 0)) != after:
                    raise RunClaimed(f"recommendation run {run_id} moved on in another process")
                store(session, computed)
                cursor[kind.value] = last
                row.cursor = dict(cursor)
                row.done += len(computed.source_ids) + computed.skipped
                row.skipped += computed.skipped
                row.stored += len(computed.rows)
                done, skipped, stored = row.done, row.skipped, row.stored
            if budget is not None:
                budget -= len(computed.source_ids) + computed.skipped
            if on_batch is not None:
                on_batch(status(False))
        if budget is not None and budget <= 0:
            return status(False)
    with database.unit_of_work(immediate=True) as session:
        row = session.get(RecommendationRun, run_id)
        if row is not None:
            row.finished_at = utcnow()
        repository = RecommendationRepository(session)
        for kind in options.kinds:
            repository.prune(kind)
    return status(True)


def _compute(
    database: Database,
    kind: PartyKind,
    after: int,
    size: int,
    run_id: int,
    encoder: str,
    options: Options,
    words: dict[str, list[str]],
) -> tuple[int, Batch] | None:
    """The next batch of a kind after a listing id, ranked (None when the kind is done)."""
    with database.unit_of_work() as session:
        sources = RunRepository(session).sources_after(kind, after, size, options.share)
        if not sources:
            return None
        computed = compute(
            session,
            kind,
            sources,
            k=options.k,
            run_id=run_id,
            encoder=encoder,
            fresh_for=options.fresh_for,
            words=words,
        )
        last = max(int(s.id) for s in sources)
    return last, computed
