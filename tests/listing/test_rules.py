"""Rules every listing kind shares: who may change what, codes, deletion, ids, numbers."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from factorlink.db.session import Database
from factorlink.introduction.models import Introduction, PartyKind
from tests.factories import MakeActor, MakeOrganization

FUND = {"name": "松江科创天使基金", "kind": "VC/PE", "cities": "松江、嘉兴", "ticket": "100-500"}
ACHIEVEMENT = {
    "title": "工业视觉缺陷检测系统",
    "abstract": "基于深度学习的表面缺陷检测,漏检率低于0.1%。",
    "industry": "人工智能/机器视觉",
    "organization": "示例理工大学",
    "city": "苏州",
}


def test_members_keep_their_own_organisation_up_to_date(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    org = make_org("湖州示例新材料有限公司", city="huzhou")
    member = make_actor("member", organization_id=org.id)
    stranger = make_actor("member", organization_id=make_org().id)
    path = f"/api/v1/organizations/{org.id}"
    assert (
        client.patch(path, json={"annual_tax_wan": 120}, headers=stranger.headers).status_code
        == 403
    )
    changed = client.patch(path, json={"annual_tax_wan": 120}, headers=member.headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["annual_tax_wan"] == 120


def test_scoped_operators_treat_capital_by_its_home_city(
    client: TestClient, make_actor: MakeActor
) -> None:
    songjiang = make_actor("operator", city_scope=["songjiang"])
    hefei = make_actor("operator", city_scope=["hefei"])
    assert client.post("/api/v1/capital", json=FUND, headers=hefei.headers).status_code == 403
    created = client.post("/api/v1/capital", json=FUND, headers=songjiang.headers)
    assert created.status_code == 201, created.text
    path = f"/api/v1/capital/{created.json()['id']}"
    assert (
        client.patch(path, json={"ticket": "200-800"}, headers=songjiang.headers).status_code == 200
    )
    assert client.patch(path, json={"ticket": "200-800"}, headers=hefei.headers).status_code == 403
    assert client.delete(path, headers=hefei.headers).status_code == 403
    moved_away = client.patch(path, json={"cities": "合肥"}, headers=songjiang.headers)
    assert moved_away.status_code == 403
    assert client.get(path).json()["cities"] == ["songjiang", "jiaxing"]
    assert client.delete(path, headers=songjiang.headers).status_code == 204


def test_a_blank_code_in_a_change_keeps_the_code(client: TestClient, make_actor: MakeActor) -> None:
    admin = make_actor("admin")
    created = client.post(
        "/api/v1/achievements", json={**ACHIEVEMENT, "code": "G60-ACH-9"}, headers=admin.headers
    ).json()
    path = f"/api/v1/achievements/{created['id']}"
    for blank in (None, "", "  "):
        changed = client.patch(path, json={"code": blank, "trl": "7"}, headers=admin.headers)
        assert changed.status_code == 200, changed.text
        assert changed.json()["code"] == "G60-ACH-9"


def test_a_listing_in_an_introduction_cannot_be_deleted(
    client: TestClient, database: Database, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    admin = make_actor("admin")
    created = client.post("/api/v1/achievements", json=ACHIEVEMENT, headers=admin.headers).json()
    org = make_org()
    with database.unit_of_work() as session:
        session.add(
            Introduction(
                party_a_kind=PartyKind.organization, party_a_id=org.id,
                party_b_kind=PartyKind.achievement, party_b_id=created["id"],
            )
        )  # fmt: skip
    response = client.delete(f"/api/v1/achievements/{created['id']}", headers=admin.headers)
    assert response.status_code == 409
    assert "对接" in response.json()["detail"]
    assert client.get(f"/api/v1/achievements/{created['id']}").status_code == 200


def test_ids_beyond_the_integer_range_are_not_found_or_invalid(client: TestClient) -> None:
    for path in ("/api/v1/achievements/100000000000000000000", "/api/v1/demands/2147483648"):
        assert client.get(path).status_code == 422
    listed = client.get("/api/v1/organizations", params={"organization_id": 2**40})
    assert listed.status_code == 422


def test_numbers_must_be_finite(client: TestClient, make_actor: MakeActor) -> None:
    admin = make_actor("admin")
    for price in ('"inf"', '"nan"', '"1e400"', "1e400"):  # the last a JSON number, read as inf
        body = json.dumps(ACHIEVEMENT, ensure_ascii=False)[:-1] + f', "price_wan": {price}}}'
        response = client.post(
            "/api/v1/achievements",
            content=body.encode(),
            headers={**admin.headers, "content-type": "application/json"},
        )
        assert response.status_code == 422, (price, response.text)
        assert response.json()["errors"][0]["field"] == "price_wan"


def test_file_names_of_imports_are_shown_to_staff_only(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    admin = make_actor("admin")
    created = client.post("/api/v1/achievements", json=ACHIEVEMENT, headers=admin.headers).json()
    with database.unit_of_work() as session:
        from factorlink.achievement.models import Achievement

        row = session.get(Achievement, created["id"])
        assert row is not None
        row.source = "张三的成果清单.xlsx"
    path = f"/api/v1/achievements/{created['id']}"
    assert client.get(path).json()["source"] == "import"
    assert client.get(path, headers=admin.headers).json()["source"] == "张三的成果清单.xlsx"
