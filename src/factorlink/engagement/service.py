"""Counting a listing's views and following it (收藏/关注)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from factorlink.auth import access
from factorlink.auth.viewer import Viewer
from factorlink.engagement import rules
from factorlink.engagement.repository import EngagementRepository


@dataclass(frozen=True)
class Engagement:
    """What a listing's page shows of its audience."""

    views: int
    followers: int
    following: bool


class EngagementService:
    """Views and follows of listings, for one viewer. The caller has found the listing (and
    so checked the viewer may see it)."""

    def __init__(self, session: Session, viewer: Viewer) -> None:
        self.session = session
        self.viewer = viewer
        self.repository = EngagementRepository(session)

    def read(self, kind: str, listing_id: int, cookie: str | None, user_agent: str | None) -> str:
        """Counts a read of the page when it is a view (rules.read), and returns the browser's
        next seen-cookie."""
        counts, cookie_value = rules.read(cookie, user_agent, rules.view_key(kind, listing_id))
        if counts:
            self.repository.add_view(kind, listing_id)
        return cookie_value

    def of(self, kind: str, listing_id: int) -> Engagement:
        """The views, the followers and whether the viewer follows."""
        user = self.viewer.user_id
        return Engagement(
            views=self.repository.views(kind, listing_id),
            followers=self.repository.followers(kind, listing_id),
            following=user is not None
            and self.repository.follow_of(user, kind, listing_id) is not None,
        )

    def follow(self, kind: str, listing_id: int, *, on: bool = True) -> None:
        """Follows a listing (on) or stops following it; users only."""
        user = access.require_user(self.viewer, ("请先登录后再关注", "Login required to follow"))
        if on:
            self.repository.add_follow(user, kind, listing_id)
        else:
            self.repository.remove_follow(user, kind, listing_id)
        self.session.flush()

    def followed(self) -> list[tuple[str, int]]:
        """The listings the viewer follows, newest first, as (kind, id)."""
        if self.viewer.user_id is None:
            return []
        return [(f.kind, f.listing_id) for f in self.repository.followed_by(self.viewer.user_id)]
