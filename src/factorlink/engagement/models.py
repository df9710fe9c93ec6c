"""A listing's page views (one counter per listing) and its followers (收藏/关注).

Kept beside the listings, not on their rows: a view or a follow is not a change of the listing,
so it neither touches its `updated_at` nor the change log the match indexes replay.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from factorlink.db.base import Base, IdMixin, UTCDateTime, utcnow


class ListingViews(Base):
    """How many times a listing's page was read (a reload by the same browser, and bots, do not
    count: see engagement/service.py)."""

    __tablename__ = "listing_views"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    listing_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=0, nullable=False)


class Follow(Base, IdMixin):
    """A user following a listing (收藏/关注), to find it again on 我的关注."""

    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "listing_id", name="uq_follows_user_listing"),
        Index("ix_follows_listing", "kind", "listing_id"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    listing_id: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
