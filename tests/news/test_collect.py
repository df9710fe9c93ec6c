"""Collecting from a local test site: robots.txt, the allow-list, the rate limit, caps,
retries, conditional GET and redirects."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import httpx
import pytest

from factorlink.news.collect import Crawler, Limits, Validators, discover, page_kind
from tests.news.site import Site, serve


class FakeClock:
    """Time that moves only when the crawler sleeps: the waits are recorded, not spent."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, follow_redirects=False) as c:
        yield c


def crawler(client: httpx.Client, clock: FakeClock | None = None, **limits: float) -> Crawler:
    return Crawler(
        client,
        {"127.0.0.1"},
        Limits(**{"min_interval": 0.0, **limits}),  # type: ignore[arg-type]
        clock=clock or FakeClock(),
    )


def test_a_feed_gives_its_articles_within_robots_and_the_allow_list(
    site: Site, client: httpx.Client
) -> None:
    log = crawler(client).crawl([f"{site.base}/feed.xml"])
    assert [p.url for p in log.pages] == [f"{site.base}/news/1.html", f"{site.base}/news/2.html"]
    skipped = dict(log.skipped)
    assert "robots.txt" in skipped[f"{site.base}/private/3.html"]
    assert "not allow-listed" in skipped["http://elsewhere.invalid/x.html"]
    assert "/private/3.html" not in site.paths()  # never asked for
    assert site.paths().count("/robots.txt") == 1  # read once per host


def test_atom_sitemaps_and_list_pages(site: Site, client: httpx.Client) -> None:
    seeds = ["/atom.xml", "/sitemap-index.xml", "/list.html"]
    log = crawler(client).crawl([site.base + s for s in seeds])
    assert [p.url.removeprefix(site.base) for p in log.pages] == [
        "/news/4.html",
        "/news/6.html",
        "/news/7.html",
        "/news/5.html",  # the sitemap the index names comes after the seeds' links
    ]
    assert "/about" not in site.paths() and "/logo.png" not in site.paths()


def test_requests_to_one_host_keep_the_interval(site: Site, client: httpx.Client) -> None:
    clock = FakeClock()
    polite = crawler(client, clock, min_interval=2.0)
    log = polite.crawl([f"{site.base}/feed.xml"])
    assert len(log.pages) == 2
    times = [t for t, _ in polite.requests]  # robots.txt, the feed, two articles
    assert len(times) == 4
    assert all(later - earlier >= 2.0 for earlier, later in itertools.pairwise(times))
    assert clock.sleeps == [2.0, 2.0, 2.0]


def test_a_crawl_delay_longer_than_the_interval_wins(site: Site, client: httpx.Client) -> None:
    site.routes["/robots.txt"] = lambda _h: (200, {}, b"User-agent: *\nCrawl-delay: 5\n")
    clock = FakeClock()
    crawler(client, clock, min_interval=1.0).crawl([f"{site.base}/feed.xml"])
    assert clock.sleeps[-2:] == [5.0, 5.0]


def test_the_page_cap_stops_the_crawl_and_says_so(site: Site, client: httpx.Client) -> None:
    log = crawler(client, max_pages=2).crawl([f"{site.base}/feed.xml"])
    assert [p.url for p in log.pages] == [f"{site.base}/news/1.html"]
    assert "page cap" in dict(log.skipped)[f"{site.base}/news/2.html"]
    assert "/news/2.html" not in site.paths()


def test_the_byte_cap_skips_a_big_page(site: Site, client: httpx.Client) -> None:
    log = crawler(client, max_page_bytes=100_000).crawl([f"{site.base}/big.html"])
    assert not log.pages
    assert "byte cap" in dict(log.skipped)[f"{site.base}/big.html"]


def test_a_busy_server_is_retried_after_its_retry_after(site: Site, client: httpx.Client) -> None:
    clock = FakeClock()
    polite = crawler(client, clock)
    page = polite.fetch(f"{site.base}/flaky.html")
    assert page is not None and "嘉兴" in page.body.decode()
    assert site.paths().count("/flaky.html") == 2
    assert 3.0 in clock.sleeps


def test_retries_give_up_with_backoff(site: Site, client: httpx.Client) -> None:
    site.routes["/down.html"] = lambda _h: (503, {}, b"down")
    clock = FakeClock()
    log = crawler(client, clock, retries=2, backoff=1.0).crawl([f"{site.base}/down.html"])
    assert dict(log.skipped)[f"{site.base}/down.html"] == "HTTP 503"
    assert site.paths().count("/down.html") == 3
    assert clock.sleeps == [1.0, 2.0]


def test_conditional_get_finds_an_unchanged_page(site: Site, client: httpx.Client) -> None:
    known = {f"{site.base}/news/1.html": Validators('"v1"', None)}
    again = Crawler(client, {"127.0.0.1"}, Limits(min_interval=0), known.get, FakeClock())
    log = again.crawl([f"{site.base}/feed.xml"])
    assert log.unchanged == [f"{site.base}/news/1.html"]
    assert [p.url for p in log.pages] == [f"{site.base}/news/2.html"]
    asked = dict(site.requests)
    assert asked["/news/1.html"]["if-none-match"] == '"v1"'
    assert log.pages[0].validators == Validators('"v2"', None)


def test_an_unreachable_robots_txt_forbids_everything(site: Site, client: httpx.Client) -> None:
    site.routes["/robots.txt"] = lambda _h: (500, {}, b"")
    log = crawler(client, retries=0).crawl([f"{site.base}/feed.xml"])
    assert "robots.txt" in dict(log.skipped)[f"{site.base}/feed.xml"]
    assert site.paths() == ["/robots.txt"]


def test_a_missing_robots_txt_allows_everything(site: Site, client: httpx.Client) -> None:
    del site.routes["/robots.txt"]
    log = crawler(client).crawl([f"{site.base}/feed.xml"])
    assert len(log.pages) == 3  # the private page too: nothing forbids it


def test_redirects_are_checked_hop_by_hop(site: Site, client: httpx.Client) -> None:
    log = crawler(client).crawl([f"{site.base}/away.html", f"{site.base}/moved.html"])
    assert "not allow-listed" in dict(log.skipped)[f"{site.base}/away.html"]
    assert [p.url for p in log.pages] == [f"{site.base}/news/1.html"]


def test_hosts_outside_the_allow_list_and_other_schemes(client: httpx.Client) -> None:
    log = crawler(client).crawl(["ftp://127.0.0.1/x", "https://www.example.invalid/"])
    reasons = dict(log.skipped)
    assert "http" in reasons["ftp://127.0.0.1/x"]
    assert "not allow-listed" in reasons["https://www.example.invalid/"]


def test_discovery_without_a_server() -> None:
    from factorlink.news.collect import Page

    rss = Page("http://a.test/rss", b"<rss><channel><link>http://a.test/</link><item>"
               b"<link>http://a.test/n/1.html</link></item></channel></rss>",
               "application/rss+xml", Validators(None, None))  # fmt: skip
    assert page_kind(rss) == "feed"
    assert list(discover(rss)) == ["http://a.test/n/1.html"]
    xxe = Page("http://a.test/x", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM '
               b'"file:///etc/passwd">]><urlset><url><loc>&e;</loc></url></urlset>',
               "application/xml", Validators(None, None))  # fmt: skip
    assert all("root:" not in link for link in discover(xxe))
