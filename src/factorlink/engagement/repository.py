"""Queries of views and follows."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from factorlink.engagement.models import Follow, ListingViews


class EngagementRepository:
    """The view counters and the follows of listings."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_view(self, kind: str, listing_id: int) -> None:
        """Adds one to a listing's counter, in one statement (two readers at once both count)."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(ListingViews).values(kind=kind, listing_id=listing_id, views=1)
        self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["kind", "listing_id"],
                set_={"views": ListingViews.views + 1},
            )
        )

    def views(self, kind: str, listing_id: int) -> int:
        found = self.session.get(ListingViews, (kind, listing_id))
        return found.views if found is not None else 0

    def followers(self, kind: str, listing_id: int) -> int:
        stmt = select(func.count(Follow.id)).where(
            Follow.kind == kind, Follow.listing_id == listing_id
        )
        return int(self.session.scalar(stmt) or 0)

    def follow_of(self, user_id: int, kind: str, listing_id: int) -> Follow | None:
        stmt = select(Follow).where(
            Follow.user_id == user_id, Follow.kind == kind, Follow.listing_id == listing_id
        )
        return self.session.scalars(stmt).first()

    def add_follow(self, user_id: int, kind: str, listing_id: int) -> None:
        """Follows, once however often asked (a double click, two tabs)."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(Follow).values(user_id=user_id, kind=kind, listing_id=listing_id)
        self.session.execute(
            stmt.on_conflict_do_nothing(index_elements=["user_id", "kind", "listing_id"])
        )

    def remove_follow(self, user_id: int, kind: str, listing_id: int) -> None:
        self.session.execute(
            delete(Follow).where(
                Follow.user_id == user_id, Follow.kind == kind, Follow.listing_id == listing_id
            )
        )

    def followed_by(self, user_id: int) -> Sequence[Follow]:
        """A user's follows, newest first."""
        stmt = (
            select(Follow)
            .where(Follow.user_id == user_id)
            .order_by(Follow.created_at.desc(), Follow.id.desc())
        )
        return self.session.scalars(stmt).all()

    def forget(self, kind: str, listing_id: int) -> None:
        """Drops a deleted listing's counter and follows (its id may be used again)."""
        self.session.execute(
            delete(ListingViews).where(
                ListingViews.kind == kind, ListingViews.listing_id == listing_id
            )
        )
        self.session.execute(
            delete(Follow).where(Follow.kind == kind, Follow.listing_id == listing_id)
        )
