"""The achievement API takes patent numbers (checked), their status, the rights holder and the
listing period."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import MakeActor

BODY = {
    "title": "高导热石墨烯复合散热膜",
    "abstract": "面内导热系数≥1500 W/(m·K)。",
    "industry": "新材料",
    "organization": "示例大学",
    "city": "杭州",
}


def test_patents_and_period_round_trip(client: TestClient, make_actor: MakeActor) -> None:
    operator = make_actor("operator")
    body = {
        **BODY,
        "patent_numbers": ["ZL 202310123456.6"],
        "patent_status": "实质审查",
        "rights_holder": "示例大学",
        "listing_period": "2026-01-01至2026-12-31",
    }
    created = client.post("/api/v1/achievements", json=body, headers=operator.headers)
    assert created.status_code == 201, created.text
    got = created.json()
    assert got["patent_numbers"] == ["ZL202310123456.6"] and got["patent_status"] == "实审"
    assert (got["listed_from"], got["listed_until"]) == ("2026-01-01", "2026-12-31")


def test_a_patent_number_failing_its_check_is_refused(
    client: TestClient, make_actor: MakeActor
) -> None:
    operator = make_actor("operator")
    body = {**BODY, "patent_numbers": "ZL202310123456.7"}
    response = client.post("/api/v1/achievements", json=body, headers=operator.headers)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "patent_numbers" and "应为6" in error["reason"]
