"""Collecting pages from the web, politely and within bounds.

Seeds are RSS/Atom feeds, sitemaps (and sitemap indexes) and list pages of allow-listed hosts;
the articles they link to on allow-listed hosts are fetched. Every request goes through one
`Crawler`: robots.txt (RFC 9309: a missing file allows all, an unreachable one forbids all), a
minimum interval per host (or the host's Crawl-delay when longer), conditional GET with the
ETag/Last-Modified seen last time, retries with exponential backoff on 429/5xx and network
errors, a cap on pages per run and on bytes per page. What is not fetched is listed with why.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx
import lxml.html
from lxml import etree

log = logging.getLogger(__name__)

USER_AGENT = "FactorLinkNewsBot/0.1"
ROBOTS_AGENT = "FactorLinkNewsBot"
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60.0
MAX_REDIRECTS = 5
# Addresses of files rather than pages.
_NOT_PAGES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".pdf", ".doc", ".docx",
              ".xls", ".xlsx", ".zip", ".rar", ".css", ".js", ".mp4", ".mp3",
              ".ico", ".exe")  # fmt: skip


class Clock(Protocol):
    def monotonic(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass(frozen=True)
class Limits:
    max_pages: int = 200  # pages fetched per run (feeds, lists and articles; robots.txt aside)
    max_page_bytes: int = 5 * 1024 * 1024
    min_interval: float = 2.0  # seconds between two requests to one host
    retries: int = 2
    backoff: float = 1.0  # the first retry waits this long, each next one twice as long
    timeout: float = 20.0


@dataclass(frozen=True)
class Validators:
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class Page:
    url: str
    body: bytes
    content_type: str
    validators: Validators


@dataclass
class CrawlLog:
    pages: list[Page] = field(default_factory=list)  # articles fetched
    unchanged: list[str] = field(default_factory=list)  # 304 Not Modified
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (address, why)

    def skip(self, url: str, why: str) -> None:
        log.info("news crawl skipped %s: %s", url, why)
        self.skipped.append((url, why))


class Skip(Exception):
    """A page not fetched, with why (in Chinese and English)."""


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def host_allowed(url: str, hosts: set[str]) -> bool:
    """Whether the address's host is an allowed one or a subdomain of one."""
    host = host_of(url)
    return any(host == h or host.endswith("." + h) for h in hosts)


class Crawler:
    def __init__(
        self,
        client: httpx.Client,
        hosts: set[str],
        limits: Limits | None = None,
        known: Callable[[str], Validators | None] = lambda url: None,
        clock: Clock | None = None,
    ) -> None:
        self.client = client
        self.hosts = {h.strip().lower() for h in hosts if h.strip()}
        self.limits = limits or Limits()
        self.known = known
        self.clock: Clock = clock or SystemClock()
        self.fetched = 0
        self._robots: dict[str, RobotFileParser] = {}
        self._last: dict[str, float] = {}
        self.requests: list[tuple[float, str]] = []  # (clock time, address) of every request

    # -- one request -------------------------------------------------------------------------
    def _wait_for(self, url: str) -> None:
        host = host_of(url)
        interval = self.limits.min_interval
        robots = self._robots.get(host)
        if robots is not None:
            delay = robots.crawl_delay(ROBOTS_AGENT)
            if delay is not None:
                interval = max(interval, float(delay))
        last = self._last.get(host)
        if last is not None:
            wait = last + interval - self.clock.monotonic()
            if wait > 0:
                self.clock.sleep(wait)
        self._last[host] = self.clock.monotonic()

    def _get(self, url: str, headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        """One GET with retries; the body read up to the byte cap."""
        attempt = 0
        while True:
            self._wait_for(url)
            self.requests.append((self.clock.monotonic(), url))
            try:
                with self.client.stream("GET", url, headers=headers) as response:
                    if response.status_code in RETRY_STATUSES and attempt < self.limits.retries:
                        wait = self._retry_after(response.headers, attempt)
                        attempt += 1
                        self.clock.sleep(wait)
                        continue
                    declared = response.headers.get("content-length")
                    if (
                        declared
                        and declared.isdigit()
                        and int(declared) > self.limits.max_page_bytes
                    ):
                        raise Skip(
                            f"超过每页字节上限 {self.limits.max_page_bytes}"
                            f" (larger than the page byte cap: {declared} bytes)"
                        )
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > self.limits.max_page_bytes:
                            raise Skip(
                                f"超过每页字节上限 {self.limits.max_page_bytes}"
                                " (larger than the page byte cap)"
                            )
                    return response.status_code, response.headers, bytes(body)
            except httpx.TransportError as exc:
                if attempt < self.limits.retries:
                    self.clock.sleep(self.limits.backoff * 2**attempt)
                    attempt += 1
                    continue
                raise Skip(f"网络错误 network error: {type(exc).__name__}") from None

    def _retry_after(self, headers: httpx.Headers, attempt: int) -> float:
        value = headers.get("retry-after", "")
        if value.strip().isdigit():
            return min(float(value), MAX_RETRY_AFTER)
        return float(self.limits.backoff * 2**attempt)

    def robots_allow(self, url: str) -> bool:
        parts = urlsplit(url)
        host = host_of(url)
        if host not in self._robots:
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            parser = RobotFileParser(robots_url)
            try:
                status, _, body = self._get(robots_url, {"User-Agent": USER_AGENT})
            except Skip:
                status, body = 503, b""
            if status >= 500:
                # Unreachable: assume everything is forbidden.
                parser.parse(["User-agent: *", "Disallow: /"])
            elif status >= 400:
                parser.parse([])  # no robots.txt: everything is allowed
            else:
                parser.parse(body.decode("utf-8", errors="replace").splitlines())
            self._robots[host] = parser
        return self._robots[host].can_fetch(ROBOTS_AGENT, url)

    def _check(self, url: str) -> None:
        if urlsplit(url).scheme not in ("http", "https"):
            raise Skip("只收集 http(s) 网址 (only http and https addresses)")
        if not host_allowed(url, self.hosts):
            raise Skip(f"站点不在允许列表中 (host {host_of(url)} is not allow-listed)")
        if not self.robots_allow(url):
            raise Skip("robots.txt 不允许 (disallowed by robots.txt)")
        if self.fetched >= self.limits.max_pages:
            raise Skip(f"已达每次页数上限 {self.limits.max_pages} (page cap reached)")

    def fetch(self, url: str) -> Page | None:
        """A page, or None when it has not changed since last time; raises Skip with why.
        Redirects are followed by hand, each hop checked like the first address."""
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
        known = self.known(url)
        if known and known.etag:
            headers["If-None-Match"] = known.etag
        if known and known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        for _ in range(MAX_REDIRECTS + 1):
            self._check(url)
            self.fetched += 1
            status, response_headers, body = self._get(url, headers)
            location = response_headers.get("location")
            if status in (301, 302, 303, 307, 308) and location:
                url = urldefrag(urljoin(url, location))[0]
                continue
            break
        else:
            raise Skip(f"重定向过多 (more than {MAX_REDIRECTS} redirects)")
        if status == 304:
            return None
        if status >= 400:
            raise Skip(f"HTTP {status}")
        return Page(
            url=url,
            body=body,
            content_type=response_headers.get("content-type", ""),
            validators=Validators(
                response_headers.get("etag"), response_headers.get("last-modified")
            ),
        )

    # -- seeds and their links ---------------------------------------------------------------
    def crawl(self, seeds: list[str], log_: CrawlLog | None = None) -> CrawlLog:
        """Fetches the seeds, then the articles they link to, within the caps."""
        result = log_ or CrawlLog()
        seen: set[str] = set()
        queue: list[tuple[str, bool]] = [(urldefrag(s)[0], True) for s in seeds]
        while queue:
            url, is_seed = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            try:
                page = self.fetch(url)
            except Skip as exc:
                result.skip(url, str(exc))
                continue
            if page is None:
                result.unchanged.append(url)
                continue
            links = list(discover(page)) if is_seed else []
            kind = page_kind(page)
            if kind in ("feed", "sitemap-index") or (kind in ("sitemap", "list") and links):
                nested = kind == "sitemap-index"
                queue.extend((link, nested) for link in links if link not in seen)
            else:
                result.pages.append(page)
        return result


def _xml(body: bytes) -> etree._Element | None:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body.strip(), parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return root


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def page_kind(page: Page) -> str:
    """feed, sitemap, sitemap-index, list (an HTML page mostly of links), article or other."""
    head = page.body[:2048].lstrip().lower()
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head or b"<urlset" in head:
        root = _xml(page.body)
        name = _local(root.tag) if root is not None else ""
        if name in ("rss", "feed", "rdf"):
            return "feed"
        if name == "urlset":
            return "sitemap"
        if name == "sitemapindex":
            return "sitemap-index"
    if "html" in page.content_type or b"<html" in head:
        return "list" if link_share(page.body) >= LIST_LINK_SHARE else "article"
    return "other"


# A page whose Chinese text is mostly link text is a list page; else it is an article.
LIST_LINK_SHARE = 0.5
_CJK = re.compile(r"[\u4e00-\u9fff]")


def link_share(body: bytes) -> float:
    """The share of a page's Chinese characters that sit inside links."""
    try:
        root = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return 0.0
    for junk in root.xpath("//script|//style"):
        junk.drop_tree()
    total = len(_CJK.findall(root.text_content()))
    linked = sum(len(_CJK.findall(a.text_content())) for a in root.iter("a"))
    return linked / total if total else 1.0


def discover(page: Page) -> Iterator[str]:
    """The addresses a feed, a sitemap or a list page points to, in order, each once."""
    kind = page_kind(page)
    found: list[str] = []
    if kind in ("feed", "sitemap", "sitemap-index"):
        root = _xml(page.body)
        if root is None:
            return iter(())
        for element in root.iter():
            name = _local(element.tag)
            if name == "loc" or (name == "link" and element.text and element.text.strip()):
                found.append((element.text or "").strip())
            elif (
                name == "link"
                and element.get("href")
                and element.get("rel", "alternate") == "alternate"
            ):
                found.append(element.get("href", "").strip())
        if kind == "feed":
            channel_links = {
                (e.text or "").strip()
                for e in root.iter()
                if _local(e.tag) == "link" and _local(e.getparent().tag) in ("channel", "feed")
            }
            found = [f for f in found if f not in channel_links]
    elif kind == "list":
        try:
            root = lxml.html.document_fromstring(page.body)
        except (etree.ParserError, ValueError):
            return iter(())
        for anchor in root.iter("a"):
            href = anchor.get("href")
            if not href or href.startswith(("javascript:", "mailto:", "#")):
                continue
            url = urldefrag(urljoin(page.url, href.strip()))[0]
            if url != page.url and _article_like(url, page.url):
                found.append(url)
    unique = list(dict.fromkeys(u for u in found if u.startswith(("http://", "https://"))))
    return iter(unique)


def _article_like(url: str, base: str) -> bool:
    """A link of a list page that may be an article: same host, not a file, a deeper path."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or host_of(url) != host_of(base):
        return False
    path = parts.path.lower()
    if path.endswith(_NOT_PAGES) or path in ("", "/"):
        return False
    return path.endswith((".html", ".htm", ".shtml")) or any(c.isdigit() for c in path)
