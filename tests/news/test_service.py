"""Ingesting saved pages into the database: once each, copies in one story, tagged."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factorlink.config import Settings
from factorlink.news.collect import Crawler, Limits
from factorlink.news.models import NewsArticle, NewsTag
from factorlink.news.service import NewsService
from factorlink.reference.loader import industries_of, region_of
from tests.news.pages import ARTICLE_TEXT, news_page
from tests.news.site import serve
from tests.news.test_extract import SEED, seed_text

NINE = {
    "songjiang",
    "jiaxing",
    "hangzhou",
    "jinhua",
    "suzhou",
    "huzhou",
    "xuancheng",
    "wuhu",
    "hefei",
}


def _service(session: Session, settings: Settings) -> NewsService:
    return NewsService(session, region_of(settings), industries_of(settings))


def test_the_seed_fixture_ingests_as_one_tagged_article(
    session: Session, settings: Settings, tmp_path: Path
) -> None:
    seed_text()  # skips where ../shared is absent
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    report = _service(session, settings).ingest_paths([folder])
    assert len(report.added) == 1 and not report.skipped
    article = report.added[0]
    assert article.title == "9城赴进博之约G60科创走廊高质量发展要素对接"
    assert article.published is not None and article.source == "芜湖产业信息"
    assert "110亿元" in article.body
    assert {t.value for t in article.tags if t.kind == "city"} == NINE
    figures = {t.value: t.sentence for t in article.tags if t.kind in ("amount", "figure")}
    assert "110亿元" in figures and "+53.6%" in figures
    assert "53.6%" in (figures["+53.6%"] or "")
    assert "24位院士聚首芜湖共话长三角“硬核”科创力量" in article.related_titles
    assert article.story_id == article.id


def test_ingesting_twice_changes_nothing_and_a_copy_joins_its_story(
    session: Session, settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_text(news_page(), encoding="utf-8")
    other = ("苏州工业园区举办生物医药产业对接会,三十余家企业与高校签约合作。",) * 3
    (folder / "b.html").write_text(news_page(title="苏州生物医药对接会", paragraphs=other))
    (folder / "notes.docx").write_bytes(b"PK")
    service = _service(session, settings)
    first = service.ingest_paths([folder])
    assert len(first.added) == 2
    assert [why for _, why in first.skipped] == ["不是网页文件 not a saved page"]
    count = session.scalar(select(func.count()).select_from(NewsArticle))
    tags = session.scalar(select(func.count()).select_from(NewsTag))
    again = _service(session, settings).ingest_paths([folder])
    assert not again.added and len(again.unchanged) == 2
    assert session.scalar(select(func.count()).select_from(NewsArticle)) == count
    assert session.scalar(select(func.count()).select_from(NewsTag)) == tags
    # The same release re-posted elsewhere: another header, cut short, one word changed.
    copy = tmp_path / "copy.html"
    lead = ("本网讯 据松江报报道,", *ARTICLE_TEXT[:3])
    edited = tuple(p.replace("累计成交额", "累计成交金额") for p in lead)
    copy.write_text(news_page(title="拍卖会成交近110亿元(转载)", paragraphs=edited))
    third = _service(session, settings).ingest_paths([copy])
    original = next(a for a in first.added if a.title.startswith("G60"))
    assert third.added[0].story_id == original.id
    assert third.added[0].story_id != next(a for a in first.added if a is not original).story_id


def test_missing_paths_are_skipped_with_the_reason(session: Session, settings: Settings) -> None:
    report = _service(session, settings).ingest_paths([Path("/nonexistent/news")])
    assert report.skipped == [("/nonexistent/news", "文件不存在 no such file or folder")]


def test_collecting_a_feed_twice_fetches_conditionally_and_changes_nothing(
    session: Session, settings: Settings
) -> None:
    with serve() as site, httpx.Client(timeout=10) as client:
        service = _service(session, settings)

        def crawl() -> Crawler:
            return Crawler(
                client, {"127.0.0.1"}, Limits(min_interval=0), service.repository.validators
            )

        first = service.ingest_urls([f"{site.base}/feed.xml"], crawl())
        assert [a.url for a in first.added] == [
            f"{site.base}/news/1.html",
            f"{site.base}/news/2.html",
        ]
        assert first.added[0].title == "嘉兴发布第1批成果转化项目"
        assert {t.value for t in first.added[0].tags if t.kind == "city"} >= {"jiaxing", "huzhou"}
        assert any("robots.txt" in why for _, why in first.skipped)
        count = session.scalar(select(func.count()).select_from(NewsArticle))
        second = service.ingest_urls([f"{site.base}/feed.xml"], crawl())
        assert not second.added
        assert second.unchanged == [
            f"{site.base}/news/1.html (304)",
            f"{site.base}/news/2.html (304)",
        ]
        assert session.scalar(select(func.count()).select_from(NewsArticle)) == count
