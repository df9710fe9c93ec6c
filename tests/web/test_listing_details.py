"""A listing's page carries its details: a carrier's building with a map link and 预约考察, an
achievement's patents and 我要洽谈, a demand's days left, a loan's terms; views counted once
per browser, 关注 for users; an organisation's page lists its own listings, its name (not a
hash code) in the breadcrumbs and its district once."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlparse

from fastapi.testclient import TestClient
from sqlalchemy import select

from factorlink.auth.models import Role
from factorlink.capital.service import CapitalService
from factorlink.db.session import Database
from factorlink.demand.models import Demand
from factorlink.engagement.models import Follow
from factorlink.introduction.models import Introduction, IntroductionStatus
from factorlink.organization.models import Organization
from factorlink.web.listing_details import days_left, listing_period, place_label
from tests.factories import MakeOrganization
from tests.introduction.builders import ADMIN, EXAMPLES, add_listing
from tests.web.conftest import LoginAs, MakeWebUser, csrf_token

BROWSER = {"user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36"}


def _views(html: str) -> int:
    found = re.search(r'id="views">(\d+) 次浏览', html)
    assert found, "no view count on the page"
    return int(found.group(1))


def test_a_carrier_page_shows_the_building_a_map_link_and_a_visit(
    client: TestClient, database: Database
) -> None:
    carrier = add_listing(
        database,
        "carrier",
        city="芜湖",
        district="芜湖经济技术开发区",
        address="银湖北路68号",
        ceiling_height_m="8米",
        floor_load_t="3吨/㎡",
        power_kva="630kVA",
        crane="10吨",
        divisible="是",
        min_split="1000㎡",
        delivery_date="2027年6月底",
        land_use="工业用地",
        tenure_years="50年",
    )
    page = client.get(f"/carriers/{carrier}", headers=BROWSER)
    assert page.status_code == 200
    html = page.text
    for shown in ("8米", "3吨/㎡", "630kVA", "10吨", "1000㎡", "2027年6月底", "工业用地", "50年"):
        assert shown in html, shown
    assert "芜湖芜湖" not in html and "芜湖经济技术开发区" in html
    link = re.search(r'href="(https://uri\.amap\.com/search\?[^"]+)"', html)
    assert link, "no map link"
    keyword = parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query)["keyword"][0]
    assert keyword == "芜湖芜湖经济技术开发区银湖北路68号"
    visit = re.search(r'href="(/leads/new\?[^"]+)"[^>]*>预约考察', html)
    assert visit, "no 预约考察 for a visitor"
    query = parse_qs(urlparse(visit.group(1).replace("&amp;", "&")).query)
    assert query["lead_type"] == ["space"] and query["need"][0].startswith("预约考察:")
    form = client.get(visit.group(1).replace("&amp;", "&"))
    assert form.status_code == 200 and "预约考察:松江综保区标准厂房3号楼" in form.text


def test_views_count_once_per_browser_and_never_for_robots(
    client: TestClient, database: Database
) -> None:
    carrier = add_listing(database, "carrier")
    assert _views(client.get(f"/carriers/{carrier}", headers=BROWSER).text) == 1
    assert _views(client.get(f"/carriers/{carrier}", headers=BROWSER).text) == 1  # a reload
    robot = {"user-agent": "Mozilla/5.0 (compatible; Baiduspider/2.0)"}
    client.cookies.clear()
    assert _views(client.get(f"/carriers/{carrier}", headers=robot).text) == 1
    client.cookies.clear()  # another browser
    assert _views(client.get(f"/carriers/{carrier}", headers=BROWSER).text) == 2


def test_an_achievement_shows_patents_and_period_and_a_member_asks_to_discuss_it(
    client: TestClient,
    database: Database,
    make_org: MakeOrganization,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
) -> None:
    until = date.today() + timedelta(days=200)
    achievement = add_listing(
        database,
        "achievement",
        patent_numbers="ZL202310123456.6",
        patent_status="授权",
        rights_holder="示例大学",
        listing_period=f"2026-01-01至{until.isoformat()}",
    )
    html = client.get(f"/achievements/{achievement}", headers=BROWSER).text
    assert "ZL202310123456.6" in html and "授权" in html and "示例大学" in html
    assert "挂牌中" in html and "我要洽谈" in html and "意向登记" in html
    org = make_org("嘉兴示例新能源有限公司", city="jiaxing")
    demand = add_listing(database, "demand")  # the builders' demand belongs to that org
    login_as(client, make_web_user("m1", Role.member, organization_id=org.id))
    page = client.get(f"/achievements/{achievement}")
    assert 'name="a"' in page.text and f'value="demand:{demand}"' in page.text
    response = client.post(
        "/my/introductions",
        data={
            "csrf_token": csrf_token(page.text),
            "a_kind": "demand",
            "a_id": str(demand),
            "b_kind": "achievement",
            "b_id": str(achievement),
            "note": "我要洽谈",
            "back": f"/achievements/{achievement}#approach",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    with database.unit_of_work() as s:
        intro = s.scalars(select(Introduction)).one()
        assert intro.status == IntroductionStatus.requested
        assert (intro.party_a_id, intro.party_b_id) == (demand, achievement)


def test_a_demand_shows_its_days_left(client: TestClient, database: Database) -> None:
    deadline = date.today() + timedelta(days=40)
    demand = add_listing(database, "demand", deadline=deadline.isoformat())
    html = client.get(f"/demands/{demand}").text
    assert re.search(r'id="days-left"><span class="state">剩余 (39|40|41) 天', html)


def test_a_loan_shows_its_terms(client: TestClient, database: Database) -> None:
    cells = {
        "kind": "科技贷",
        "loan_term": "1-3年",
        "loan_rate": "LPR+50BP",
        "eligibility": "成立满1年的科技型中小企业",
        "how_to_apply": "线上申请",
    }
    with database.unit_of_work() as s:
        loan = CapitalService(s, ADMIN).create({**EXAMPLES["capital"], **cells}).id
    html = client.get(f"/capital/{loan}").text
    for shown in ("12-36个月", "LPR+50BP", "成立满1年的科技型中小企业", "线上申请"):
        assert shown in html, shown


def test_following_takes_a_login_and_is_undone(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
) -> None:
    carrier = add_listing(database, "carrier")
    assert "/login?next=" in client.get(f"/carriers/{carrier}").text
    user = make_web_user("f1", Role.member)
    login_as(client, user)
    page = client.get(f"/carriers/{carrier}")
    for to in ("on", "on"):  # twice: still one follow
        response = client.post(
            f"/carriers/{carrier}/follow",
            data={"csrf_token": csrf_token(page.text), "to": to},
            follow_redirects=False,
        )
        assert response.status_code == 303
    page = client.get(f"/carriers/{carrier}")
    assert "1 人关注" in page.text and 'aria-pressed="true"' in page.text
    with database.unit_of_work() as s:
        assert s.scalars(select(Follow.user_id)).all() == [user.id]
    client.post(
        f"/carriers/{carrier}/follow",
        data={"csrf_token": csrf_token(page.text), "to": "off"},
        follow_redirects=False,
    )
    assert "0 人关注" in client.get(f"/carriers/{carrier}").text


def test_an_organisation_page_lists_its_listings_with_its_name_in_the_crumbs(
    client: TestClient, database: Database
) -> None:
    org_id = add_listing(
        database, "organization", name="芜湖示例机器人有限公司", city="芜湖", industry="高端装备"
    )
    with database.unit_of_work() as s:
        org = s.get(Organization, org_id)
        assert org is not None
        org.district = "芜湖经济技术开发区"
        code = org.code
    add_listing(database, "demand", organization="芜湖示例机器人有限公司", title="焊接机器人视觉")
    withdrawn = add_listing(
        database, "demand", organization="芜湖示例机器人有限公司", title="已撤回的需求"
    )
    with database.unit_of_work() as s:
        row = s.get(Demand, withdrawn)
        assert row is not None
        row.state = "withdrawn"
    html = client.get(f"/organizations/{org_id}").text
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', html, re.S)
    assert crumbs and "芜湖示例机器人有限公司" in crumbs.group(0) and code not in crumbs.group(0)
    assert code not in html  # a code derived from the name says nothing to a reader
    assert "芜湖芜湖" not in html and "芜湖经济技术开发区" in html
    listed = re.search(r'id="org-listings".*?</section>', html, re.S)
    assert listed and "焊接机器人视觉" in listed.group(0)
    assert "已撤回的需求" not in listed.group(0)


def test_place_label_names_the_city_once() -> None:
    assert place_label("wuhu", "芜湖经济技术开发区") == "芜湖经济技术开发区"
    assert place_label("songjiang", "松江经济技术开发区") == "松江经济技术开发区"
    assert place_label("huzhou", "长兴县") == "湖州 长兴县"
    assert place_label("huzhou", None) == "湖州"


def test_days_left_and_listing_period() -> None:
    today = date(2026, 12, 5)
    assert days_left(date(2026, 12, 15), today) == {"days": 10, "label": "剩余 %d 天", "open": True}
    assert days_left(date(2026, 12, 5), today)["label"] == "今天截止"  # type: ignore[index]
    assert days_left(date(2026, 12, 1), today)["open"] is False  # type: ignore[index]
    assert listing_period(date(2026, 1, 1), date(2026, 12, 31), today) == "挂牌中"
    assert listing_period(None, date(2026, 11, 30), today) == "挂牌已到期"
    assert listing_period(date(2027, 1, 1), None, today) == "挂牌未开始"


def test_the_capital_form_asks_for_loan_terms_with_room_for_the_conditions(
    client: TestClient, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    login_as(client, make_web_user("op1", Role.operator))
    html = client.get("/post/capital").text
    assert "贷款期限" in html and "贷款利率" in html
    assert re.search(r'<textarea[^>]*name="eligibility"', html)
    assert re.search(r'<textarea[^>]*name="how_to_apply"', html)
    carrier = client.get("/post/carrier").text
    for label in ("层高", "承重", "电力", "行车", "可分割", "最小分割面积", "交付日期", "产权年限"):
        assert label in carrier, label


def test_my_follows_lists_what_the_user_follows_and_drops_what_was_withdrawn(
    client: TestClient, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    assert client.get("/my/follows", follow_redirects=False).status_code == 303
    carrier = add_listing(database, "carrier")
    demand = add_listing(database, "demand")
    login_as(client, make_web_user("f2", Role.member))
    token = csrf_token(client.get(f"/carriers/{carrier}").text)
    for path in (f"/carriers/{carrier}/follow", f"/demands/{demand}/follow"):
        client.post(path, data={"csrf_token": token, "to": "on"}, follow_redirects=False)
    page = client.get("/my/follows")
    assert page.status_code == 200
    assert "松江综保区标准厂房3号楼" in page.text and "电池包轻量化散热方案" in page.text
    with database.unit_of_work() as s:
        row = s.get(Demand, demand)
        assert row is not None
        row.state = "withdrawn"
    page = client.get("/my/follows")
    assert "松江综保区标准厂房3号楼" in page.text and "电池包轻量化散热方案" not in page.text
