"""资讯 pages: the list with filters and search, an article, a listing's news — with TestClient,
and in headless Chromium at 1366 and 390 px (select those with `-m browser`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.web.english import install
from factorlink.web.i18n import LANG_COOKIE, translate
from factorlink.web.render import TEMPLATES
from tests.introduction.builders import add_listing
from tests.news.test_linking import FUND, GRAPHENE, OTHER_GRAPHENE, _ingest
from tests.web.browser import LiveServer
from tests.web.conftest import shoot
from tests.web.test_i18n import CALLS, PAIRS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

WIDE = {"width": 1366, "height": 900}
NARROW = {"width": 390, "height": 844}


def _news(database: Database, settings: Settings) -> dict[str, int]:
    ids = {"achievement": add_listing(database, "achievement")}
    ids["first"] = _ingest(database, settings, "石墨烯散热膜完成中试", GRAPHENE)
    ids["copy"] = _ingest(database, settings, "石墨烯散热膜完成中试(转载)", ("本网讯", *GRAPHENE))
    ids["other"] = _ingest(database, settings, "石墨烯散热材料升温", OTHER_GRAPHENE)
    ids["fund"] = _ingest(database, settings, "松江科创金融对接会", FUND)
    return ids


def test_every_text_of_the_news_pages_has_its_english() -> None:
    install()
    texts: set[str] = set()
    for path in (TEMPLATES / "news").glob("*.html"):
        source = path.read_text(encoding="utf-8")
        for pattern in (*CALLS, PAIRS):
            texts |= set(pattern.findall(source))
    assert texts
    missing = sorted(t for t in texts if translate(t, "en") == t)
    assert missing == []


def test_list_filters_and_search(
    client: TestClient, database: Database, settings: Settings
) -> None:
    ids = _news(database, settings)
    html = client.get("/news").text
    assert html.count('class="panel result"') == 3  # the copy is one story with the first
    assert "共有转载" in html
    sj = client.get("/news", params={"city": "songjiang"}).text
    assert "松江科创金融对接会" in sj and "石墨烯散热膜完成中试" not in sj
    found = client.get("/news", params={"q": "中试"}).text
    assert f'data-id="{ids["first"]}"' in found and f'data-id="{ids["fund"]}"' not in found
    bad = client.get("/news", params={"city": "北京"})
    assert bad.status_code == 200 and "不是走廊城市" in bad.text
    client.cookies.set(LANG_COOKIE, "en")
    english = client.get("/news").text
    assert "Industry news" in english


def test_figures_of_one_sentence_show_it_once(
    client: TestClient, database: Database, settings: Settings
) -> None:
    sentence = "五年来,走廊科技成果转化额累计增幅达到53.6%,技术合同成交额增幅达到63.5%。"
    article = _ingest(
        database,
        settings,
        "走廊创新指数发布",
        ("长三角G60科创走廊创新指数今日在松江发布,九城市协同创新水平持续提升。", sentence),
    )
    html = client.get(f"/news/{article}").text
    figures = html[html.index('class="figures"') :].split("</dl>")[0]
    assert "53.6%" in figures and "63.5%" in figures
    assert figures.count("<dd>") == 1 and figures.count(sentence) == 1


def test_article_page_and_a_listing_with_its_news(
    client: TestClient, database: Database, settings: Settings
) -> None:
    ids = _news(database, settings)
    page = client.get(f"/news/{ids['first']}")
    assert page.status_code == 200
    html = page.text
    assert "石墨烯散热膜完成中试" in html and "松江报" in html
    assert f'href="/achievements/{ids["achievement"]}"' in html  # a linked listing
    assert "同一报道的其他转载" in html and f'href="/news/{ids["copy"]}"' in html
    related = html[html.index('id="related"') :]
    assert f'href="/news/{ids["other"]}"' in related
    assert "13812345678" not in html  # news carries no contact
    listing = client.get(f"/achievements/{ids['achievement']}").text
    news = listing[listing.index('id="news"') :]
    assert f'href="/news/{ids["first"]}"' in news
    assert f'href="/news/{ids["copy"]}"' not in news  # one per story
    assert client.get("/news/999").status_code == 404


@pytest.fixture
def pages(chromium: Browser, live_server: LiveServer) -> Iterator[dict[str, Page]]:
    """A tab 1366 px wide and one 390 px wide (a phone), on the live server."""
    contexts = [
        chromium.new_context(viewport=WIDE, base_url=live_server.url, locale="zh-CN"),  # type: ignore[arg-type]
        chromium.new_context(
            viewport=NARROW, base_url=live_server.url, locale="zh-CN",  # type: ignore[arg-type]
            is_mobile=True, has_touch=True, device_scale_factor=2,
        ),
    ]  # fmt: skip
    yield {"wide": contexts[0].new_page(), "narrow": contexts[1].new_page()}
    for context in contexts:
        context.close()


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert page.viewport_size is not None and width <= page.viewport_size["width"], width


@pytest.mark.browser
def test_news_in_the_browser(
    pages: dict[str, Page], database: Database, settings: Settings
) -> None:
    from playwright.sync_api import expect

    ids = _news(database, settings)
    for size, page in pages.items():
        page.goto("/news")
        expect(page.locator("li.result")).to_have_count(3)
        page.get_by_label("城市").select_option("songjiang")
        page.get_by_role("button", name="搜索").click()
        page.wait_for_url(re.compile(r"city=songjiang"))
        expect(page.locator("li.result")).to_have_count(1)
        _fits(page)
        shoot(page, f"news-list-{size}")
        page.goto("/news")
        page.locator("li.result", has_text="石墨烯散热膜完成中试").get_by_role("link").click()
        expect(page.locator("h1")).to_have_text("石墨烯散热膜完成中试")
        expect(page.locator("#links")).to_contain_text("高导热石墨烯复合散热膜制备技术")
        expect(page.locator("#related")).to_contain_text("石墨烯散热材料升温")
        _fits(page)
        shoot(page, f"news-article-{size}")
        page.locator("#links").get_by_role("link", name="高导热石墨烯复合散热膜制备技术").click()
        expect(page.locator("#news")).to_contain_text("石墨烯散热膜完成中试")
        _fits(page)
        shoot(page, f"news-listing-{size}")
    assert ids["first"]
