"""A visitor's lead in headless Chromium at 1366 and 390 px: the corridor's message sent as typed,
the page reloaded, looked up by its private link in another browser, and consent withdrawn."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from factorlink.db.session import Database
from factorlink.lead.models import Lead
from tests.introduction.builders import add_listing
from tests.web.browser import LiveServer, phone_checks
from tests.web.conftest import shoot

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ViewportSize

pytestmark = pytest.mark.browser

FULL_MOBILE = re.compile(r"(?<![\d*])1[3-9]\d{9}(?!\d)")
SIZES: dict[str, ViewportSize] = {
    "1366": {"width": 1366, "height": 900},
    "390": {"width": 390, "height": 844},
}
# The corridor's own message ("请说明您的需求、用途、税收、公司、联系人、手机号"), answered as a
# visitor types it: 税收 in words, a mobile inside the need.
MESSAGE = {
    "需求": "需要5000平方米左右的标准厂房,层高8米以上,可直接联系13600004444",
    "用途": "新材料产线扩产",
    "税收": "年纳税约500万",
    "公司": "松江示例新材料有限公司",
    "联系人": "孙总",
    "手机号": "13600004444",
    "意向城市": "松江",
}


@pytest.fixture(params=sorted(SIZES), ids=lambda size: f"{size}px")
def size(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _page(chromium: Browser, live_server: LiveServer, size: str) -> Page:
    phone = size == "390"
    context = chromium.new_context(
        viewport=SIZES[size],
        base_url=live_server.url,
        locale="zh-CN",
        is_mobile=phone,
        has_touch=phone,
    )
    return context.new_page()


def _named(label: str) -> re.Pattern[str]:
    """A field's accessible name: its label, and "(必填)" for a required one."""
    return re.compile(rf"^{label}[\s*]*(?:\(必填\))?$")


def _leads(database: Database) -> list[Lead]:
    with database.unit_of_work() as session:
        return list(session.scalars(select(Lead)).all())


def test_the_corridor_message_sent_reloaded_looked_up_and_withdrawn(
    chromium: Browser, live_server: LiveServer, database: Database, size: str
) -> None:
    add_listing(database, "carrier", city="上海市松江区")
    page = _page(chromium, live_server, size)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto("/leads/new")
        phone_checks(page, f"lead-form-empty-{size}")
        page.get_by_label("空间载体").check()
        for label, text in MESSAGE.items():
            page.get_by_label(_named(label)).fill(text)
        page.get_by_role("button", name="提交", exact=True).click()
        # Without consent the form comes back with everything typed, saying what to do.
        expect(page.locator("#err-consent")).to_be_visible()
        expect(page.get_by_label(_named("税收"))).to_have_value("年纳税约500万")
        assert "consent" not in page.locator("#err-consent").inner_text()
        page.get_by_label("我同意").check()
        shoot(page, f"lead-form-{size}")
        page.get_by_role("button", name="提交", exact=True).click()
        page.wait_for_url(re.compile(r"/leads/status/[A-Za-z0-9_-]{32}\?sent=1$"))
        expect(page.get_by_role("status")).to_contain_text("需求已提交")
        expect(page.locator("#reference")).to_have_text(re.compile(r"^G60-\d{8}-[0-9A-Z]{4}$"))
        expect(page.locator("#callback")).to_contain_text("上海市松江区科学技术委员会")
        echo = page.locator("#echo")
        for text in ("新材料产线扩产", "年纳税约500万", "松江示例新材料有限公司", "孙**"):
            expect(echo).to_contain_text(text)
        assert not FULL_MOBILE.search(page.content()), "the contact and the need are masked"
        expect(page.locator("li.match").first).to_be_visible()
        phone_checks(page, f"lead-receipt-{size}")
        reference = page.locator("#reference").inner_text()
        link = page.locator("#private-link").get_attribute("href")
        assert link and "13600004444" not in link

        page.reload()
        expect(page.locator("#reference")).to_have_text(reference)
        assert len(_leads(database)) == 1, "a reload posts nothing"
    finally:
        page.context.close()

    # Looked up by its link, in another browser that holds nothing else.
    other = _page(chromium, live_server, size)
    other.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        other.goto(link)
        expect(other.locator("#reference")).to_have_text(reference)
        expect(other.locator("#lead-state")).to_contain_text("新线索")
        phone_checks(other, f"lead-status-{size}")
        # The same page in English: labels and values, the words typed as typed.
        other.locator("a.lang").click()
        expect(other.locator("h1")).to_contain_text("Reference number")
        expect(other.locator("#lead-state")).to_contain_text("New")
        expect(other.locator("#echo")).to_contain_text("Songjiang (Shanghai)")
        expect(other.locator("#echo")).to_contain_text("新材料产线扩产")
        phone_checks(other, f"lead-status-en-{size}")
        other.locator("a.lang").click()
        other.get_by_role("button", name="撤回同意").click()
        expect(other.get_by_role("status")).to_contain_text("您已撤回同意")
        expect(other.locator("#lead-state")).to_contain_text("已撤回同意")
        expect(other.get_by_role("button", name="撤回同意")).to_have_count(0)
        phone_checks(other, f"lead-withdrawn-{size}")
    finally:
        other.context.close()
    (lead,) = _leads(database)
    assert lead.consent is False and lead.contact_mobile is None and lead.contact_name is None
    assert errors == [], errors
