"""The operators' cockpit in headless Chromium against a real server, at 1366 and at 390 px:
introducing two listings from a match panel (and a third party found by a search), and working
a lead through to signed — owner, follow-up with its next step, 发起对接, each step on the
introduction's page, the board, and the inbox exported to Excel. Every page is checked for
sideways scroll and for tap targets under 44 × 44 px; screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from factorlink.auth.models import Role
from factorlink.db.session import Database
from tests.introduction.builders import add_lead, add_listing
from tests.web.browser import WIDE
from tests.web.conftest import MakeWebUser, browser_login, shoot

pytestmark = pytest.mark.browser

# What this journey adds to a listing's page (the rest of it is the listings' own).
STAFF_CONTROLS = ".staff-actions .button, .staff-actions button"

# Every visible control, as a tap target (a radio or checkbox by its label); links inside
# running text are exempt (WCAG 2.5.8), as in the other browser tests.
CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary"
SMALL_TARGETS = """(selector) => Array.from(document.querySelectorAll(selector))
  .map((el) => (el.type === "radio" || el.type === "checkbox") && el.closest("label")
    ? el.closest("label") : el)
  .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().bottom > 0
    && el.getBoundingClientRect().right > 0)
  .filter((el) => !(el.tagName === "A" && el.closest("p, dd, li.text")
    && !el.classList.contains("button")))
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([el, r]) => r.height < 44 || r.width < 44)
  .map(([el, r]) => `${el.tagName}.${el.className} "${(el.textContent || el.name || "").trim()
    .slice(0, 20)}" ${Math.round(r.width)}x${Math.round(r.height)}`)"""
LEAD: dict[str, Any] = {
    "need": "寻找石墨烯散热膜技术,用于手机散热模组",
    "purpose": "新产品导入",
    "annual_tax_wan": "年纳税约500万",
    "company": "杭州示例电子有限公司",
    "contact_name": "张伟",
    "contact_mobile": "13912345678",
    "lead_type": "技术",
    "preferred_cities": "杭州",
}


def _size(page: Page) -> str:
    return "390" if (page.viewport_size or WIDE)["width"] < 500 else "1366"


def _fits(page: Page, ours: str | None = None) -> None:
    """No sideways scroll, and every tap target at least 44 × 44 px (on a page of another
    area, the controls this journey adds: those under the `ours` selector)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert page.viewport_size is not None and width <= page.viewport_size["width"], (
        page.url,
        width,
    )
    small = page.evaluate(SMALL_TARGETS, ours or CONTROLS)
    assert small == [], (page.url, "\n".join(small))


def test_introduce_two_listings_from_a_match_panel(
    tab: Page, database: Database, make_web_user: MakeWebUser
) -> None:
    size = _size(tab)
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    add_listing(database, "achievement")  # 示例大学's, 杭州: the demand's match
    demand = add_listing(database, "demand")  # 嘉兴示例新能源有限公司's
    add_listing(database, "expert")  # 陈立新, found by a search
    browser_login(
        tab, make_web_user("jx-ops", Role.operator, city_scope=["jiaxing"], display_name="嘉兴运营")
    )

    tab.goto(f"/demands/{demand}")
    match = tab.locator("#matches li.match").filter(has_text="高导热石墨烯复合散热膜制备技术")
    expect(match.get_by_role("button", name="发起对接")).to_be_visible()
    _fits(tab, STAFF_CONTROLS)
    shoot(tab, f"ops-match-panel-{size}")
    match.get_by_role("button", name="发起对接").click()
    tab.wait_for_url(re.compile(r"/workspace/introductions/\d+\?created=1$"))
    expect(tab.get_by_role("status")).to_contain_text("对接已发起")
    expect(tab.locator("#intro-state")).to_have_text("已提议")
    parties = tab.locator(".party")
    expect(parties.nth(0)).to_contain_text("嘉兴示例新能源有限公司")
    expect(parties.nth(1)).to_contain_text("示例大学")
    expect(tab.locator("#timeline li.step")).to_have_count(1)
    _fits(tab)
    shoot(tab, f"ops-introduction-proposed-{size}")

    # Again from the panel: the pair's open introduction opens instead of a second one.
    tab.goto(f"/demands/{demand}")
    match = tab.locator("#matches li.match").filter(has_text="高导热石墨烯复合散热膜制备技术")
    match.get_by_role("button", name="发起对接").click()
    tab.wait_for_url(re.compile(r"/workspace/introductions/\d+\?exists=1$"))
    expect(tab.get_by_role("status")).to_contain_text("这两方已有进行中的对接")

    # A counterpart the panel does not offer: searched for, then introduced.
    tab.goto(f"/demands/{demand}")
    tab.locator("#find-counterpart").click()
    tab.get_by_label("类型").select_option("expert")
    tab.get_by_label("关键词").fill("石墨烯")
    tab.get_by_role("button", name="搜索", exact=True).click()
    found = tab.locator("li.result").filter(has_text="陈立新")
    expect(found).to_be_visible()
    _fits(tab)
    shoot(tab, f"ops-counterpart-search-{size}")
    found.get_by_role("button", name="发起对接").click()
    tab.wait_for_url(re.compile(r"/workspace/introductions/\d+\?created=1$"))
    expect(tab.locator(".party").nth(1)).to_contain_text("陈立新")

    tab.goto("/workspace/introductions")
    proposed = tab.locator('[data-status="proposed"] .ticket')
    expect(proposed).to_have_count(2)
    expect(proposed.first).to_contain_text("嘉兴示例新能源有限公司")
    _fits(tab)
    shoot(tab, f"ops-board-proposed-{size}")
    assert errors == [], errors


def test_work_a_lead_through_to_signed(
    tab: Page, database: Database, make_web_user: MakeWebUser
) -> None:
    size = _size(tab)
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("dialog", lambda dialog: dialog.accept())  # 确认签约?
    add_listing(database, "achievement")
    lead = add_lead(database, **LEAD)
    twin = add_lead(database, **{**LEAD, "need": "石墨烯导热膜,手机用", "company": None})
    ops = make_web_user("hz-ops", Role.operator, city_scope=["hangzhou"], display_name="王运营")
    browser_login(tab, ops)

    # The inbox: company, purpose, tax, a callable number, the look-alike flagged.
    tab.goto("/workspace/leads")
    row = tab.locator(f'table.inbox tr[data-id="{lead}"]')
    for text in ("杭州示例电子有限公司", "新产品导入", "年纳税约500万", "未指派", "新线索"):
        expect(row).to_contain_text(text)
    expect(row.locator('a[href="tel:13912345678"]')).to_be_visible()
    expect(row.locator(".flag.dup")).to_contain_text(f"#{twin}")
    _fits(tab)
    shoot(tab, f"ops-inbox-{size}")

    with tab.expect_download() as download:
        tab.get_by_role("link", name="导出Excel").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    book.close()
    assert rows[0][:4] == ("受理编号", "收到时间(北京时间)", "需求类型", "需求")
    assert {r[3] for r in rows[1:]} == {LEAD["need"], "石墨烯导热膜,手机用"}

    # The lead: an owner, a follow-up with its next step, then 发起对接 on the match.
    row.get_by_role("link", name=re.compile("寻找石墨烯散热膜技术")).click()
    tab.get_by_label("负责人", exact=True).select_option(label="王运营")
    tab.get_by_role("button", name="指派").click()
    expect(tab.locator("dl.facts")).to_contain_text("王运营")
    due = (date.today() + timedelta(days=2)).isoformat()
    tab.get_by_label("跟进内容").fill("已电话联系张总,确认需求:年产50万片散热膜")
    tab.get_by_label("下一步").fill("约示例大学团队线上交流")
    tab.get_by_label("截止日期").fill(due)
    tab.get_by_role("button", name="添加跟进").click()
    expect(tab.locator("#work .timeline")).to_contain_text("年产50万片散热膜")
    expect(tab.locator("dl.facts")).to_contain_text(f"约示例大学团队线上交流 · {due}")
    expect(tab.locator("h2").first).to_contain_text("处理中")
    _fits(tab)
    shoot(tab, f"ops-lead-{size}")
    tab.locator("#matches li.result").first.get_by_role("button", name="发起对接").click()
    tab.wait_for_url(re.compile(r"/workspace/introductions/\d+\?created=1$"))
    intro_url = tab.url.split("?")[0]
    expect(tab.locator(".party").nth(0)).to_contain_text("年纳税约500万")

    # Each step on the introduction's page, to signed.
    tab.get_by_label("负责人", exact=True).select_option(label="王运营")
    tab.get_by_role("button", name="指派").click()
    for step in ("已联系", "洽谈中"):
        tab.get_by_role("button", name=f"推进到{step}").click()
        expect(tab.locator("#intro-state")).to_have_text(step)
        assert tab.url.startswith(intro_url)
    tab.get_by_label("跟进内容").fill("双方就许可费达成一致")
    tab.get_by_label("下一步").fill("签署技术许可合同")
    tab.get_by_role("button", name="添加跟进").click()
    _fits(tab)
    shoot(tab, f"ops-introduction-negotiating-{size}")
    tab.get_by_label("签约金额(万元)").fill("350")
    tab.get_by_role("button", name="推进到已签约").click()
    expect(tab.locator("#intro-state")).to_have_text("已签约")
    timeline = tab.locator("#timeline")
    expect(timeline.locator("li.step")).to_have_count(4)
    expect(timeline.locator("li.note")).to_have_count(1)
    expect(timeline).to_contain_text("王运营")
    expect(tab.locator(".amount")).to_have_text("350")
    _fits(tab)
    shoot(tab, f"ops-introduction-signed-{size}")

    tab.goto("/workspace/introductions")
    signed = tab.locator('[data-status="signed"] .ticket')
    expect(signed).to_have_count(1)
    expect(signed).to_contain_text("杭州示例电子有限公司")
    expect(signed).to_contain_text("王运营")
    _fits(tab)
    shoot(tab, f"ops-board-signed-{size}")
    assert errors == [], errors
