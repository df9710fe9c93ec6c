"""The main flows in headless Chromium against a real server (select with `-m browser`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page, expect

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
from factorlink.introduction.models import IntroductionStatus, PartyKind
from factorlink.sample.loader import load_sample
from tests.factories import MakeOrganization
from tests.imports.builders import achievement, rows_grid, write_xlsx
from tests.introduction.builders import add_listing, introduce
from tests.web.browser import phone_checks
from tests.web.conftest import MakeWebUser, browser_login, shoot

pytestmark = pytest.mark.browser

FULL_MOBILE = re.compile(r"(?<![\d*])1[3-9]\d{9}(?!\d)")
ADMIN = Viewer(user_id=0, role=Role.admin)


def _no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] if page.viewport_size else True, width


UNLABELLED = """() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter((el) => el.type !== "hidden")
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label"))
  .map((el) => el.name || el.id)"""


UNBACKED_LABELS = """() => Array.from(document.querySelectorAll("#chart-corridor svg text"))
  .filter((t) => t.textContent.trim())
  .filter((t) => !/255,\\s*255,\\s*255/.test(
    (t.previousElementSibling && t.previousElementSibling.getAttribute("fill")) || ""))
  .map((t) => t.textContent)"""


def _every_field_labelled(page: Page) -> None:
    assert page.evaluate(UNLABELLED) == [], page.url


def test_visitor_searches_and_sees_only_masked_contacts(desktop: Page, database: Database) -> None:
    add_listing(database, "achievement", city="杭州市余杭区", contact_mobile="13812345678")
    desktop.goto("/")
    desktop.get_by_role("searchbox", name="搜索科技成果").fill("石墨烯")
    desktop.get_by_role("button", name="搜索").click()
    desktop.wait_for_url(re.compile(r"/achievements\?q="))
    results = desktop.locator("li.result")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("138****5678")
    assert not FULL_MOBILE.search(desktop.content())
    desktop.get_by_label("城市").select_option("hangzhou")  # submits by itself
    desktop.wait_for_url(re.compile(r"city=hangzhou"))
    expect(desktop.locator("#result-count")).to_contain_text("1")
    results.first.get_by_role("link").click()
    expect(desktop.locator("h1")).to_contain_text("石墨烯")
    expect(desktop.locator(".contact")).to_contain_text("138****5678")
    assert not FULL_MOBILE.search(desktop.content())
    shoot(desktop, "detail-desktop")


def test_member_posts_a_demand_and_sees_explained_matches(
    desktop: Page,
    database: Database,
    make_org: MakeOrganization,
    make_web_user: MakeWebUser,
) -> None:
    add_listing(database, "achievement")
    org = make_org("嘉兴某汽车零部件有限公司", city="jiaxing")
    browser_login(desktop, make_web_user("jx", Role.member, organization_id=org.id))
    desktop.goto("/post/demand")
    desktop.get_by_label("需求名称").fill("动力电池包石墨烯散热方案")
    desktop.get_by_label("需求描述").fill("电池包散热不足,寻求石墨烯导热膜或散热膜技术合作开发。")
    desktop.get_by_label("关键词").fill("石墨烯、散热膜、导热")
    desktop.get_by_label("所属行业").fill("新材料")
    desktop.get_by_label("所在城市").fill("嘉兴")
    desktop.get_by_label("手机号").fill("1390000")
    desktop.get_by_label("合作开发").check()
    desktop.get_by_role("button", name="发布", exact=True).click()
    # The bad mobile comes back inline, in Chinese, with the focus on it.
    expect(desktop.locator("#err-contact_mobile")).to_be_visible()
    expect(desktop.get_by_label("手机号")).to_be_focused()
    expect(desktop.get_by_label("需求名称")).to_have_value("动力电池包石墨烯散热方案")
    shoot(desktop, "form-errors-desktop")
    desktop.get_by_label("手机号").fill("13900002222")
    desktop.get_by_role("button", name="发布", exact=True).click()
    desktop.wait_for_url(re.compile(r"/demands/\d+"))
    expect(desktop.get_by_role("status")).to_contain_text("发布成功")
    panel = desktop.locator("#matches")
    first = panel.locator("li.match").first
    expect(first).to_contain_text("高导热石墨烯复合散热膜制备技术")
    expect(first.locator(".score")).to_contain_text("%")
    expect(first.locator(".tag").first).to_be_visible()  # the shared terms
    expect(first.locator(".criteria li.met").first).to_be_visible()  # a criterion met
    assert not FULL_MOBILE.search(first.inner_text()), "the match's contact is masked"
    shoot(desktop, "demand-matches-desktop")


def test_visitor_sends_a_lead_and_sees_its_matches(desktop: Page, database: Database) -> None:
    add_listing(database, "carrier")
    desktop.goto("/leads/new")
    desktop.get_by_label("空间载体").check()
    desktop.locator("#f-need").fill("寻找标准厂房用于新材料产线")
    desktop.get_by_label("联系人").fill("孙总")
    desktop.get_by_label("手机号").fill("13600004444")
    desktop.get_by_role("button", name="提交").click()
    expect(desktop.locator("#err-consent")).to_be_visible()
    desktop.get_by_label("我同意").check()
    desktop.get_by_role("button", name="提交").click()
    expect(desktop.get_by_role("status")).to_contain_text("需求已提交")
    matches = desktop.locator("li.match")
    expect(matches.first).to_be_visible()
    for text in matches.all_inner_texts():
        assert not FULL_MOBILE.search(text), "matches' contacts are masked"


def test_operator_imports_excel_with_a_bad_row(
    desktop: Page, make_web_user: MakeWebUser, tmp_path: Path
) -> None:
    browser_login(desktop, make_web_user("ops", Role.operator))
    rows = [achievement("ACH-0001"), achievement("ACH-0002", **{"手机号": "12345"})]
    path = write_xlsx(tmp_path / "成果清单.xlsx", rows_grid(rows))
    desktop.goto("/workspace/import")
    desktop.get_by_label("导入类型").select_option("achievement")
    desktop.get_by_label("文件").set_input_files(str(path))
    desktop.get_by_role("button", name="开始导入").click()
    expect(desktop.get_by_role("alert")).to_contain_text("导入失败")
    expect(desktop.locator("#count-rejected")).to_have_text("1")
    expect(desktop.locator("#report-errors tbody tr")).to_have_count(1)
    expect(desktop.locator("#report-errors")).to_contain_text("手机号")
    shoot(desktop, "import-report-desktop")
    with desktop.expect_download() as info:
        desktop.locator("#download-rejected").click()
    download = info.value
    assert download.suggested_filename.endswith(".rejected.xlsx")
    assert Path(download.path()).stat().st_size > 0


def test_operator_signs_and_the_dashboard_total_changes(
    desktop: Page, database: Database, make_web_user: MakeWebUser
) -> None:
    a = add_listing(database, "achievement")
    d = add_listing(database, "demand")
    march = datetime(2026, 3, 1, tzinfo=UTC)
    intro = introduce(
        database,
        (PartyKind.demand, d),
        (PartyKind.achievement, a),
        [(IntroductionStatus.contacted, march, {}), (IntroductionStatus.negotiating, march, {})],
        at=march,
    )
    browser_login(desktop, make_web_user("ops", Role.operator))
    desktop.goto("/")
    expect(desktop.locator("#deal-amount")).to_have_text("0")
    desktop.goto("/workspace/introductions")
    ticket = desktop.locator(f"#intro-{intro}")
    ticket.get_by_label("签约金额(万元)").fill("480")
    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    desktop.once("dialog", accept)
    ticket.get_by_role("button", name="推进到已签约").click()
    signed = desktop.locator('[data-status="signed"]')
    expect(signed.locator(f"#intro-{intro}")).to_be_visible()
    expect(signed.locator(".amount")).to_have_text("480")
    assert asked == ["确认签约?签约后不可更改"], "signing asks for confirmation first"
    shoot(desktop, "board-desktop")
    desktop.get_by_role("link", name="首页").click()
    expect(desktop.locator("#deal-amount")).to_have_text("480")
    expect(desktop.locator("#deal-count")).to_have_text("1")


def test_main_pages_on_desktop_and_phone(
    desktop: Page, phone: Page, database: Database, make_web_user: MakeWebUser
) -> None:
    with database.unit_of_work() as session:
        load_sample(session, ADMIN)
    errors: list[str] = []
    for page in (desktop, phone):
        page.on("pageerror", lambda exc: errors.append(str(exc)))
    for page, size in ((desktop, "desktop"), (phone, "phone")):
        ask = page.get_by_role("link", name="提交需求")
        page.goto("/")
        expect(page.locator("#chart-corridor svg")).to_be_visible()
        expect(page.locator("#chart-month svg")).to_be_visible()
        phone_checks(page, f"home-{size}", action=ask)
        # Each city's name on the corridor map is on a light backing of its own, laid over the
        # circles (close cities overlap: dark on blue, 湖州 and 苏州 could not be read).
        assert page.evaluate(UNBACKED_LABELS) == []
        page.goto("/achievements?sort=price_desc")
        phone_checks(page, f"achievements-{size}", action=page.locator("li.result a"))
        # On a phone the filters nobody chose fold away: the first result is on the first screen.
        folded = page.locator("details.more-filters").evaluate("box => !box.open")
        assert folded == (size == "phone")
        viewport = page.viewport_size
        top = page.locator("li.result").first.bounding_box()
        assert viewport is not None and top is not None and top["y"] < viewport["height"]
        expect(page.get_by_role("link", name="提交需求")).to_be_in_viewport()
        page.locator("li.result a").first.click()
        expect(page.locator("h1")).to_be_visible()
        phone_checks(page, f"detail-{size}", action=page.locator("h1"))
        _every_field_labelled(page)
        page.goto("/leads/new")
        _every_field_labelled(page)
        phone_checks(page, f"lead-form-{size}", action=page.locator("#f-lead_type"))
        for path in ("/demands", "/carriers", "/capital", "/experts", "/organizations", "/news"):
            page.goto(path)
            phone_checks(page, f"{path[1:]}-{size}", action=ask)
        page.goto("/login")
        phone_checks(page, f"login-{size}", action=page.get_by_role("button", name="登录"))
        page.goto("/lang/en?next=/achievements")
        phone_checks(page, f"achievements-en-{size}")
        page.goto("/lang/zh?next=/")
    browser_login(desktop, make_web_user("ops", Role.admin))
    pages = (
        ("/workspace/leads", "inbox"),
        ("/workspace/introductions", "board"),
        ("/workspace/import", "import"),
        ("/post/demand", "post-demand"),
    )
    for path, name in pages:
        desktop.goto(path)
        _every_field_labelled(desktop)
        shoot(desktop, f"{name}-desktop")
    desktop.goto("/lang/en?next=/")
    expect(desktop.locator("html")).to_have_attribute("lang", "en")
    shoot(desktop, "home-desktop-en")
    assert errors == [], errors


def test_keyboard_alone(desktop: Page, make_web_user: MakeWebUser) -> None:
    user = make_web_user("ops", Role.operator)
    desktop.goto("/")
    desktop.keyboard.press("Tab")
    expect(desktop.locator(".skip")).to_be_focused()
    desktop.keyboard.press("Enter")
    desktop.goto("/login")
    expect(desktop.get_by_label("用户名")).to_be_focused()  # autofocus
    desktop.keyboard.type(user.username)
    desktop.keyboard.press("Tab")
    desktop.keyboard.type("G60-web-password-1")
    desktop.keyboard.press("Tab")
    expect(desktop.get_by_role("button", name="登录", exact=True).last).to_be_focused()
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(lambda url: "/login" not in url)
    expect(desktop.get_by_role("link", name="工作台")).to_be_visible()
