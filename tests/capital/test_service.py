"""Capital products take their home city from their organisation, else the first city covered."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import MakeActor, MakeOrganization

FUND = {
    "name": "长三角硬科技天使二期基金",
    "kind": "VC/PE",
    "stages": "天使轮、A轮",
    "industries": "人工智能、集成电路",
    "ticket": "500-3000",
    "cities": "杭州、合肥",
}


def test_city_of_the_owning_organisation(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    org = make_org("苏州示例创业投资管理有限公司", city="suzhou")
    admin = make_actor("admin")
    body = {**FUND, "organization": org.name}
    created = client.post("/api/v1/capital", json=body, headers=admin.headers)
    assert created.status_code == 201, created.text
    assert created.json()["city"] == "suzhou"
    assert created.json()["cities"] == ["hangzhou", "hefei"]
    assert (created.json()["ticket_min_wan"], created.json()["ticket_max_wan"]) == (500, 3000)


def test_first_city_covered_without_an_organisation(
    client: TestClient, make_actor: MakeActor
) -> None:
    admin = make_actor("admin")
    created = client.post("/api/v1/capital", json=FUND, headers=admin.headers)
    assert created.status_code == 201, created.text
    assert created.json()["city"] == "hangzhou"
    listed = client.get("/api/v1/capital", params={"city": "hefei", "industry": "ic"}).json()
    assert listed["total"] == 1
