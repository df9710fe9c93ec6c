"""The change log the match indexes follow: one row per factor written, in commit order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from factorlink.db.base import Base, UTCDateTime, utcnow


class MatchChange(Base):
    """A factor of some kind was added, changed or deleted (written in the same transaction)."""

    __tablename__ = "match_changes"
    # AUTOINCREMENT on SQLite: sequence numbers are never reused, even after a compaction.
    __table_args__ = (
        Index("ix_match_changes_kind_seq", "kind", "seq"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    factor_id: Mapped[int] = mapped_column(Integer, nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class SearchWatermark(Base):
    """How far a search backend (a Milvus URL and collection prefix) has followed the change
    log: every change up to `watermark` is in it (`factorlink search sync`)."""

    __tablename__ = "search_sync"

    target: Mapped[str] = mapped_column(String(300), primary_key=True)
    watermark: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
