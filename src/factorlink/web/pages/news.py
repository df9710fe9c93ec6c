"""资讯 pages: the news list with filters and search, an article page, and the news panel a
listing's page shows."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session
from starlette.responses import Response

from factorlink.api.deps import DbSession
from factorlink.auth.viewer import Viewer
from factorlink.errors import InvalidInput
from factorlink.kinds.registry import kind_of
from factorlink.kit.ids import IdPath
from factorlink.kit.pagination import MAX_PAGE, PageParams
from factorlink.news.presenter import present_article, present_summaries
from factorlink.news.repository import NewsFilters, NewsRepository
from factorlink.news.schemas import NewsSummaryOut
from factorlink.news.service import get_article, resolve_filters
from factorlink.reference.loader import get_industries, get_region
from factorlink.web.context import Web
from factorlink.web.i18n import register
from factorlink.web.render import render

router = APIRouter()
PAGE_SIZE = 20
LISTING_NEWS = 5


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/news")
def news_list(
    web: Web,
    session: DbSession,
    q: Annotated[str | None, Query(max_length=200)] = None,
    city: Annotated[str | None, Query(max_length=50)] = None,
    industry: Annotated[str | None, Query(max_length=50)] = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    until: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    """Stories newest first, filtered by city, industry, source and period, searched by words."""
    region, industries = get_region(), get_industries()
    errors: dict[str, tuple[str, str]] = {}
    try:
        filters = resolve_filters(
            region, industries, city=city, industry=industry, source=source,
            since=_date(since), until=_date(until), q=q,
        )  # fmt: skip
    except InvalidInput as exc:
        for item in exc.errors:
            errors[item["field"]] = (item["reason"], item["reason"])
        filters = NewsFilters(q=(q or "").strip() or None)
    repository = NewsRepository(session)
    rows, total = repository.list_page(filters, PageParams(page, PAGE_SIZE))
    params = {"q": q, "city": city, "industry": industry, "source": source,
              "from": since, "to": until}  # fmt: skip
    options = {
        "cities": [(c.code, c.name) for c in region.cities],
        "industries": [(i.code, i.name) for i in industries.industries],
        "sources": [(s, s) for s in repository.sources()],
    }
    values = {"city": filters.city or "", "industry": filters.industry or "",
              "source": filters.source or ""}  # fmt: skip
    return render(
        web,
        "news/index.html",
        items=present_summaries(repository, rows),
        total=total,
        page=page,
        page_size=PAGE_SIZE,
        params={k: v for k, v in params.items() if v},
        search={"q": q or "", "from": since or "", "to": until or ""},
        values=values,
        options=options,
        errors=errors,
    )


@router.get("/news/{id}")
def news_article(web: Web, session: DbSession, id: IdPath) -> Response:
    """An article: text, tags, figures with their sentences, linked listings, related news."""
    repository = NewsRepository(session)
    article = present_article(repository, get_article(session, id), web.viewer)
    slugs = {link.kind: kind_of(link.kind).slug for link in article.links}
    return render(web, "news/article.html", article=article, slugs=slugs)


def listing_news(session: Session, viewer: Viewer, kind: str, id_: int) -> list[NewsSummaryOut]:
    """The news a listing's page shows: about it, or about its owner."""
    from factorlink.news.service import news_about

    repository = NewsRepository(session)
    return present_summaries(repository, news_about(session, viewer, kind, id_)[:LISTING_NEWS])


register(
    {
        "资讯": "News",
        "产业资讯": "Industry news",
        "资讯筛选": "Filter news",
        "来源": "Source",
        "作者": "Author",
        "发布日期": "Published",
        "起始日期": "From",
        "结束日期": "To",
        "城市": "City",
        "行业": "Industry",
        "共有转载": "Copies",
        "篇转载": "copies",
        "暂无资讯": "No news yet",
        "原文": "Original",
        "标签": "Tags",
        "机构": "Organisations",
        "区县": "Districts",
        "数据": "Figures",
        "相关要素": "Linked listings",
        "文中提及": "named",
        "相关资讯": "Related news",
        "页面所列相关文章": "Related titles on the page",
        "同一报道的其他转载": "Other copies of this story",
        "正文": "Text",
        "返回资讯列表": "Back to news",
    }
)
