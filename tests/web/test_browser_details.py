"""Each kind's detail page and an organisation's page in headless Chromium against a real
server, at 1366 px and at 390 px: the details are there (a carrier's building and map link, an
achievement's patents and 我要洽谈, a loan's terms, a demand's days left), every page fits the
screen without sideways scroll with tap targets of at least 44 px, and the page's main action
is on the first screen. Screenshots go to artifacts/screenshots/ (select with `-m browser`)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from factorlink.capital.service import CapitalService
from factorlink.db.session import Database
from tests.introduction.builders import ADMIN, EXAMPLES, add_listing
from tests.web.browser import WIDE, phone_checks

pytestmark = pytest.mark.browser


def _listings(database: Database) -> dict[str, int]:
    until = (date.today() + timedelta(days=120)).isoformat()
    ids = {
        "carrier": add_listing(
            database,
            "carrier",
            name="芜湖经开区智能装备标准厂房5号楼",
            city="芜湖",
            district="芜湖经济技术开发区",
            address="银湖北路68号",
            ceiling_height_m="9米",
            floor_load_t="3吨/㎡",
            power_kva="1250kVA",
            crane="2台10吨",
            divisible="是",
            min_split="1500㎡",
            delivery_date="2027年6月底",
            land_use="工业用地",
            tenure_years="50年",
        ),
        "achievement": add_listing(
            database,
            "achievement",
            patent_numbers="ZL202310123456.6、ZL201080063196.9",
            patent_status="授权",
            rights_holder="示例大学",
            listing_period=f"2026-01-01至{until}",
        ),
        "demand": add_listing(database, "demand", deadline="2027年6月底"),
        "expert": add_listing(database, "expert"),
    }
    with database.unit_of_work() as s:
        cells = {
            **EXAMPLES["capital"],
            "name": "沪衡科创信用贷",
            "kind": "科技贷",
            "stages": "",
            "ticket": "100-3000",
            "loan_term": "1-3年",
            "loan_rate": "一年期LPR+50BP",
            "eligibility": "注册在走廊九城、成立满1年、上年营收不低于500万元的科技型中小企业",
            "how_to_apply": "线上提交申请,或联系客户经理预约面谈",
        }
        ids["capital"] = int(CapitalService(s, ADMIN).create(cells).id)
    ids["organization"] = add_listing(
        database, "organization", name="芜湖示例机器人有限公司", city="芜湖", industry="高端装备"
    )
    add_listing(
        database, "demand", organization="芜湖示例机器人有限公司", title="焊接机器人视觉定位"
    )
    return ids


def test_detail_pages_carry_their_details_and_fit_the_screen(tab: Page, database: Database) -> None:
    size = "390" if (tab.viewport_size or WIDE)["width"] < 500 else "1366"
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    ids = _listings(database)

    tab.goto(f"/carriers/{ids['carrier']}")
    facts = tab.locator("dl.facts")
    for shown in ("9米", "3吨/㎡", "1250kVA", "10吨", "1500㎡", "2027年6月底", "50年"):
        expect(facts).to_contain_text(shown)
    amap = tab.get_by_role("link", name="在高德地图中查看")
    assert (amap.get_attribute("href") or "").startswith("https://uri.amap.com/search?")
    visit = tab.locator("#follow").get_by_role("link", name="预约考察")
    phone_checks(tab, f"detail-carrier-{size}", action=visit)

    tab.goto(f"/achievements/{ids['achievement']}")
    expect(tab.locator("dl.facts")).to_contain_text("ZL202310123456.6")
    expect(tab.locator("article ul.meta")).to_contain_text("挂牌中")
    talk = tab.locator("#follow").get_by_role("link", name="我要洽谈")
    phone_checks(tab, f"detail-achievement-{size}", action=talk)
    talk.click()
    expect(tab.locator("#approach")).to_contain_text("意向登记")

    tab.goto(f"/demands/{ids['demand']}")
    expect(tab.locator("#days-left")).to_contain_text("剩余")
    expect(tab.locator("dl.facts")).to_contain_text("2027年6月底")
    phone_checks(tab, f"detail-demand-{size}", action=tab.locator("h1"))

    tab.goto(f"/capital/{ids['capital']}")
    for shown in ("12-36个月", "一年期LPR+50BP", "成立满1年", "客户经理"):
        expect(tab.locator("dl.facts")).to_contain_text(shown)
    phone_checks(tab, f"detail-capital-{size}", action=tab.locator("h1"))

    tab.goto(f"/experts/{ids['expert']}")
    phone_checks(tab, f"detail-expert-{size}", action=tab.locator("h1"))

    tab.goto(f"/organizations/{ids['organization']}")
    expect(tab.locator("nav.crumbs")).to_contain_text("芜湖示例机器人有限公司")
    expect(tab.locator("nav.crumbs")).not_to_contain_text("ORG-")
    expect(tab.locator("#org-listings")).to_contain_text("焊接机器人视觉定位")
    phone_checks(tab, f"detail-organization-{size}", action=tab.locator("h1"))
    assert errors == []
