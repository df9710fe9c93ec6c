"""Stored recommendations and the runs of `factorlink recommend` that compute them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from factorlink.db.base import Base, IdMixin, StringList, UTCDateTime, utcnow


class RecommendationRun(Base, IdMixin):
    """One pass of `factorlink recommend --all` over the live listings of some kinds.

    It walks each kind in id order (or one share of it, `shard` of `shards`); `cursor` (kind →
    last listing id done) moves in the same transaction as each batch's recommendations, so a run
    stopped anywhere resumes after its last committed batch. Unfinished until `finished_at` is
    set.
    """

    __tablename__ = "recommendation_runs"

    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    kinds: Mapped[list[str]] = mapped_column(StringList(), nullable=False)
    k: Mapped[int] = mapped_column(Integer, nullable=False)
    method: Mapped[str] = mapped_column(String(10), nullable=False)
    encoder: Mapped[str] = mapped_column(String(20), nullable=False)
    cursor: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    # The share of the listings this run walks: those whose id % shards == shard (`--shard I/N`,
    # one run per share, each resumable on its own; 0/1 is every listing).
    shard: Mapped[int] = mapped_column(Integer, default=0, server_default="0", nullable=False)
    shards: Mapped[int] = mapped_column(Integer, default=1, server_default="1", nullable=False)
    # Listings done in this run (recomputed or skipped as still fresh) and rows written.
    done: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    skipped: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    stored: Mapped[int] = mapped_column(Integer, default=0, nullable=False)


class Recommendation(Base, IdMixin):
    """A listing's best counterparts of one target kind, as they ranked when computed.

    `items` holds each counterpart's id, scores, shared words and every criterion unreworded
    (zlib-compressed JSON, `items.py`) and the fingerprint of its text, facts and owner then;
    contacts and confidential figures are applied for each viewer when shown, from the rows as
    they are then. A listing or counterpart whose fingerprint differs now makes the row stale.
    """

    __tablename__ = "recommendations"
    __table_args__ = (
        UniqueConstraint(
            "source_kind", "source_id", "target_kind", name="uq_recommendations_direction"
        ),
    )

    source_kind: Mapped[str] = mapped_column(String(20), nullable=False)
    source_id: Mapped[int] = mapped_column(Integer, nullable=False)
    target_kind: Mapped[str] = mapped_column(String(20), nullable=False)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation_runs.id", ondelete="SET NULL"), index=True
    )
    k: Mapped[int] = mapped_column(Integer, nullable=False)
    depth: Mapped[int] = mapped_column(Integer, nullable=False)
    method: Mapped[str] = mapped_column(String(10), nullable=False)
    encoder: Mapped[str] = mapped_column(String(20), nullable=False)
    count: Mapped[int] = mapped_column(Integer, nullable=False)
    # A fingerprint of the listing's text, facts and owner when computed (`service.digest`).
    source_digest: Mapped[int] = mapped_column(BigInteger, nullable=False)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    items: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
