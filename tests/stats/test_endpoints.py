"""GET /api/v1/stats."""

from __future__ import annotations

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
    }
    assert body["deals"]["by_month"] == [
        {"key": "2026-03", "name": "2026-03", "count": 2, "amount_wan": 150.0}
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
