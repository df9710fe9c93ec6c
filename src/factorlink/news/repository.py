"""Every query of the news domain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Exists, Select, and_, exists, func, or_, select

from factorlink.db.base import utcnow
from factorlink.kit.pagination import PageParams
from factorlink.kit.repository import Repository, escape_like
from factorlink.news.collect import Validators
from factorlink.news.models import NewsArticle, NewsFetch, NewsLink, NewsTag
from factorlink.organization.models import Organization


@dataclass(frozen=True)
class NewsFilters:
    """What the 资讯 list can be narrowed to."""

    city: str | None = None  # a city code
    industry: str | None = None  # an industry code
    source: str | None = None
    since: date | None = None
    until: date | None = None
    q: str | None = None  # words in the title or body
    stories: bool = True  # one article per story (its first), not every copy


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

    def story_sizes(self, stories: Sequence[int]) -> dict[int, int]:
        """How many stored articles each story has."""
        if not stories:
            return {}
        rows = self.session.execute(
            select(NewsArticle.story_id, func.count())
            .where(NewsArticle.story_id.in_(list(set(stories))))
            .group_by(NewsArticle.story_id)
        )
        return {row[0]: row[1] for row in rows if row[0] is not None}

    def organization_names(self) -> Sequence[str]:
        return self.session.scalars(select(Organization.name)).all()

    def organization_ids(self, names: Sequence[str]) -> dict[str, int]:
        """The registry's organisations of these names, name → id."""
        if not names:
            return {}
        rows = self.session.execute(
            select(Organization.name, Organization.id).where(Organization.name.in_(list(names)))
        )
        return {row[0]: row[1] for row in rows}

    def _tagged(self, kind: str, value: str) -> Exists:
        return exists().where(
            and_(NewsTag.article_id == NewsArticle.id, NewsTag.kind == kind, NewsTag.value == value)
        )

    def search(self, filters: NewsFilters) -> Select[NewsArticle]:
        """The articles that meet the filters, newest first (one row per stored copy)."""
        stmt = select(NewsArticle)
        if filters.stories:
            stmt = stmt.where(NewsArticle.story_id == NewsArticle.id)
        if filters.city:
            stmt = stmt.where(self._tagged("city", filters.city))
        if filters.industry:
            stmt = stmt.where(self._tagged("industry", filters.industry))
        if filters.source:
            stmt = stmt.where(NewsArticle.source == filters.source)
        if filters.since:
            stmt = stmt.where(NewsArticle.published >= filters.since)
        if filters.until:
            stmt = stmt.where(NewsArticle.published <= filters.until)
        for word in (filters.q or "").split()[:5]:
            pattern = f"%{escape_like(word)}%"
            stmt = stmt.where(
                or_(
                    NewsArticle.title.like(pattern, escape="\\"),
                    NewsArticle.body.like(pattern, escape="\\"),
                )
            )
        return stmt.order_by(NewsArticle.published.desc().nulls_last(), NewsArticle.id.desc())

    def list_page(
        self, filters: NewsFilters, params: PageParams
    ) -> tuple[Sequence[NewsArticle], int]:
        return self.page(self.search(filters), params)

    def sources(self) -> Sequence[str]:
        """The sources the articles name, most frequent first."""
        rows = self.session.execute(
            select(NewsArticle.source, func.count())
            .where(NewsArticle.source.is_not(None))
            .group_by(NewsArticle.source)
            .order_by(func.count().desc(), NewsArticle.source)
            .limit(50)
        )
        return [row[0] for row in rows if row[0]]

    def related(self, article: NewsArticle, limit: int = 5) -> list[NewsArticle]:
        """Articles of other stories sharing the most tags with this one (organisations,
        districts and industries count twice a city), one article per story."""
        weights = {"organization": 2, "district": 2, "industry": 2, "city": 1}
        mine = [(t.kind, t.value) for t in article.tags if t.kind in weights]
        if not mine:
            return []
        shared = (
            select(NewsTag.article_id, NewsTag.kind, func.count())
            .where(or_(*(and_(NewsTag.kind == k, NewsTag.value == v) for k, v in mine)))
            .where(NewsTag.article_id != article.id)
            .group_by(NewsTag.article_id, NewsTag.kind)
        )
        scores: dict[int, int] = {}
        for article_id, kind, count in self.session.execute(shared):
            scores[article_id] = scores.get(article_id, 0) + weights[kind] * count
        if not scores:
            return []
        rows = self.session.scalars(
            select(NewsArticle).where(NewsArticle.id.in_(list(scores)))
        ).all()
        ranked = sorted(rows, key=lambda a: (-scores[a.id], -(a.id)))
        out: list[NewsArticle] = []
        stories = {article.story_id}
        for other in ranked:
            if other.story_id in stories:
                continue  # never two copies of one story, nor a copy of this one
            stories.add(other.story_id)
            out.append(other)
            if len(out) == limit:
                break
        return out

    def about(
        self, kind: str, target_id: int, owner_id: int | None, limit: int = 10
    ) -> list[NewsArticle]:
        """The news about a listing (linked to it, or to the organisation that owns it), newest
        first, one article per story."""
        conditions = [and_(NewsLink.kind == kind, NewsLink.target_id == target_id)]
        if owner_id is not None:
            conditions.append(and_(NewsLink.kind == "organization", NewsLink.target_id == owner_id))
        stmt = (
            select(NewsArticle)
            .join(NewsLink, NewsLink.article_id == NewsArticle.id)
            .where(or_(*conditions))
            .order_by(NewsArticle.id)
        )
        first: dict[int, NewsArticle] = {}
        for article in self.session.scalars(stmt).unique():
            first.setdefault(article.story_id or article.id, article)  # a story's first copy
        out = sorted(
            first.values(),
            key=lambda a: (
                a.published is None,
                -(a.published.toordinal() if a.published else 0),
                -a.id,
            ),
        )[:limit]
        return out

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
