"""HTTP endpoints of industry news (资讯): the list with filters and search, an article, and the
news about a listing. News is public: a contact never travels with it."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, UploadFile

from factorlink.api.deps import AppSettings, CurrentViewer, DbSession, StaffViewer
from factorlink.kit.ids import MAX_ID
from factorlink.kit.pagination import MAX_PAGE, MAX_PAGE_SIZE, Page, PageParams
from factorlink.news.presenter import present_article, present_summaries
from factorlink.news.repository import NewsRepository
from factorlink.news.schemas import (
    IngestedOut,
    IngestOut,
    NewsArticleOut,
    NewsSummaryOut,
    SkippedOut,
)
from factorlink.news.service import (
    IngestReport,
    NewsService,
    get_article,
    news_about,
    resolve_filters,
)
from factorlink.reference.loader import get_industries, get_region

router = APIRouter(prefix="/news", tags=["news"])


@router.get("", response_model=Page[NewsSummaryOut], summary="资讯列表")
def list_news(
    session: DbSession,
    city: Annotated[
        str | None, Query(max_length=50, description="松江, 上海市松江区 or songjiang")
    ] = None,
    industry: Annotated[str | None, Query(max_length=50, description="新材料 or materials")] = None,
    source: Annotated[str | None, Query(max_length=200, description="来源, as written")] = None,
    since: Annotated[date | None, Query(alias="from", description="published on or after")] = None,
    until: Annotated[date | None, Query(alias="to", description="published on or before")] = None,
    q: Annotated[str | None, Query(max_length=200, description="words in title or text")] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> Page[NewsSummaryOut]:
    """Stories newest first (one article per story, with how many copies it has)."""
    filters = resolve_filters(
        get_region(), get_industries(), city=city, industry=industry, source=source,
        since=since, until=until, q=q,
    )  # fmt: skip
    repository = NewsRepository(session)
    rows, total = repository.list_page(filters, PageParams(page, page_size))
    return Page(
        items=present_summaries(repository, rows), total=total, page=page, page_size=page_size
    )


@router.get("/{article_id:int}", response_model=NewsArticleOut, summary="资讯详情")
def read_news(
    session: DbSession,
    viewer: CurrentViewer,
    article_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> NewsArticleOut:
    """An article with its tags, figures (with their sentences), linked listings and
    organisations, related articles and the other copies of its story."""
    return present_article(NewsRepository(session), get_article(session, article_id), viewer)


@router.get("/about/{kind}/{target_id}", response_model=list[NewsSummaryOut], summary="相关资讯")
def news_of(
    session: DbSession,
    viewer: CurrentViewer,
    kind: Annotated[str, Path(max_length=20, description="achievement, demand, organization…")],
    target_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> list[NewsSummaryOut]:
    """The news about a listing or an organisation: linked to it, or to its owner."""
    articles = news_about(session, viewer, kind, target_id)
    return present_summaries(NewsRepository(session), articles)


@router.post("/pages", response_model=IngestOut, summary="上传网页")
def upload_pages(
    files: list[UploadFile],
    session: DbSession,
    viewer: StaffViewer,
    settings: AppSettings,
) -> IngestOut:
    """Saved pages (.html, .htm, .mhtml, the spider's .txt) to ingest like `factorlink news
    ingest`: each article stored once, copies joined to their story, tagged and linked."""
    service = NewsService(session, get_region(), get_industries(), settings.news_max_page_bytes)
    report = IngestReport()
    for upload in files:
        name = upload.filename or "upload.html"
        data = upload.file.read(settings.news_max_page_bytes + 1)
        service.ingest_page(name, data, report)
    return IngestOut(
        added=[IngestedOut(id=a.id, title=a.title, story_id=a.story_id) for a in report.added],
        unchanged=report.unchanged,
        skipped=[SkippedOut(file=where, reason=why) for where, why in report.skipped],
    )
