"""A member's journey in headless Chromium against a real server, at 1366 px and at 390 px:
posting a demand (the form starts with the organisation's city and contact, the industry field
says what its words are matched as), asking for an introduction from a match, editing and
withdrawing it in 我的发布, answering another organisation's demand with an own achievement
(我能解决), booking a visit to a carrier (预约考察) and 我要洽谈 on an achievement as the
organisation, following the requests in 我的对接; then 我的对接, 我的发布 and a listing's page
in English.
Screenshots go to artifacts/screenshots/ (select with `-m browser`)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from factorlink.auth.models import Role
from factorlink.db.session import Database
from tests.factories import MakeOrganization
from tests.introduction.builders import add_listing
from tests.web.browser import WIDE, LiveServer, phone_checks
from tests.web.conftest import MakeWebUser, browser_login

pytestmark = pytest.mark.browser

OURS = "嘉兴某汽车零部件有限公司"


def test_a_member_posts_edits_withdraws_asks_and_answers(
    tab: Page,
    chromium: Browser,
    live_server: LiveServer,
    database: Database,
    make_org: MakeOrganization,
    make_web_user: MakeWebUser,
) -> None:
    size = "phone" if (tab.viewport_size or WIDE)["width"] < 500 else "wide"
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    org = make_org(OURS, city="jiaxing")
    achievement = add_listing(database, "achievement")  # 示例大学's, the match
    own_achievement = add_listing(
        database, "achievement", organization=OURS, title="转向节轻量化铸造工艺", city="嘉兴"
    )
    their_demand = add_listing(
        database,
        "demand",
        organization="湖州某电机有限公司",
        title="电机壳体轻量化铸造",
        description="寻求铝合金电机壳体轻量化铸造工艺。",
        city="湖州",
    )
    carrier = add_listing(database, "carrier", name="湖州南太湖新区标准厂房2号楼", city="湖州")
    browser_login(tab, make_web_user("jx", Role.member, organization_id=org.id))

    # Post: the form starts with the organisation's city and contact.
    tab.goto("/post/demand")
    expect(tab.get_by_label("所在城市")).to_have_value("嘉兴")
    expect(tab.get_by_label("手机号")).to_have_value("13900001111")
    tab.get_by_label("需求名称").fill("动力电池包石墨烯散热方案")
    tab.get_by_label("需求描述").fill("电池包散热不足,寻求石墨烯导热膜或散热膜技术合作开发。")
    tab.get_by_label("关键词").fill("石墨烯、散热膜、导热")
    tab.get_by_label("所属行业").fill("汽车零部件")
    # What the words are matched as, as one types; what was typed stays.
    expect(tab.locator("#understood-industry")).to_contain_text("新能源汽车/智能网联汽车")
    expect(tab.get_by_label("所属行业")).to_have_value("汽车零部件")
    tab.get_by_label("所属行业").fill("新材料")
    expect(tab.locator("#understood-industry")).to_have_text(
        "按产业目录匹配为:新材料(原文照样保存)"
    )
    tab.get_by_role("button", name="发布", exact=True).click()
    tab.wait_for_url(re.compile(r"/demands/\d+"))
    demand_url = tab.url.split("?")[0].split("#")[0]
    expect(tab.get_by_role("status")).to_contain_text("发布成功")

    # 申请对接 on the first match: it waits for an operator, and the match says so.
    match = tab.locator("#matches li.match").filter(has_text="高导热石墨烯复合散热膜制备技术")
    expect(match.get_by_role("button", name="申请对接")).to_be_visible()
    phone_checks(tab, f"member-matches-{size}")
    match.get_by_role("button", name="申请对接").click()
    expect(tab.get_by_role("status")).to_contain_text("对接申请已提交")
    expect(match.locator(".request-state")).to_contain_text("待受理")
    phone_checks(tab, f"member-requested-{size}")

    # 我的发布: edit in the prefilled form, then withdraw.
    tab.goto("/my/listings")
    item = tab.locator("li.mine-item").filter(has_text="动力电池包石墨烯散热方案")
    expect(item.locator(".state")).to_have_text("展示中")
    phone_checks(tab, f"member-listings-{size}")
    item.get_by_role("link", name="编辑").click()
    expect(tab.get_by_label("需求名称")).to_have_value("动力电池包石墨烯散热方案")
    tab.get_by_label("需求名称").fill("动力电池包石墨烯散热方案(二期)")
    phone_checks(tab, f"member-edit-{size}")
    tab.get_by_role("button", name="保存修改").click()
    expect(tab.locator("h1")).to_have_text("动力电池包石墨烯散热方案(二期)")
    tab.goto("/my/listings")
    item = tab.locator("li.mine-item").filter(has_text="(二期)")
    item.get_by_role("button", name="撤回").click()
    item = tab.locator("li.mine-item").filter(has_text="(二期)")
    expect(item.locator(".state")).to_have_text("已撤回")
    expect(item.get_by_role("button", name="重新展示")).to_be_visible()
    phone_checks(tab, f"member-withdrawn-{size}")
    visitor = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    try:
        response = visitor.new_page().goto(demand_url)
        assert response is not None and response.status == 404  # hidden from the public, kept
    finally:
        visitor.close()

    # 我能解决 on another organisation's demand, with one of our achievements.
    tab.goto(f"/demands/{their_demand}")
    expect(tab.locator("#responses")).to_contain_text("已有 0 项成果响应")
    tab.get_by_label("用本机构的成果响应该需求").select_option(str(own_achievement))
    phone_checks(tab, f"member-answer-{size}")
    tab.locator("#answer").get_by_role("button", name="我能解决").click()
    expect(tab.get_by_role("status")).to_contain_text("对接申请已提交")
    expect(tab.locator("#responses")).to_contain_text("已有 1 项成果响应")
    expect(tab.locator("#answer")).to_contain_text("待受理")
    phone_checks(tab, f"member-answered-{size}")

    # 预约考察 on a carrier: a request of our organisation, with when and how many.
    tab.goto(f"/carriers/{carrier}")
    visit = tab.locator("#follow").get_by_role("link", name="预约考察")
    phone_checks(tab, f"member-carrier-{size}", action=visit)
    visit.click()
    expect(tab.locator("#approach")).to_contain_text(OURS)
    tab.get_by_label("希望考察的时间、人数、面积需求(选填)").fill("下周二上午,3人,约2000㎡")
    phone_checks(tab, f"member-visit-{size}")
    tab.locator("#approach").get_by_role("button", name="提交申请").click()
    expect(tab.get_by_role("status")).to_contain_text("对接申请已提交")
    expect(tab.locator("#approach .request-state")).to_contain_text("待受理")

    # 我要洽谈 on an achievement, as our organisation (our demand on it was withdrawn).
    tab.goto(f"/achievements/{achievement}")
    talk = tab.locator("#follow").get_by_role("link", name="我要洽谈")
    phone_checks(tab, f"member-achievement-{size}", action=talk)
    talk.click()
    expect(tab.locator("#approach")).to_contain_text(f"本机构 · {OURS}")
    tab.locator("#approach").get_by_role("button", name="提交申请").click()
    expect(tab.get_by_role("status")).to_contain_text("对接申请已提交")
    expect(tab.locator("#approach .request-state")).to_contain_text("待受理")

    # 我的对接: the four requests, waiting for an operator.
    tab.goto("/my/introductions")
    intros = tab.locator("li.intro")
    expect(intros).to_have_count(4)
    expect(intros.filter(has_text="湖州南太湖新区标准厂房2号楼")).to_contain_text("预约考察:下周二")
    expect(intros.filter(has_text="电机壳体轻量化铸造")).to_contain_text("待受理")
    asked = intros.filter(has_text="高导热石墨烯复合散热膜制备技术")
    expect(asked.filter(has_text="(二期)")).to_contain_text("待受理")  # 申请对接 on a match
    expect(asked.filter(has_text=OURS)).to_contain_text("我要洽谈")  # as the organisation
    phone_checks(tab, f"member-introductions-{size}")

    # The same pages in English (the EN toggle): labels and values, not what people typed.
    tab.locator("a.lang").click()
    expect(tab.locator("h1")).to_have_text("My introductions")
    intros = tab.locator("li.intro")
    expect(intros.filter(has_text="电机壳体轻量化铸造")).to_contain_text("Huzhou")
    expect(intros.first).to_contain_text("Requested")
    phone_checks(tab, f"member-introductions-en-{size}")
    tab.goto("/my/listings")
    expect(tab.locator("h1")).to_have_text("My listings")
    expect(tab.locator("li.mine-item").filter(has_text="(二期)")).to_contain_text("Jiaxing")
    phone_checks(tab, f"member-listings-en-{size}")
    tab.goto(f"/demands/{their_demand}")
    expect(tab.locator("#matches")).not_to_contain_text("同属")
    phone_checks(tab, f"member-demand-en-{size}")
    tab.locator("a.lang").click()
    assert errors == [], errors
