"""The listing endpoints every kind shares, exercised through achievements and demands."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import MakeActor, MakeOrganization

ACHIEVEMENT = {
    "title": "高导热石墨烯复合散热膜制备技术",
    "abstract": "采用化学气相沉积与热压复合工艺,面内导热系数≥1500 W/(m·K),已完成中试。",
    "keywords": "石墨烯、散热膜、导热",
    "industry": "新材料/石墨烯",
    "trl": "中试",
    "coop_modes": "转让、许可",
    "price_wan": "300",
    "organization": "示例大学",
    "city": "杭州市余杭区",
    "contact_name": "李晓明",
    "contact_mobile": "13812345678",
}


def test_operator_posts_and_anyone_lists(client: TestClient, make_actor: MakeActor) -> None:
    operator = make_actor("operator")
    created = client.post("/api/v1/achievements", json=ACHIEVEMENT, headers=operator.headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["city"] == "hangzhou"
    assert body["district"] == "余杭区"
    assert body["industry"] == "materials" and body["subfield"] == "石墨烯"
    assert body["trl"] == 6
    assert body["organization_name"] == "示例大学"
    assert body["contact_mobile"] == "13812345678"

    listed = client.get("/api/v1/achievements", params={"city": "hangzhou", "q": "石墨烯"})
    assert listed.status_code == 200
    page = listed.json()
    assert page["total"] == 1
    assert page["items"][0]["contact_mobile"] == "138****5678"
    assert page["items"][0]["contact_name"] == "李**"
    assert page["items"][0]["contact_masked"] is True

    assert client.get("/api/v1/achievements", params={"city": "hefei"}).json()["total"] == 0
    assert client.get("/api/v1/achievements", params={"q": "散热膜"}).json()["total"] == 1


def test_anonymous_cannot_post(client: TestClient) -> None:
    response = client.post("/api/v1/achievements", json=ACHIEVEMENT)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_invalid_fields_are_listed(client: TestClient, make_actor: MakeActor) -> None:
    operator = make_actor("operator")
    bad = {**ACHIEVEMENT, "city": "北京", "contact_mobile": "12345"}
    response = client.post("/api/v1/achievements", json=bad, headers=operator.headers)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"city", "contact_mobile"}


def test_member_posts_for_own_org_only(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    org = make_org("嘉兴示例新能源有限公司", city="jiaxing")
    member = make_actor("member", organization_id=org.id)
    demand = {
        "title": "电池包轻量化散热方案",
        "description": "现有铝制液冷板重量偏大,需减重20%以上。",
        "industry": "新能源汽车",
        "budget": "100-300",
        "city": "嘉兴",
    }
    as_other = {**demand, "organization": "别人的公司"}
    refused = client.post("/api/v1/demands", json=as_other, headers=member.headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["column"] == "需求单位"
    created = client.post("/api/v1/demands", json=demand, headers=member.headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["organization_id"] == org.id
    assert (body["budget_min_wan"], body["budget_max_wan"]) == (100, 300)

    other = make_actor("member", organization_id=make_org().id)
    denied = client.patch(
        f"/api/v1/demands/{body['id']}", json={"budget": "面议"}, headers=other.headers
    )
    assert denied.status_code == 403
    changed = client.patch(
        f"/api/v1/demands/{body['id']}", json={"budget": "面议"}, headers=member.headers
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["budget_negotiable"] is True
    cleared = client.patch(
        f"/api/v1/demands/{body['id']}", json={"budget": None}, headers=member.headers
    )
    assert cleared.json()["budget_negotiable"] is False
    assert cleared.json()["budget_min_wan"] is None
    assert client.delete(f"/api/v1/demands/{body['id']}", headers=member.headers).status_code == 204
    assert client.get(f"/api/v1/demands/{body['id']}").status_code == 404


def test_scoped_operator_cannot_post_outside_scope(
    client: TestClient, make_actor: MakeActor
) -> None:
    operator = make_actor("operator", city_scope=["hefei"])
    response = client.post("/api/v1/achievements", json=ACHIEVEMENT, headers=operator.headers)
    assert response.status_code == 403


def test_organizations_filter_by_their_own_id(
    client: TestClient, make_org: MakeOrganization
) -> None:
    org = make_org("芜湖示例机器人有限公司", city="wuhu")
    make_org()
    page = client.get("/api/v1/organizations", params={"organization_id": org.id}).json()
    assert [item["id"] for item in page["items"]] == [org.id]


def test_filters_accept_names_and_kinds(client: TestClient, make_actor: MakeActor) -> None:
    admin = make_actor("admin")
    factory = {"name": "嘉善标准厂房", "kind": "厂房", "city": "嘉兴市嘉善县", "area": "8000㎡"}
    land = {"name": "长兴工业地块", "kind": "土地", "city": "湖州", "area": "50亩"}
    for body in (factory, land):
        assert client.post("/api/v1/carriers", json=body, headers=admin.headers).status_code == 201
    by_kind = client.get("/api/v1/carriers", params={"kind": "厂房"}).json()
    assert [c["name"] for c in by_kind["items"]] == ["嘉善标准厂房"]
    assert client.get("/api/v1/carriers", params={"kind": "land"}).json()["total"] == 1
    assert client.get("/api/v1/carriers", params={"city": "湖州市"}).json()["total"] == 1
    assert client.get("/api/v1/carriers", params={"city": "jiaxing"}).json()["total"] == 1


def test_unknown_filter_values_are_422(client: TestClient) -> None:
    bad_city = client.get("/api/v1/achievements", params={"city": "北京"})
    assert bad_city.status_code == 422
    assert bad_city.json()["errors"][0]["field"] == "city"
    assert client.get("/api/v1/carriers", params={"kind": "仓库"}).status_code == 422
    assert client.get("/api/v1/achievements", params={"kind": "厂房"}).status_code == 422
    assert client.get("/api/v1/demands", params={"industry": "房地产"}).status_code == 422


def test_q_ranks_by_relevance_and_tolerates_a_typo(
    client: TestClient, make_actor: MakeActor
) -> None:
    operator = make_actor("operator")
    bodies = [
        ACHIEVEMENT,
        {
            **ACHIEVEMENT,
            "title": "锂离子电池热失控蔓延阻断技术",
            "abstract": "以气凝胶隔热垫与定向泄压通道阻断电芯间的热失控蔓延。",
            "keywords": "热失控、电池安全",
            "industry": "新能源汽车",
            "city": "苏州",
        },
        {
            **ACHIEVEMENT,
            "title": "储能电站电池热失控多参数早期预警系统",
            "abstract": "融合气体、温度与电压多参数监测,在电池热失控前数分钟发出预警。",
            "keywords": "热失控、储能安全、预警",
            "industry": "新能源",
            "city": "合肥",
        },
    ]
    ids = []
    for body in bodies:
        created = client.post("/api/v1/achievements", json=body, headers=operator.headers)
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    graphene, spread, warning = ids

    def listed(**params: str | int) -> tuple[list[int], int]:
        page = client.get("/api/v1/achievements", params=params).json()
        return [item["id"] for item in page["items"]], page["total"]

    assert listed() == ([warning, spread, graphene], 3)  # newest first
    assert listed(q="电池包热失控预警")[0][0] == warning  # the only one holding 预警
    assert listed(q="电池热失控蔓延")[0][0] == spread  # by relevance: older, but all the words
    assert listed(q="电池热失控") == ([warning, spread], 2)  # in both titles: newest first
    assert listed(q="电池热失控", page=2, page_size=1) == ([spread], 2)
    assert listed(q="热失控", city="合肥") == ([warning], 1)
    assert listed(q="石墨稀") == ([graphene], 1)
    assert listed(q="量子通信卫星") == ([], 0)


def test_the_owner_withdraws_and_closes_over_http(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    org = make_org("示例大学", city="hangzhou")
    owner = make_actor("member", organization_id=org.id)
    stranger = make_actor("member", organization_id=make_org("别家公司").id)
    created = client.post("/api/v1/achievements", json=ACHIEVEMENT, headers=owner.headers)
    url = f"/api/v1/achievements/{created.json()['id']}"
    assert created.json()["state"] == "active"
    refused = client.post(f"{url}/state", json={"to": "withdrawn"}, headers=stranger.headers)
    assert refused.status_code == 403
    assert client.post(f"{url}/state", json={"to": "withdrawn"}).status_code == 401
    moved = client.post(f"{url}/state", json={"to": "withdrawn"}, headers=owner.headers)
    assert moved.status_code == 200 and moved.json()["state"] == "withdrawn"
    assert client.get(url).status_code == 404  # hidden from the public
    assert client.get("/api/v1/achievements").json()["total"] == 0
    assert client.get(url, headers=owner.headers).json()["state"] == "withdrawn"  # kept
    closed = client.post(f"{url}/state", json={"to": "closed"}, headers=owner.headers)
    assert closed.json()["state"] == "closed"
    again = client.post(f"{url}/state", json={"to": "active"}, headers=owner.headers)
    assert again.status_code == 409 and "已成交" in again.json()["detail"]
    bad = client.post(f"{url}/state", json={"to": "deleted"}, headers=owner.headers)
    assert bad.status_code == 422


def test_what_is_typed_is_stored_and_shown_as_typed(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    # Issue 14: full-width punctuation and ㎡ were rewritten to ",():" and "m2".
    org = make_org("嘉兴示例汽车部件有限公司", city="jiaxing")
    member = make_actor("member", organization_id=org.id)
    title = "铝合金压铸件（转向节、电机壳）：轻量化"
    description = "年需求约5万件，需３０００㎡洁净车间；交期：30天"
    demand = {
        "title": title,
        "description": description,
        "keywords": "转向节，电机壳",
        "industry": "新能源汽车",
        "city": "嘉兴",
        # The organisation named as typed with full-width characters is still the member's own.
        "organization": "嘉兴示例汽车部件有限公司\u3000",
    }
    created = client.post("/api/v1/demands", json=demand, headers=member.headers)
    assert created.status_code == 201, created.text
    shown = client.get(f"/api/v1/demands/{created.json()['id']}").json()
    assert (shown["title"], shown["description"]) == (title, description)
    assert shown["keywords"] == ["转向节", "电机壳"]
    # Searching folds both sides: the half-width form of a typed word finds it.
    assert client.get("/api/v1/demands", params={"q": "转向节"}).json()["total"] == 1


def test_an_organisation_named_in_either_width_is_the_same(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    make_org("上海示例（松江）材料有限公司", city="shanghai")
    operator = make_actor("operator")
    named = {**ACHIEVEMENT, "organization": "上海示例(松江)材料有限公司"}
    created = client.post("/api/v1/achievements", json=named, headers=operator.headers)
    assert created.status_code == 201, created.text
    assert created.json()["organization_name"] == "上海示例（松江）材料有限公司"


def test_the_industry_is_kept_as_typed_beside_the_catalogues(
    client: TestClient, make_actor: MakeActor
) -> None:
    operator = make_actor("operator")
    typed = {**ACHIEVEMENT, "industry": "汽车零部件"}
    created = client.post("/api/v1/achievements", json=typed, headers=operator.headers)
    assert created.status_code == 201, created.text
    body = client.get(f"/api/v1/achievements/{created.json()['id']}").json()
    assert (body["industry"], body["industry_text"]) == ("nev", "汽车零部件")
    assert body["industry_name"] == "新能源汽车/智能网联汽车"


def test_welcomed_and_invested_industries_are_kept_as_typed_and_matched_by_code(
    client: TestClient, make_actor: MakeActor
) -> None:
    operator = make_actor("operator")
    carrier = {
        "name": "嘉兴汽车零部件产业园3号厂房",
        "kind": "厂房",
        "city": "嘉兴",
        "area": "5000㎡",
        "industries": "汽车零部件、新材料",
        "contact_name": "李晓明",
        "contact_mobile": "13812345678",
    }
    created = client.post("/api/v1/carriers", json=carrier, headers=operator.headers)
    assert created.status_code == 201, created.text
    body = client.get(f"/api/v1/carriers/{created.json()['id']}").json()
    assert body["industries"] == ["nev", "materials"]
    assert body["industries_text"] == "汽车零部件、新材料"
    found = client.get("/api/v1/carriers", params={"industry": "新能源汽车"}).json()
    assert [c["id"] for c in found["items"]] == [body["id"]]
    fund = {
        "name": "长三角汽车零部件产业基金",
        "kind": "VC/PE",
        "industries": ["汽车零部件", "人工智能"],
        "contact_name": "李晓明",
        "contact_mobile": "13812345678",
    }
    created = client.post("/api/v1/capital", json=fund, headers=operator.headers)
    assert created.status_code == 201, created.text
    assert created.json()["industries_text"] == "汽车零部件、人工智能"
    assert created.json()["industries"] == ["nev", "ai"]
