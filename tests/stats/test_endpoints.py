"""GET /api/v1/stats."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient


def test_stats_over_http_with_filters(client: TestClient, corridor: dict[str, int]) -> None:
    response = client.get(
        "/api/v1/stats", params={"from": "2026-02", "to": "2026-03", "city": "松江"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["filters"] == {
        "from_month": "2026-02",
        "to_month": "2026-03",
        "city": "songjiang",
        "city_name": "上海松江",
        "cities": ["songjiang"],
        "city_names": ["上海松江"],
    }
    assert body["deals"]["by_month"] == [
        {"key": "2026-02", "label": "2026-02", "count": 0, "amount_wan": 0.0},
        {"key": "2026-03", "label": "2026-03", "count": 2, "amount_wan": 150.0},
    ]
    assert body["introductions"]["total"] == 2  # 2 and 3; 5 was proposed in April
    whole = client.get("/api/v1/stats").json()
    assert (whole["deals"]["count"], whole["deals"]["amount_wan"]) == (3, 410.0)
    assert whole["introductions"]["cross_city_share"] == 0.8


def test_stats_hold_no_personal_data(client: TestClient, corridor: dict[str, int]) -> None:
    text = client.get("/api/v1/stats").text
    assert "13812345678" not in text and "李晓明" not in text and "张伟" not in text


def test_bad_month_is_a_problem(client: TestClient) -> None:
    response = client.get("/api/v1/stats", params={"from": "2026-3"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "from"


def test_city_filter_takes_a_code_or_a_name(client: TestClient, corridor: dict[str, int]) -> None:
    reports = [
        client.get("/api/v1/stats", params={"city": city}).json()
        for city in ("songjiang", "松江", "上海市松江区", "松江区")
    ]
    assert all(r["filters"]["city"] == "songjiang" for r in reports)
    assert all(r == reports[0] for r in reports)
    assert reports[0]["deals"]["count"] == 2


@pytest.mark.parametrize("city", ["nowhere", "北京"])
def test_unknown_city_is_a_problem(client: TestClient, city: str) -> None:
    response = client.get("/api/v1/stats", params={"city": city})
    assert response.status_code == 422
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == ["city"]
    assert city in problem["errors"][0]["reason"]


@pytest.mark.parametrize(
    ("name", "value"), [("city", "松" * 51), ("from", "2026-03" * 10)], ids=["city", "from"]
)
def test_overlong_filters_are_refused_without_being_echoed(
    client: TestClient, name: str, value: str
) -> None:
    response = client.get("/api/v1/stats", params={name: value})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in (name, f"{name}.0")
    assert value not in response.text


def test_a_city_repeated_keeps_several(client: TestClient, corridor: dict[str, int]) -> None:
    body = client.get("/api/v1/stats", params=[("city", "嘉兴"), ("city", "合肥")]).json()
    assert body["filters"]["cities"] == ["jiaxing", "hefei"]
    assert body["introductions"]["total"] == 3


def _buckets(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Every list of buckets in a report, by where it is."""
    found = {f"listings.{k['kind']}.by_city": k["by_city"] for k in report["listings"]}
    found["leads.by_type"] = report["leads"]["by_type"]
    found["leads.by_status"] = report["leads"]["by_status"]
    found["introductions.by_status"] = report["introductions"]["by_status"]
    for group in ("by_city", "by_industry", "by_month"):
        found[f"deals.{group}"] = report["deals"][group]
    return found


def test_every_breakdown_has_the_same_bucket_shape(
    client: TestClient, corridor: dict[str, int]
) -> None:
    buckets = _buckets(client.get("/api/v1/stats").json())
    assert all(buckets.values())
    for where, rows in buckets.items():
        extra = {"amount_wan"} if where.startswith("deals.") else set()
        for row in rows:
            assert set(row) == {"key", "label", "count"} | extra, where
            assert isinstance(row["label"], str) and isinstance(row["count"], int), where
    assert {"key": "songjiang", "label": "上海松江", "count": 1} in buckets[
        "listings.demand.by_city"
    ]
    assert {"key": "technology", "label": "技术", "count": 1} in buckets["leads.by_type"]


def test_the_bucket_fields_are_documented(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    bucket, deal = schemas["Bucket"], schemas["DealBucket"]
    assert set(bucket["properties"]) == {"key", "label", "count"}
    assert set(deal["properties"]) == {"key", "label", "count", "amount_wan"}
    for name in ("key", "label", "count"):
        assert bucket["properties"][name].get("description"), name
    assert deal["properties"]["amount_wan"].get("description")
    stats = schemas["StatsOut"]["properties"]
    assert stats["deals"]["$ref"].endswith("DealStats")
    assert schemas["DealStats"]["properties"]["by_city"]["items"]["$ref"].endswith("DealBucket")
    assert schemas["LeadStats"]["properties"]["by_type"]["items"]["$ref"].endswith("/Bucket")


def test_months_outside_the_calendar_are_invalid(client: TestClient) -> None:
    for query in ({"to": "9999-12"}, {"from": "0000-01"}, {"from": "2026-13"}):
        response = client.get("/api/v1/stats", params=query)
        assert response.status_code == 422, (query, response.text)
