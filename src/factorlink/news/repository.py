"""Every query of the news domain."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from factorlink.db.base import utcnow
from factorlink.kit.repository import Repository
from factorlink.news.collect import Validators
from factorlink.news.models import NewsArticle, NewsFetch
from factorlink.organization.models import Organization


class NewsRepository(Repository[NewsArticle]):
    model = NewsArticle

    def by_fingerprint(self, fingerprint: str) -> NewsArticle | None:
        return self.get_by(fingerprint=fingerprint)

    def bodies(self) -> Sequence[tuple[int, str, int | None]]:
        """(id, body, story) of every article, oldest first: to rebuild the story index."""
        rows = self.session.execute(
            select(NewsArticle.id, NewsArticle.body, NewsArticle.story_id).order_by(NewsArticle.id)
        )
        return [(row[0], row[1], row[2]) for row in rows]

    def story(self, story_id: int) -> Sequence[NewsArticle]:
        """The articles of one story, oldest first."""
        return self.session.scalars(
            select(NewsArticle).where(NewsArticle.story_id == story_id).order_by(NewsArticle.id)
        ).all()

    def organization_names(self) -> Sequence[str]:
        return self.session.scalars(select(Organization.name)).all()

    def validators(self, url: str) -> Validators | None:
        """What the page was last fetched with (ETag, Last-Modified), if it was."""
        row = self.session.scalars(select(NewsFetch).where(NewsFetch.url == url)).first()
        return Validators(row.etag, row.last_modified) if row else None

    def remember(self, url: str, validators: Validators) -> None:
        row = self.session.scalars(select(NewsFetch).where(NewsFetch.url == url)).first()
        if row is None:
            row = NewsFetch(url=url)
            self.session.add(row)
        row.etag = validators.etag and validators.etag[:500]
        row.last_modified = validators.last_modified and validators.last_modified[:100]
        row.fetched_at = utcnow()
        self.session.flush()
