"""Rows of the news domain to API shapes."""

from __future__ import annotations

from collections.abc import Sequence

from factorlink.auth.viewer import Viewer
from factorlink.db.factor import ListingState
from factorlink.introduction.models import PartyKind
from factorlink.introduction.parties import party_city, party_code, party_label, party_title
from factorlink.matching.repository import MatchingRepository
from factorlink.news.models import NewsArticle
from factorlink.news.repository import NewsRepository
from factorlink.news.schemas import (
    NewsArticleOut,
    NewsCopyOut,
    NewsLinkOut,
    NewsSummaryOut,
    NewsTagOut,
)
from factorlink.reference.loader import city_name

SNIPPET = 120
FIGURES = ("amount", "figure")


def snippet(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= SNIPPET else text[:SNIPPET] + "…"


def present_summary(article: NewsArticle, copies: int = 0) -> NewsSummaryOut:
    return NewsSummaryOut(
        id=article.id,
        title=article.title,
        published=article.published,
        source=article.source,
        url=article.url,
        story_id=article.story_id,
        copies=copies,
        cities=[t.label for t in article.tags if t.kind == "city"],
        snippet=snippet(article.body),
    )


def present_summaries(
    repository: NewsRepository, articles: Sequence[NewsArticle]
) -> list[NewsSummaryOut]:
    sizes = repository.story_sizes([a.story_id for a in articles if a.story_id is not None])
    return [present_summary(a, max(0, sizes.get(a.story_id or -1, 1) - 1)) for a in articles]


def present_links(
    repository: NewsRepository, article: NewsArticle, viewer: Viewer
) -> list[NewsLinkOut]:
    """The listings and organisations an article links to, as the viewer may see them (titles
    and codes only: a contact never travels with a piece of news)."""
    matching = MatchingRepository(repository.session)
    out: list[NewsLinkOut] = []
    for kind_value in dict.fromkeys(link.kind for link in article.links):
        kind = PartyKind(kind_value)
        mine = [link for link in article.links if link.kind == kind_value]
        rows = matching.by_ids(kind, [link.target_id for link in mine], viewer)
        for link in mine:
            obj = rows.get(link.target_id)
            if obj is None or getattr(obj, "state", None) == ListingState.withdrawn:
                continue  # deleted or withdrawn since, or not the viewer's to see
            code = party_city(kind, obj)
            out.append(
                NewsLinkOut(
                    kind=kind.value,
                    kind_label=party_label(kind.value),
                    id=obj.id,
                    code=party_code(kind, obj),
                    title=party_title(kind, obj),
                    city=city_name(code) or code,
                    named=link.named,
                    score=link.score,
                )
            )
    out.sort(key=lambda link: (not link.named, -link.score))
    return out


def present_article(
    repository: NewsRepository, article: NewsArticle, viewer: Viewer
) -> NewsArticleOut:
    story = list(repository.story(article.story_id)) if article.story_id else [article]
    summary = present_summary(article, len(story) - 1)
    tags = [
        NewsTagOut(kind=t.kind, value=t.value, label=t.label, sentence=t.sentence)
        for t in article.tags
    ]
    return NewsArticleOut(
        **summary.model_dump(),
        author=article.author,
        body=article.body,
        tags=[t for t in tags if t.kind not in FIGURES],
        figures=[t for t in tags if t.kind in FIGURES],
        links=present_links(repository, article, viewer),
        related=present_summaries(repository, repository.related(article)),
        related_titles=list(article.related_titles),
        copies_of_story=[
            NewsCopyOut(id=c.id, title=c.title, source=c.source, url=c.url, published=c.published)
            for c in story
            if c.id != article.id
        ],
    )
