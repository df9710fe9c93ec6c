"""Organisations through the API: registration, credit-code checks, duplicates."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import MakeActor

ORG = {
    "name": "嘉兴示例光电科技有限公司",
    "kind": "企业",
    "credit_code": "91330100799655058B",
    "city": "浙江省嘉兴市南湖区",
    "industry": "集成电路/功率器件",
    "annual_tax_wan": "850",
    "contact_name": "陈思远",
    "contact_mobile": "13900002222",
}


def test_operator_registers_an_organisation(client: TestClient, make_actor: MakeActor) -> None:
    admin = make_actor("admin")
    response = client.post("/api/v1/organizations", json=ORG, headers=admin.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["kind"], body["city"], body["district"]) == ("enterprise", "jiaxing", "南湖区")
    assert (body["industry"], body["subfield"]) == ("ic", "功率器件")
    assert body["annual_tax_wan"] == 850
    assert body["code"].startswith("ORG-")


def test_bad_credit_code_is_a_422_naming_the_field(
    client: TestClient, make_actor: MakeActor
) -> None:
    admin = make_actor("admin")
    bad = {**ORG, "credit_code": "91330100799655058C"}
    response = client.post("/api/v1/organizations", json=bad, headers=admin.headers)
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["field"] == "credit_code"
    assert "校验位" in problem["errors"][0]["reason"]


def test_duplicates_are_conflicts(client: TestClient, make_actor: MakeActor) -> None:
    admin = make_actor("admin")
    assert client.post("/api/v1/organizations", json=ORG, headers=admin.headers).status_code == 201
    same_code = {**ORG, "name": "另一家公司"}
    response = client.post("/api/v1/organizations", json=same_code, headers=admin.headers)
    assert response.status_code == 409
    assert "91330100799655058B" in response.json()["detail"]
    same_name = {**ORG, "credit_code": "91440300708461136T"}
    assert (
        client.post("/api/v1/organizations", json=same_name, headers=admin.headers).status_code
        == 409
    )


def test_members_cannot_register_organisations(client: TestClient, make_actor: MakeActor) -> None:
    member = make_actor("member")
    response = client.post("/api/v1/organizations", json=ORG, headers=member.headers)
    assert response.status_code == 403
