"""Every query of stored recommendations: the rows, their runs and the listings a run walks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Select, delete, func, insert, select

from factorlink.introduction.models import PartyKind
from factorlink.kinds.registry import kind_of
from factorlink.kit.repository import Repository
from factorlink.matching.documents import candidates
from factorlink.recommend.models import Recommendation, RecommendationRun
from factorlink.recommend.rules import WHOLE, Share


def live_sources(kind: PartyKind) -> Select[Any]:
    """The listings of a kind that get recommendations: those matched at all (enterprises of
    the organisations) and shown (active)."""
    model = kind_of(kind).model
    stmt = candidates(kind)
    if hasattr(model, "state"):
        stmt = stmt.where(model.state == "active")
    return stmt


class RecommendationRepository(Repository[Recommendation]):
    """Stored recommendations, one row per listing and target kind."""

    model = Recommendation

    def of(self, source_kind: str, source_id: int, target_kind: str) -> Recommendation | None:
        """A listing's stored recommendations of one target kind, if any."""
        return self.session.scalars(
            select(Recommendation).where(
                Recommendation.source_kind == source_kind,
                Recommendation.source_id == source_id,
                Recommendation.target_kind == target_kind,
            )
        ).first()

    def of_sources(self, source_kind: str, source_ids: Sequence[int]) -> list[Recommendation]:
        """Every stored row of these listings (all target kinds)."""
        if not source_ids:
            return []
        return list(
            self.session.scalars(
                select(Recommendation).where(
                    Recommendation.source_kind == source_kind,
                    Recommendation.source_id.in_(list(source_ids)),
                )
            )
        )

    def replace(
        self, source_kind: str, source_ids: Sequence[int], rows: Sequence[Mapping[str, Any]]
    ) -> None:
        """Puts these rows in place of every stored row of these listings."""
        if source_ids:
            self.session.execute(
                delete(Recommendation).where(
                    Recommendation.source_kind == source_kind,
                    Recommendation.source_id.in_(list(source_ids)),
                )
            )
        if rows:
            self.session.execute(insert(Recommendation), list(rows))

    def prune(self, source_kind: PartyKind) -> int:
        """Deletes the rows of listings no longer live (withdrawn, closed, deleted); how many."""
        live = live_sources(source_kind).with_only_columns(kind_of(source_kind).model.id)
        result = self.session.execute(
            delete(Recommendation).where(
                Recommendation.source_kind == source_kind.value,
                Recommendation.source_id.not_in(live.scalar_subquery()),
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def count_by_kind(self) -> dict[str, int]:
        """Stored rows per listing kind."""
        stmt = select(Recommendation.source_kind, func.count()).group_by(Recommendation.source_kind)
        return {kind: int(n) for kind, n in self.session.execute(stmt)}


class RunRepository(Repository[RecommendationRun]):
    """The runs of `factorlink recommend --all` and the listings they walk."""

    model = RecommendationRun

    def unfinished(
        self, kinds: Sequence[str], k: int, method: str, encoder: str, share: Share = WHOLE
    ) -> RecommendationRun | None:
        """The latest unfinished run of these settings and share (to resume), if any."""
        stmt = (
            select(RecommendationRun)
            .where(
                RecommendationRun.finished_at.is_(None),
                RecommendationRun.k == k,
                RecommendationRun.method == method,
                RecommendationRun.encoder == encoder,
                RecommendationRun.shard == share.shard,
                RecommendationRun.shards == share.shards,
            )
            .order_by(RecommendationRun.id.desc())
        )
        for run in self.session.scalars(stmt):
            if list(run.kinds) == list(kinds):
                return run
        return None

    def unfinished_all(self) -> list[RecommendationRun]:
        """Every unfinished run."""
        stmt = select(RecommendationRun).where(RecommendationRun.finished_at.is_(None))
        return list(self.session.scalars(stmt))

    def latest(self, n: int) -> list[RecommendationRun]:
        """The last n runs, newest first."""
        stmt = select(RecommendationRun).order_by(RecommendationRun.id.desc()).limit(n)
        return list(self.session.scalars(stmt))

    def sources_after(self, kind: PartyKind, after: int, n: int, share: Share = WHOLE) -> list[Any]:
        """The next n live listings of a kind (of the share) by id, after the given id."""
        model = kind_of(kind).model
        stmt = _of_share(live_sources(kind).where(model.id > after), model, share)
        return list(self.session.scalars(stmt.order_by(model.id).limit(n)))

    def count_after(self, kind: PartyKind, after: int, share: Share = WHOLE) -> int:
        """How many live listings of a kind (of the share) come after the given id."""
        model = kind_of(kind).model
        return self.count(_of_share(live_sources(kind).where(model.id > after), model, share))


def _of_share(stmt: Select[Any], model: Any, share: Share) -> Select[Any]:
    return stmt if share.shards == 1 else stmt.where(model.id % share.shards == share.shard)
