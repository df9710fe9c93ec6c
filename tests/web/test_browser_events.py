"""An event's journey in headless Chromium at 1366 and 390 px: the organiser creates it, two
members register, get suggestions, one asks to meet, the other accepts, the organiser schedules
and checks them in, both read their agenda and download the .ics, both mark the meeting
interested, and an introduction appears, attributed to the event."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import icalendar
import pytest
from playwright.sync_api import Page, expect

from factorlink.auth.models import Role
from factorlink.db.session import Database
from factorlink.event.models import EventMeeting
from factorlink.introduction.models import Introduction
from tests.event.builders import world
from tests.web.browser import LiveServer
from tests.web.conftest import MakeWebUser, browser_login, shoot

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ViewportSize

pytestmark = pytest.mark.browser
BEIJING = timezone(timedelta(hours=8))
SIZES: dict[str, ViewportSize] = {
    "1366": {"width": 1366, "height": 900},
    "390": {"width": 390, "height": 844},
}
# Every visible control of the page as a tap target (a checkbox counts by its label); links
# inside running text are exempt (WCAG 2.5.8).
SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary"))
  .map((el) => (el.type === "radio" || el.type === "checkbox") && el.closest("label")
    ? el.closest("label") : el)
  .filter((el) => el.offsetParent !== null)
  .filter((el) => !(el.tagName === "A" && el.closest("p, dd, li.text")
    && !el.classList.contains("button")))
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([el, r]) => r.height < 44 || r.width < 44)
  .map(([el, r]) => `${el.tagName}.${el.className} "${(el.textContent || el.name || "").trim()
    .slice(0, 20)}" ${Math.round(r.width)}x${Math.round(r.height)}`)"""


def _fits(page: Page) -> None:
    """No sideways scroll, and every tap target at least 44 × 44 px."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert page.viewport_size is not None and width <= page.viewport_size["width"], width
    small = page.evaluate(SMALL_TARGETS)
    assert small == [], (page.url, "\n".join(small))


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
        accept_downloads=True,
    )
    page = context.new_page()
    page.on("pageerror", lambda exc: pytest.fail(f"script error: {exc}"))
    return page


def test_the_event_journey(
    chromium: Browser,
    live_server: LiveServer,
    database: Database,
    make_web_user: MakeWebUser,
    size: str,
) -> None:
    w = world(database)
    organiser_user = make_web_user("op", Role.operator, city_scope=["songjiang"])
    users = {
        "a": make_web_user("chen", Role.member, organization_id=w.org_a, display_name="陈工"),
        "b": make_web_user("li", Role.member, organization_id=w.org_b, display_name="李教授"),
    }
    organiser = _page(chromium, live_server, size)
    browser_login(organiser, organiser_user)
    # The day before, in Beijing: its meetings are over, so both sides can mark them.
    today = datetime.now(UTC).astimezone(BEIJING)
    yesterday = (today - timedelta(days=1)).date().isoformat()
    organiser.goto("/events")
    organiser.get_by_role("link", name="新建对接会").click()
    organiser.get_by_label("标题").fill("G60新材料要素对接会")
    organiser.get_by_label("会场").fill("松江区科技园会议中心")
    organiser.get_by_label("日期").fill(yesterday)
    organiser.get_by_label("上午时段").fill("09:00")
    organiser.locator("#f-block1_end").fill("10:00")
    organiser.get_by_label("下午时段").fill("")
    organiser.locator("#f-block2_end").fill("")
    organiser.get_by_label("桌数").fill("4")
    organiser.get_by_label("报名开始").fill(f"{yesterday}T08:00")
    tomorrow = (today + timedelta(days=1)).date().isoformat()
    organiser.get_by_label("报名截止").fill(f"{tomorrow}T18:00")
    shoot(organiser, f"event-new-{size}")
    organiser.get_by_role("button", name="创建").click()
    organiser.wait_for_url(re.compile(r"/events/\d+/manage\?created=1$"))
    event = int(re.search(r"/events/(\d+)/", organiser.url).group(1))  # type: ignore[union-attr]
    expect(organiser.get_by_role("status").first).to_contain_text("对接会已创建")
    _fits(organiser)

    pages: dict[str, Page] = {}
    for key in ("b", "a"):
        page = pages[key] = _page(chromium, live_server, size)
        browser_login(page, users[key])
        page.goto("/events")
        page.get_by_role("link", name=re.compile("G60新材料要素对接会")).click()
        expect(page.get_by_role("button", name="报名参会")).to_be_visible()
        _fits(page)
        shoot(page, f"event-register-{key}-{size}")
        if size == "390":  # the main action is on the first screen
            box = page.get_by_role("button", name="报名参会").bounding_box()
            assert box is not None and box["y"] + box["height"] <= SIZES[size]["height"]
        page.get_by_label("身份").select_option("institute" if key == "b" else "enterprise")
        page.get_by_label("手机号").fill("13812345678" if key == "a" else "13987654321")
        page.get_by_role("button", name="报名参会").click()
        page.wait_for_url(re.compile(rf"/events/{event}/me\?registered=1$"))
        expect(page.get_by_role("status").first).to_contain_text("报名成功")

    a, b = pages["a"], pages["b"]
    suggestion = a.locator("li.ev-item", has_text="示例大学").first
    expect(suggestion).to_contain_text("石墨烯")
    _fits(a)
    shoot(a, f"event-suggestions-{size}")
    suggestion.get_by_label("留言(可选)").fill("想了解散热膜中试")
    suggestion.get_by_role("button", name="发起约见").click()
    expect(a.locator("#requests")).to_contain_text("待回复")

    b.reload()
    incoming = b.locator("#requests li.ev-item", has_text="嘉兴示例新能源有限公司")
    expect(incoming).to_contain_text("想了解散热膜中试")
    expect(incoming.locator(".mobile")).to_have_text("138****5678")  # masked until agreed
    incoming.get_by_role("button", name="接受").click()
    expect(b.locator("#requests")).to_contain_text("已接受")
    expect(b.locator("#requests .mobile").first).to_have_text("13812345678")

    organiser.goto(f"/events/{event}/manage")
    organiser.get_by_role("button", name="开始排期").click()
    expect(organiser.locator("#schedule-state")).to_have_attribute(
        "data-state", "done", timeout=60_000
    )
    expect(organiser.locator("#schedule-state")).to_contain_text("1 场会面")
    for button in organiser.get_by_role("button", name="签到").all():
        button.click()
    expect(organiser.locator("#event-stats")).to_contain_text("已签到2")
    _fits(organiser)
    shoot(organiser, f"event-manage-{size}")
    organiser.get_by_role("link", name="会面总表").click()
    expect(organiser.locator("#grid")).to_contain_text("嘉兴示例新能源有限公司 × 示例大学")
    shoot(organiser, f"event-grid-{size}")

    for key, page in (("a", a), ("b", b)):
        page.goto(f"/events/{event}/me")
        agenda = page.locator("#agenda")
        expect(agenda).to_contain_text("号桌")
        expect(agenda).to_contain_text("09:")
        _fits(page)
        shoot(page, f"event-agenda-{key}-{size}")
        with page.expect_download() as info:
            page.get_by_role("link", name="下载日历(.ics)").click()
        path = info.value.path()
        (vevent,) = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        start = vevent.decoded("dtstart")
        assert isinstance(start, datetime) and str(start.tzinfo) == "Asia/Shanghai"
        assert start.date().isoformat() == yesterday and start.hour == 9
        item = agenda.locator("li.ev-item").first
        item.get_by_label("有合作意向").check()
        item.get_by_label("下一步").fill("寄样品" if key == "a" else "安排中试")
        item.get_by_role("button", name="保存").click()
        expect(page.locator("#agenda li.ev-item").first).to_have_attribute("data-status", "held")
    expect(b.locator("#agenda")).to_contain_text("已形成对接")

    organiser.goto(f"/events/{event}/manage")
    expect(organiser.locator("#stat-introductions")).to_have_text("1")
    with database.unit_of_work() as s:
        (meeting,) = s.query(EventMeeting).all()
        intro = s.get(Introduction, meeting.introduction_id)
        assert intro is not None and "G60新材料要素对接会" in (intro.note or "")
