"""Reading the innovation index in headless Chromium against a real server, at 1366 px and at
390 px: the ranking, a city's page (radar, trend, rank interval), the method, a download.
Screenshots go to artifacts/screenshots/ (select with `-m browser`)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser import WIDE
from tests.web.conftest import shoot

pytestmark = pytest.mark.browser

TARGETS = (
    ".index-tabs a, .index-year select, .index-year .button, .download-list .button, "
    "#ranking-table th a"
)
SMALL_TARGETS = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter((el) => el.offsetParent !== null)
  .map((el) => [el.textContent.trim(), el.getBoundingClientRect()])
  .filter(([, box]) => box.height < 44)
  .map(([text, box]) => `${text} ${Math.round(box.width)}x${Math.round(box.height)}`)"""


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None and width <= viewport["width"], (page.url, width)
    assert page.evaluate(SMALL_TARGETS, TARGETS) == [], page.url


def test_read_the_index(tab: Page) -> None:
    size = "phone" if (tab.viewport_size or WIDE)["width"] < 500 else "wide"
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto("/")
    tab.get_by_role("navigation", name="主导航").get_by_role("link", name="创新指数").click()
    tab.wait_for_url("**/index")
    expect(tab.locator("#sample-note")).to_be_visible()
    tab.locator("#chart-ranking svg").wait_for()
    expect(tab.locator("#ranking-table tbody tr")).to_have_count(9)
    _fits(tab)
    shoot(tab, f"index-ranking-{size}")

    tab.locator("#f-year").select_option("2021")
    tab.get_by_role("button", name="查看").click()
    tab.wait_for_url("**/index?year=2021")
    expect(tab.locator("#ranking-table caption")).to_have_text("2021年排名")

    first = tab.locator("#ranking-table tbody tr").first.locator("th a")
    name = first.inner_text()
    first.click()
    tab.wait_for_url("**/index/cities/*")
    expect(tab.get_by_role("heading", level=1)).to_have_text(name)
    tab.locator("#chart-radar svg").wait_for()
    tab.locator("#chart-trend svg").wait_for()
    expect(tab.locator("#city-interval")).to_be_visible()
    expect(tab.locator("#interval-text")).to_contain_text("次模拟")
    _fits(tab)
    shoot(tab, f"index-city-{size}")

    tab.get_by_role("link", name="指标体系与方法").click()
    tab.wait_for_url("**/index/method")
    expect(tab.locator("#method-steps li").first).to_be_visible()
    _fits(tab)
    shoot(tab, f"index-method-{size}")

    tab.goto("/index#downloads")
    with tab.expect_download() as download:
        tab.get_by_role("link", name="全部结果 (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert errors == []
