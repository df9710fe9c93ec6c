"""List and detail pages of the factor kinds: filters in the address, masking as in the API."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
from factorlink.sample.loader import load_sample
from tests.factories import MakeActor, MakeOrganization
from tests.introduction.builders import add_listing
from tests.web.conftest import LoginAs, MakeWebUser

FULL_MOBILE = re.compile(r"(?<![\d*])1[3-9]\d{9}(?!\d)")


def _post(client: TestClient, headers: dict[str, str], path: str, body: dict[str, str]) -> int:
    response = client.post(f"/api/v1/{path}", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.fixture
def listings(client: TestClient, make_actor: MakeActor) -> dict[str, int]:
    operator = make_actor("operator")
    ids = {}
    for n, (city, trl, price, coop) in enumerate(
        [
            ("杭州", "中试", "300", "转让"),
            ("松江", "实验室", "50", "许可"),
            ("嘉兴", "量产", "", "转让"),
        ]
    ):
        ids[city] = _post(
            client,
            operator.headers,
            "achievements",
            {
                "title": f"石墨烯散热膜技术{n}",
                "abstract": "面内导热系数高,已完成中试。",
                "industry": "新材料",
                "trl": trl,
                "price_wan": price or "面议",
                "coop_modes": coop,
                "organization": "示例大学",
                "city": city,
                "contact_name": "李晓明",
                "contact_mobile": f"1381234567{n}",
            },
        )
    return ids


def _ids(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'class="panel result" data-id="(\d+)"', html)}


def test_visitor_sees_masked_contacts(client: TestClient, listings: dict[str, int]) -> None:
    page = client.get("/achievements", params={"q": "石墨烯"})
    assert page.status_code == 200
    assert _ids(page.text) == set(listings.values())
    assert "李**" in page.text and "138****5670" in page.text
    assert not FULL_MOBILE.search(page.text)
    detail = client.get(f"/achievements/{listings['杭州']}")
    assert detail.status_code == 200 and "石墨烯散热膜技术0" in detail.text
    assert "138****5670" in detail.text and not FULL_MOBILE.search(detail.text)
    assert "李晓明" not in detail.text


def test_staff_see_contacts_in_full(
    client: TestClient, listings: dict[str, int], make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    login_as(client, make_web_user("ops", Role.admin))
    detail = client.get(f"/achievements/{listings['杭州']}")
    assert "13812345670" in detail.text and "李晓明" in detail.text


def test_a_mobile_typed_into_a_description_is_masked_like_the_contact(
    client: TestClient, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    text = "急需散热方案,详情请致电 139 0571 2468 或邮件联系。"
    demand = add_listing(database, "demand", description=text)
    for answer in (
        client.get(f"/demands/{demand}").text,
        client.get(f"/api/v1/demands/{demand}").text,
    ):
        assert "139****2468" in answer and "0571 2468" not in answer
    listed = client.get("/api/v1/demands").json()["items"]
    assert [d["description"] for d in listed if d["id"] == demand] == [
        text.replace("139 0571 2468", "139****2468")
    ]
    login_as(client, make_web_user("ops", Role.admin))  # entitled to the contact: sees the text
    assert "139 0571 2468" in client.get(f"/demands/{demand}").text
    assert client.get(f"/api/v1/demands/{demand}").json()["description"] == text


def test_a_company_s_annual_tax_is_not_shown_to_visitors(
    client: TestClient, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    org = add_listing(database, "organization", annual_tax_wan=4321)
    assert "4321" not in client.get(f"/organizations/{org}").text
    assert client.get(f"/api/v1/organizations/{org}").json()["annual_tax_wan"] is None
    login_as(client, make_web_user("ops", Role.admin))
    assert "4321" in client.get(f"/organizations/{org}").text
    assert client.get(f"/api/v1/organizations/{org}").json()["annual_tax_wan"] == 4321


def test_filters_sort_and_the_address(client: TestClient, listings: dict[str, int]) -> None:
    assert _ids(client.get("/achievements?city=杭州").text) == {listings["杭州"]}
    assert _ids(client.get("/achievements?min_trl=6").text) == {listings["杭州"], listings["嘉兴"]}
    assert _ids(client.get("/achievements?price_min=100&price_max=500").text) == {listings["杭州"]}
    assert _ids(client.get("/achievements?coop_mode=许可").text) == {listings["松江"]}
    ordered = client.get("/achievements?sort=price_asc").text
    positions = [ordered.index(f'data-id="{listings[c]}"') for c in ("松江", "杭州", "嘉兴")]
    assert positions == sorted(positions), "cheapest first, 面议 last"
    # The filters survive in the form and in the pager's links.
    page = client.get("/achievements?city=杭州&coop_mode=转让")
    assert '<option value="hangzhou" selected>' in page.text
    assert '<option value="转让" selected>' in page.text


def test_bad_filters_are_explained(client: TestClient) -> None:
    page = client.get("/achievements?city=北京")
    assert page.status_code == 422 and "北京" in page.text
    reversed_range = client.get("/achievements?price_min=500&price_max=100")
    assert reversed_range.status_code == 422 and "最低价不能高于最高价" in reversed_range.text
    assert client.get("/achievements?page=0").status_code == 400


def test_pagination_keeps_the_query(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    operator = make_actor("operator")
    for n in range(23):
        _post(
            client,
            operator.headers,
            "demands",
            {
                "title": f"电池包散热需求{n}",
                "description": "需减重20%以上。",
                "industry": "新能源汽车",
                "organization": "嘉兴某汽车零部件有限公司",
                "city": "嘉兴",
            },
        )
    first = client.get("/demands?q=散热&city=嘉兴")
    assert len(_ids(first.text)) == 20
    assert 'href="?q=%E6%95%A3%E7%83%AD&amp;city=jiaxing&amp;page=2"' in first.text
    second = client.get("/demands?q=散热&city=嘉兴&page=2")
    assert len(_ids(second.text)) == 3


def test_unknown_listing_is_a_404_page(client: TestClient) -> None:
    page = client.get("/capital/424242")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


def test_detail_shows_explained_matches(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
) -> None:
    achievement = add_listing(database, "achievement")
    carrier = add_listing(database, "carrier")
    demand = add_listing(database, "demand", title="石墨烯散热膜需求", keywords="石墨烯、散热膜")
    page = client.get(f"/demands/{demand}")
    assert f'data-kind="achievement" data-id="{achievement}"' in page.text
    assert 'class="criteria"' in page.text and "共同关键词" in page.text
    # A reason is shown only where it applies: nothing "信息不全,不计分".
    assert "信息不全" not in page.text
    assert not FULL_MOBILE.search(page.text)
    experts = client.get(f"/demands/{demand}?target=expert")
    assert 'aria-current="true">专家<' in experts.text
    # Matching a carrier against leads is for operators only.
    assert "?target=lead" not in client.get(f"/carriers/{carrier}").text
    login_as(client, make_web_user("ops", Role.admin))
    assert "?target=lead" in client.get(f"/carriers/{carrier}").text


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/[a-z]+/\d+">([^<]+)</a></h3>', html)


def test_search_finds_by_relevance_on_the_sample_data(
    client: TestClient, database: Database
) -> None:
    with database.unit_of_work() as session:
        load_sample(session, Viewer(user_id=0, role=Role.admin))
    page = client.get("/achievements", params={"q": "电池包热失控预警"})
    titles = _titles(page.text)
    # No listing holds the phrase (a substring search found none); the two on 热失控 lead.
    runaway = {"储能电站电池热失控多参数早期预警系统", "锂离子电池热失控蔓延阻断技术"}
    assert set(titles[:2]) == runaway
    assert '<option value="relevance" selected>相关度</option>' in page.text
    typo = client.get("/achievements", params={"q": "石墨稀"}).text
    graphene = [t for t in _titles(typo) if "石墨烯" in t]
    assert len(graphene) == 4 and "石墨烯" in _titles(typo)[0]
    assert "已同时搜索" in typo and 'href="?q=%E7%9F%B3%E5%A2%A8%E7%83%AF"' in typo
    # The same matches by date when asked; the newest first without a query.
    by_date = client.get("/achievements", params={"q": "石墨烯", "sort": "newest"}).text
    assert sorted(_titles(by_date)) == sorted(_titles(client.get("/achievements?q=石墨烯").text))
    plain = client.get("/achievements").text
    assert '<option value="relevance" selected>最新发布</option>' in plain
    assert 'value="newest"' not in plain, "without a query the default is the newest first"


def test_an_empty_result_offers_to_post_the_need(
    client: TestClient,
    listings: dict[str, int],
    make_org: MakeOrganization,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
) -> None:
    page = client.get("/carriers", params={"q": "洁净厂房"})
    assert page.status_code == 200 and 'id="no-results"' in page.text
    assert "没有找到相关结果:“洁净厂房”" in page.text
    need = "need=%E6%B4%81%E5%87%80%E5%8E%82%E6%88%BF"
    assert f'href="/leads/new?lead_type=space&amp;{need}"' in page.text
    assert "/post/" not in page.text.split('id="no-results"')[1], "visitors: the lead form only"
    login_as(client, make_web_user("member", Role.member, organization_id=make_org().id))
    empty = client.get("/achievements", params={"q": "量子通信卫星", "city": "杭州"}).text
    routes = empty.split('id="no-results"')[1]
    assert "试试放宽筛选条件" in routes
    assert 'href="/leads/new?lead_type=technology&amp;need=' in routes
    assert 'href="/post/demand?title=%E9%87%8F%E5%AD%90' in routes and "发布技术需求" in routes
    client.cookies.set("factorlink_lang", "en")
    english = client.get("/capital", params={"q": "量子通信卫星"}).text
    assert "Nothing found for" in english and "Send a request" in english
    assert 'href="/leads/new?lead_type=capital&amp;need=' in english


def test_a_listing_shows_its_text_and_industry_as_typed(
    client: TestClient, database: Database
) -> None:
    # Issue 14: "（转向节、电机壳），" became "(转向节、电机壳),", 汽车零部件 became 新能源汽车/….
    title = "铝合金压铸件（转向节、电机壳），求轻量化方案"
    demand = add_listing(database, "demand", title=title, industry="汽车零部件")
    page = client.get(f"/demands/{demand}").text
    assert title in page
    assert "<dd>汽车零部件</dd>" in page


def test_a_carriers_welcomed_industries_are_shown_as_typed(
    client: TestClient, database: Database
) -> None:
    carrier = add_listing(database, "carrier", industries="汽车零部件、新材料")
    page = client.get(f"/carriers/{carrier}").text
    assert "<dd>汽车零部件、新材料</dd>" in page
    # Matched and filtered by the catalogue's: 汽车零部件 is filed under 新能源汽车.
    listed = client.get("/carriers", params={"industry": "新能源汽车"}).text
    assert f'href="/carriers/{carrier}"' in listed
