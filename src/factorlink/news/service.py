"""The rules of collecting news: extract, store once, join a story, tag. Never commits."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from factorlink.auth.viewer import Viewer
from factorlink.errors import InvalidInput, NotFound
from factorlink.introduction.models import PartyKind
from factorlink.introduction.parties import party_label, party_owner
from factorlink.matching.repository import MatchingRepository
from factorlink.news.collect import Crawler
from factorlink.news.duplicates import StoryIndex
from factorlink.news.extract import SUFFIXES, Extracted, ExtractError, extract_page
from factorlink.news.linking import find_links
from factorlink.news.mhtml import MhtmlError
from factorlink.news.models import NewsArticle, NewsLink, NewsTag
from factorlink.news.repository import NewsFilters, NewsRepository
from factorlink.news.tags import NameIndex, tag_article
from factorlink.reference.industries import IndustryCatalog
from factorlink.reference.regions import Region

# A page bigger than this is not an article (a dump, an archive): it is skipped.
MAX_PAGE_BYTES = 5 * 1024 * 1024
_SPACES = re.compile(r"\s+")


def fingerprint(article: Extracted) -> str:
    """The same title and body (spaces aside) give the same fingerprint."""
    text = _SPACES.sub("", article.title) + "\n" + _SPACES.sub("", article.body)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class IngestReport:
    """What an ingest did: articles added (with their story), pages already stored, skipped."""

    added: list[NewsArticle] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, why)


class NewsService:
    def __init__(
        self,
        session: Session,
        region: Region,
        industries: IndustryCatalog,
        max_page_bytes: int = MAX_PAGE_BYTES,
    ) -> None:
        self.session = session
        self.max_page_bytes = max_page_bytes
        self.region = region
        self.industries = industries
        self.repository = NewsRepository(session)
        self._stories: StoryIndex | None = None
        self._organizations: NameIndex | None = None  # the registry's names, read once

    def _organization_index(self) -> NameIndex:
        if self._organizations is None:
            self._organizations = NameIndex(self.repository.organization_names())
        return self._organizations

    def _story_index(self) -> StoryIndex:
        if self._stories is None:
            self._stories = StoryIndex()
            for article_id, body, story in self.repository.bodies():
                self._stories.add(article_id, body, story)
        return self._stories

    def store(self, article: Extracted, origin: str, report: IngestReport) -> NewsArticle | None:
        """Stores an extracted article unless the same one is stored; tags it; finds its story."""
        key = fingerprint(article)
        if self.repository.by_fingerprint(key) is not None:
            report.unchanged.append(origin)
            return None
        stories = self._story_index()  # of the articles stored before this one
        row = self.repository.add(
            NewsArticle(
                fingerprint=key,
                url=article.url,
                origin=origin[:500],
                title=article.title[:500] or origin[:500],
                published=article.date,
                source=(article.source or None) and article.source[:200],
                author=(article.author or None) and article.author[:200],
                body=article.body,
                related_titles=list(article.related),
            )
        )
        row.story_id = stories.add(row.id, article.body)
        organizations = self._organization_index()
        text = article.title + "\n" + article.body
        tags = tag_article(text, self.region, self.industries, organizations)
        for tag in tags:
            row.tags.append(
                NewsTag(
                    kind=tag.kind.value,
                    value=tag.value[:200],
                    label=tag.label[:200],
                    sentence=tag.sentence,
                )
            )
        self._link(row, [t.value for t in tags if t.kind.value == "organization"])
        self.session.flush()
        report.added.append(row)
        return row

    def _link(self, row: NewsArticle, organizations: list[str]) -> None:
        named = self.repository.organization_ids(organizations)
        text = row.title + "\n" + row.body
        row.links.clear()
        for link in find_links(self.session, text, named):
            row.links.append(
                NewsLink(
                    kind=link.kind.value,
                    target_id=link.target_id,
                    score=link.score,
                    named=link.named,
                )
            )

    def relink(self) -> int:
        """Links every article again (after listings were added or changed); the count."""
        count = 0
        for row in self.repository.all():
            self._link(row, [t.value for t in row.tags if t.kind == "organization"])
            self.session.flush()
            count += 1
        return count

    def ingest_page(
        self,
        name: str,
        raw: bytes,
        report: IngestReport,
        url: str | None = None,
        header: str | None = None,
    ) -> None:
        """Extracts and stores one page; what cannot be read is skipped with the reason."""
        if len(raw) > self.max_page_bytes:
            report.skipped.append(
                (name, f"超过每页字节上限 {self.max_page_bytes} (larger than the page byte cap)")
            )
            return
        try:
            article = extract_page(name, raw, url, header)
        except ExtractError as exc:
            report.skipped.append((name, f"{exc.message} ({exc.message_en})"))
            return
        except MhtmlError as exc:
            report.skipped.append((name, f"MHTML 无法读取 cannot read the MHTML: {exc}"))
            return
        if not article.body.strip():
            report.skipped.append((name, "未找到正文 no main text found"))
            return
        self.store(article, url or name, report)

    def ingest_urls(self, seeds: list[str], crawler: Crawler) -> IngestReport:
        """Collects the articles that feeds, sitemaps and list pages point to, and stores them."""
        report = IngestReport()
        crawled = crawler.crawl(seeds)
        report.unchanged += [f"{url} (304)" for url in crawled.unchanged]
        report.skipped += crawled.skipped
        for page in crawled.pages:
            name = page_name(page.url, page.content_type)
            self.ingest_page(name, page.body, report, url=page.url, header=page.content_type)
            self.repository.remember(page.url, page.validators)
        return report

    def ingest_paths(self, paths: Iterable[Path]) -> IngestReport:
        """Ingests saved pages: files, and the pages in folders (recursively, in name order)."""
        report = IngestReport()
        for path in _pages(paths, report):
            self.ingest_page(str(path), path.read_bytes(), report)
        return report


def page_name(url: str, content_type: str) -> str:
    """A file name that tells `extract_page` the kind of a fetched page."""
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    if path.endswith(SUFFIXES):
        return path.rsplit("/", 1)[-1]
    if "multipart/related" in content_type or "message/rfc822" in content_type:
        return "page.mhtml"
    return "page.html"


def _pages(paths: Iterable[Path], report: IngestReport) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.name.lower().endswith(SUFFIXES):
                    yield child
                elif child.is_file():
                    report.skipped.append((str(child), "不是网页文件 not a saved page"))
        elif path.is_file():
            yield path
        else:
            report.skipped.append((str(path), "文件不存在 no such file or folder"))


# -- reading -----------------------------------------------------------------------------------


def resolve_filters(
    region: Region,
    industries: IndustryCatalog,
    *,
    city: str | None = None,
    industry: str | None = None,
    source: str | None = None,
    since: date | None = None,
    until: date | None = None,
    q: str | None = None,
) -> NewsFilters:
    """Filters as people write them (松江, 上海市松江区, songjiang; 新材料, materials) to codes."""
    errors = []
    city_code = None
    if city and city.strip():
        found = region.resolve(city)
        if found is None:
            errors.append({"field": "city", "reason": f"不是走廊城市 not a corridor city: {city}"})
        else:
            city_code = found.city.code
    industry_code = None
    if industry and industry.strip():
        match = industries.resolve(industry)
        if match is None:
            errors.append({"field": "industry", "reason": f"未知行业 unknown industry: {industry}"})
        else:
            industry_code = match.industry.code
    if since and until and since > until:
        errors.append({"field": "from", "reason": "起始日期晚于结束日期 from is after to"})
    if errors:
        raise InvalidInput("资讯筛选条件无效", message_en="invalid news filters", errors=errors)
    return NewsFilters(
        city=city_code,
        industry=industry_code,
        source=(source or "").strip() or None,
        since=since,
        until=until,
        q=(q or "").strip() or None,
    )


def get_article(session: Session, article_id: int) -> NewsArticle:
    article = NewsRepository(session).get(article_id)
    if article is None:
        raise NotFound(f"资讯{article_id}不存在", message_en=f"news article {article_id} not found")
    return article


def news_about(session: Session, viewer: Viewer, kind: str, target_id: int) -> list[NewsArticle]:
    """The news about one listing or organisation the viewer may see."""
    try:
        party = PartyKind(kind)
    except ValueError:
        raise NotFound(f"未知类型 {kind}", message_en=f"unknown kind {kind}") from None
    if party == PartyKind.lead:
        raise NotFound(f"未知类型 {kind}", message_en=f"unknown kind {kind}")
    obj = MatchingRepository(session).by_ids(party, [target_id], viewer).get(target_id)
    if obj is None:
        raise NotFound(
            f"{party_label(kind)}{target_id}不存在", message_en=f"{kind} {target_id} not found"
        )
    return NewsRepository(session).about(kind, target_id, party_owner(party, obj))
