"""An auction run from creation to result in headless Chromium at 1366 and 390 px: an operator
of 芜湖 creates a session and a lot from an achievement and opens it, two bidders register after
reading the terms, the operator approves both with their deposits, both bid (each bid confirmed
in a dialog; one warned for more than twice the price), the lot closes, the winner reads the
hammer price and what comes next, the other that they lost, and the operator publishes the
results. No sideways scroll, tap targets of 44 px, on every screen."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, cast

import pytest
from fastapi import FastAPI
from playwright.sync_api import Locator, Page, expect

from factorlink.achievement.models import Achievement
from factorlink.auction.schemas import ApprovalIn, BandIn, LotIn, SessionIn
from factorlink.auction.service import AuctionService
from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
from factorlink.kit.timezones import BEIJING
from factorlink.reference import get_region
from tests.factories import MakeOrganization
from tests.introduction.builders import add_listing
from tests.web.browser import LiveServer
from tests.web.conftest import MakeWebUser, browser_login, shoot

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ViewportSize

pytestmark = pytest.mark.browser

SIZES: dict[str, ViewportSize] = {
    "1366": {"width": 1366, "height": 900},
    "390": {"width": 390, "height": 844},
}
ADMIN = Viewer(user_id=0, role=Role.admin)
RULES = "竞买人须为依法设立的企业;成交后10个工作日内签署成交确认书并付清价款。"
DEPOSIT = "保证金请汇入:芜湖G60科创服务有限公司,工商银行芜湖分行,注明“拍卖会保证金+机构名称”。"


@dataclass
class ShiftedClock:
    """The server's auction clock: the real time, moved on by hand to close a lot at once."""

    offset: timedelta = field(default_factory=timedelta)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.fixture(params=sorted(SIZES), ids=lambda size: f"{size}px")
def size(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# Every visible control as a tap target: a checkbox counts by the label it sits in (what a finger
# touches); links inside running text are exempt (WCAG 2.5.8).
SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary"))
  .map((el) => (el.type === "radio" || el.type === "checkbox") && el.closest("label")
    ? el.closest("label") : el)
  .filter((el) => el.offsetParent !== null && el.getClientRects().length > 0)
  .filter((el) => !(el.tagName === "A" && el.closest("p, dd, li.text")
    && !el.classList.contains("button")))
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([el, r]) => r.height < 44 || r.width < 44)
  .map(([el, r]) => `${el.tagName}.${el.className} "${(el.textContent || el.name || "").trim()
    .slice(0, 20)}" ${Math.round(r.width)}x${Math.round(r.height)}`)"""


def _fits(page: Page, action: Locator | None = None) -> None:
    """No sideways scroll, every tap target at least 44 × 44 px, and the page's main action
    (where given) on the first screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None and width <= viewport["width"], width
    small = page.evaluate(SMALL_TARGETS)
    assert small == [], (page.url, "\n".join(small))
    if action is not None:
        page.evaluate("window.scrollTo(0, 0)")  # the first screen, as the page opens
        box = action.bounding_box()
        assert box is not None, f"{page.url}: the main action is not shown"
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (page.url, box)


def _context(chromium: Browser, live_server: LiveServer, size: str) -> BrowserContext:
    phone = size == "390"
    return chromium.new_context(
        viewport=SIZES[size],
        base_url=live_server.url,
        locale="zh-CN",
        is_mobile=phone,
        has_touch=phone,
    )


def _achievement_code(database: Database, achievement_id: int) -> str:
    with database.unit_of_work() as session:
        found = session.get(Achievement, achievement_id)
        assert found is not None
        return found.code


def test_an_auction_from_creation_to_result_with_two_bidders(
    chromium: Browser,
    live_server: LiveServer,
    database: Database,
    make_web_user: MakeWebUser,
    make_org: MakeOrganization,
    size: str,
) -> None:
    clock = ShiftedClock()
    cast(FastAPI, live_server.server.config.app).state.auction_clock = clock
    wuhu = get_region().resolve("芜湖")
    assert wuhu is not None
    achievement = add_listing(
        database, "achievement", city="芜湖", ip_forms="发明专利", title="高导热石墨烯散热膜"
    )
    code = _achievement_code(database, achievement)
    operator = make_web_user("wuhu-op", Role.operator, city_scope=[wuhu.city.code])
    bidders = [
        make_web_user(name, Role.member, organization_id=make_org(org).id)
        for name, org in (("bidder-a", "甲科技有限公司"), ("bidder-b", "乙科技有限公司"))
    ]
    errors: list[str] = []
    contexts = [_context(chromium, live_server, size) for _ in range(3)]
    op, first, second = (c.new_page() for c in contexts)
    for page in (op, first, second):
        page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        # The operator creates a session from the navigation, in Beijing time.
        browser_login(op, operator)
        op.get_by_role("navigation", name="主导航").get_by_role("link", name="拍卖会").click()
        op.get_by_role("link", name="新建拍卖会").click()
        starts = (datetime.now(BEIJING) - timedelta(minutes=1)).replace(second=0, microsecond=0)
        op.get_by_label(re.compile("^拍卖会名称")).fill("芜湖科技成果拍卖会")
        op.get_by_label(re.compile(r"^开始时间")).fill(starts.strftime("%Y-%m-%dT%H:%M"))
        ends = starts + timedelta(hours=1)
        op.get_by_label(re.compile(r"^结束时间")).fill(ends.strftime("%Y-%m-%dT%H:%M"))
        op.get_by_label("保证金(万元)").fill("20")
        op.get_by_label("加价幅度表").fill("0:10")
        op.get_by_label("竞买公告").fill("定于今日网络拍卖高导热石墨烯散热膜技术。")
        op.get_by_label("竞买须知").fill(RULES)
        op.get_by_label("保证金缴纳说明").fill(DEPOSIT)
        _fits(op)
        shoot(op, f"auction-new-{size}")
        op.get_by_role("button", name="创建草稿").click()
        expect(op.locator("#done")).to_contain_text("拍卖会已创建")
        expect(op.locator(".auction-meta")).to_contain_text(
            starts.strftime("%Y-%m-%d %H:%M") + " 北京时间"
        )
        # A lot from the achievement, then open.
        op.get_by_label(re.compile("^成果编号")).fill(code)
        op.get_by_label(re.compile(r"^起拍价")).fill("200")
        op.get_by_label("评估价(万元)").fill("260")
        op.get_by_role("button", name="添加拍品").click()
        expect(op.locator("#done")).to_contain_text("拍品已添加")
        expect(op.locator("#lots")).to_contain_text("高导热石墨烯散热膜")
        _fits(op)
        shoot(op, f"auction-draft-{size}")
        _fits(op, op.get_by_role("button", name="开放拍卖会"))
        op.get_by_role("button", name="开放拍卖会").click()
        expect(op.locator("#done")).to_contain_text("拍卖会已开放报名和竞价")
        session_url = op.url.split("?")[0]

        # Two bidders read the terms and register.
        for page, user in ((first, bidders[0]), (second, bidders[1])):
            browser_login(page, user)
            page.goto(session_url)
            expect(page.locator("#rules")).to_contain_text(RULES)
            expect(page.locator("#deposit")).to_contain_text(DEPOSIT)
            _fits(page, page.get_by_role("button", name="报名竞买"))
            if page is first:
                shoot(page, f"auction-register-{size}")
            page.get_by_label("我已阅读并同意竞买公告和竞买须知").check()
            page.get_by_role("button", name="报名竞买").click()
            expect(page.locator("#done")).to_contain_text("报名已提交")

        # The operator approves both, recording the deposits.
        op.reload()
        expect(op.locator("#registered")).to_have_text("2")
        for note in ("流水号 A-0001", "流水号 B-0002"):
            pending = op.locator('.registrations li[data-status="pending"]').first
            pending.get_by_label("备注").fill(note)
            pending.get_by_role("button", name="批准").click()
            expect(op.locator("#done")).to_contain_text("已批准竞买")
        expect(op.locator('.registrations li[data-status="approved"]')).to_have_count(2)
        _fits(op)
        shoot(op, f"auction-bidders-{size}")
        lot_url = op.locator("#lots a[href^='/lots/']").first.get_attribute("href")
        assert lot_url

        # The first bidder: the starting price before any bid, a bid confirmed in a dialog.
        first.goto(lot_url)
        expect(first.locator("#price-label")).to_have_text("起拍价")
        expect(first.locator("#price")).to_have_text("200")
        expect(first.locator("#achievement-link")).to_be_visible()
        expect(first.locator("#extension-rule")).to_contain_text("结束前5分钟内")
        expect(first.locator("#end-at")).to_contain_text("北京时间")
        _fits(first, first.get_by_role("button", name="出价", exact=True))
        first.locator("#amount").fill("250")
        first.get_by_role("button", name="出价", exact=True).click()
        dialog = first.locator("#bid-dialog")
        expect(dialog).to_be_visible()
        expect(first.locator("#confirm-yuan")).to_have_text("2,500,000")
        expect(first.locator("#confirm-warn")).to_be_hidden()
        first.get_by_role("button", name="确认出价").click()
        expect(first.locator("#bid-message")).to_have_text("出价成功")
        expect(first.locator("#my-status")).to_have_text("领先中")

        # The second types a digit too many: warned, corrects it, confirms.
        second.goto(lot_url)
        expect(second.locator("#price-label")).to_have_text("当前价")
        second.locator("#amount").fill("3000")
        second.get_by_role("button", name="出价", exact=True).click()
        expect(second.locator("#confirm-warn")).to_be_visible()
        expect(second.locator("#confirm-wan")).to_have_text("3000")
        expect(second.locator("#confirm-yuan")).to_have_text("30,000,000")
        _fits(second)
        shoot(second, f"auction-confirm-warning-{size}")
        second.get_by_role("button", name="返回修改").click()
        expect(second.locator("#bid-dialog")).to_be_hidden()
        second.locator("#amount").fill("300")
        second.get_by_role("button", name="出价", exact=True).click()
        expect(second.locator("#confirm-warn")).to_be_hidden()
        second.get_by_role("button", name="确认出价").click()
        expect(second.locator("#bid-message")).to_have_text("出价成功")
        # The first sees it live, and their "出价成功" no longer stands.
        expect(first.locator("#price")).to_have_text("260")
        expect(first.locator("#my-status")).to_have_text("已被超越")
        expect(first.locator("#bid-message")).to_have_text("")
        _fits(first)
        shoot(first, f"auction-lot-outbid-{size}")

        # The end passes: both pages turn to the result without a reload.
        clock.offset = timedelta(hours=2)
        for page in (first, second):
            expect(page.locator("#status")).to_have_text("已结束", timeout=15_000)
            expect(page.locator("#price-label")).to_have_text("成交价")
            expect(page.locator("#leader-label")).to_have_text("买受人")
            expect(page.locator("#result")).to_have_text("成交价 260 万元 · 买受人 竞买人 B")
            expect(page.locator("#live-dot")).to_be_hidden()
            expect(page.locator("#bid-message")).to_have_text("")
            expect(page.locator("#bid-form")).to_be_hidden()
        expect(second.locator("#won")).to_be_visible()
        expect(second.locator("#won")).to_contain_text("签署成交确认书")
        expect(first.locator("#won")).to_be_hidden()
        expect(first.locator("#lost-sold")).to_be_visible()
        _fits(second)
        shoot(second, f"auction-lot-won-{size}")
        shoot(first, f"auction-lot-lost-{size}")
        second.reload()  # as rendered by the server, too
        expect(second.locator("#won")).to_be_visible()
        expect(second.locator("#price-label")).to_have_text("成交价")

        # The operator publishes the results.
        op.goto(session_url)
        _fits(op, op.get_by_role("button", name="发布结果"))
        op.get_by_role("button", name="发布结果").click()
        expect(op.locator("#done")).to_contain_text("结果已发布")
        expect(op.locator("#results")).to_contain_text("成交价 260 万元")
        expect(op.locator("#results")).to_contain_text("乙科技有限公司")
        _fits(op)
        shoot(op, f"auction-results-{size}")
        first.goto(session_url)
        expect(first.locator("#results")).to_contain_text("买受人 竞买人 B")
        _fits(first)
    finally:
        for context in contexts:
            context.close()
    assert errors == [], errors


def test_without_javascript_a_bid_is_confirmed_on_a_page_of_its_own(
    chromium: Browser,
    live_server: LiveServer,
    database: Database,
    make_web_user: MakeWebUser,
    make_org: MakeOrganization,
    size: str,
) -> None:
    achievement = add_listing(database, "achievement", city="芜湖", title="无脚本出价的成果")
    now = datetime.now(UTC)
    with database.unit_of_work() as session:
        service = AuctionService(session, ADMIN)
        auction = service.create_session(
            SessionIn(
                title="无脚本场",
                starts_at=now - timedelta(minutes=1),
                ends_at=now + timedelta(hours=1),
                bands=[BandIn(from_wan=0, step_wan=10)],
            )
        )
        lot = service.add_lot(auction.id, LotIn(achievement_id=achievement, start_price_wan=200))
        service.open_session(auction.id)
        lot_id = lot.id
    user = make_web_user("bidder-nojs", Role.member, organization_id=make_org().id)
    with database.unit_of_work() as session:
        member = Viewer(user_id=user.id, role=Role.member, organization_id=user.organization_id)
        bidder = AuctionService(session, member).register(auction.id, terms_accepted=True)
        AuctionService(session, ADMIN).decide(auction.id, bidder.id, ApprovalIn())
    phone = size == "390"
    context = chromium.new_context(
        viewport=SIZES[size],
        base_url=live_server.url,
        locale="zh-CN",
        is_mobile=phone,
        has_touch=phone,
        java_script_enabled=False,
    )
    page = context.new_page()
    try:
        browser_login(page, user)
        page.goto(f"/lots/{lot_id}")
        page.locator("#amount").fill("3100")
        page.get_by_role("button", name="出价", exact=True).click()
        expect(page.get_by_role("heading", name="请确认出价")).to_be_visible()
        expect(page.locator("#confirm-yuan")).to_have_text("31,000,000")
        expect(page.locator("#confirm-warn")).to_contain_text("超过当前价的2倍")
        _fits(page, page.get_by_role("button", name="确认出价"))
        shoot(page, f"auction-confirm-nojs-{size}")
        page.get_by_role("link", name="返回修改").click()
        page.locator("#amount").fill("310")
        page.get_by_role("button", name="出价", exact=True).click()
        expect(page.locator("#confirm-warn")).to_have_count(0)
        page.get_by_role("button", name="确认出价").click()
        page.wait_for_url(re.compile(rf"/lots/{lot_id}\?placed=1$"))
        expect(page.locator("#bid-message")).to_have_text("出价已受理")
        expect(page.locator("#price-label")).to_have_text("当前价")
        expect(page.locator("#my-status")).to_have_text("领先中")
        expect(page.locator("#bid-count")).to_have_text("1")
        _fits(page)
    finally:
        context.close()
