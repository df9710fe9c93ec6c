"""GET /api/v1/index/frameworks, /index/results and /index/cities/{city}."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_frameworks_describe_the_five_dimensions(client: TestClient) -> None:
    response = client.get("/api/v1/index/frameworks")
    assert response.status_code == 200
    [framework] = response.json()
    assert framework["code"] == "g60_index" and framework["sample"] is True
    assert [d["name"] for d in framework["dimensions"]] == [
        "资源共享",
        "科创成效",
        "创新集群",
        "开放生态",
        "制度创新",
    ]
    indicators = [i for d in framework["dimensions"] for i in d["indicators"]]
    assert len(indicators) == 20
    startup = next(i for i in indicators if i["code"] == "startup_days")
    assert startup["direction"] == -1 and startup["unit"] == "天"
    assert framework["years"] == [2019, 2020, 2021, 2022, 2023, 2024]
    assert framework["base_year"] == 2019


def test_results_of_the_latest_year_best_first(client: TestClient) -> None:
    body = client.get("/api/v1/index/results").json()
    assert body["year"] == 2024 and body["sample"] is True
    ranks = [u["index"]["rank"] for u in body["units"]]
    assert ranks == sorted(ranks) and ranks[0] == 1 and len(ranks) == 9
    scores = [u["index"]["score"] for u in body["units"]]
    assert scores == sorted(scores, reverse=True)
    top = body["units"][0]
    assert len(top["dimensions"]) == 5 and top["index"]["growth_percent"] > 0
    overall = {o["code"]: o for o in body["overall"]}
    assert set(overall) == {
        "sharing",
        "outcomes",
        "clusters",
        "openness",
        "institutions",
        "g60_index",
    }
    assert all(0 < o["growth_percent"] < 150 for o in overall.values())


def test_results_of_the_base_year_have_no_growth_yet(client: TestClient) -> None:
    body = client.get("/api/v1/index/results", params={"year": 2019}).json()
    assert {u["index"]["growth_percent"] for u in body["units"]} == {0.0}
    assert {u["index"]["cagr_percent"] for u in body["units"]} == {None}
    # Each indicator is relative to the cities' 2019 mean, so the 2019 averages are 100 (up to
    # the one lower-is-better indicator, scored as mean / value).
    scores = {o["code"]: o["score"] for o in body["overall"]}
    assert {scores[c] for c in ("sharing", "outcomes", "clusters", "openness")} == {100.0}
    assert 100 < scores["institutions"] < 100.5 and 100 < scores["g60_index"] < 100.1


def test_a_year_without_results_is_not_found(client: TestClient) -> None:
    response = client.get("/api/v1/index/results", params={"year": 2030})
    assert response.status_code == 404
    assert "2030" in response.json()["detail"]
    assert client.get("/api/v1/index/results", params={"year": "abc"}).status_code == 422


def test_a_city_profile_by_name_or_code(client: TestClient) -> None:
    by_name = client.get("/api/v1/index/cities/松江").json()
    by_code = client.get("/api/v1/index/cities/songjiang").json()
    assert by_name == by_code
    assert by_name["unit"] == "songjiang" and by_name["name"] == "上海松江"
    assert [y["year"] for y in by_name["years"]] == [2019, 2020, 2021, 2022, 2023, 2024]
    interval = by_name["interval"]
    assert interval["runs"] == 1000 and interval["low"] <= interval["median"] <= interval["high"]
    assert by_name["indicators_year"] == 2024 and len(by_name["indicators"]) == 20
    patents = next(i for i in by_name["indicators"] if i["code"] == "invention_patents")
    assert patents["unit"] == "件/万人" and patents["raw"] > 1000  # the city's total
    assert 10 < patents["value"] < 100  # per 10,000 people: divided by the population


def test_unknown_cities_are_refused(client: TestClient) -> None:
    for city in ("北京", "nowhere"):
        response = client.get(f"/api/v1/index/cities/{city}")
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "city"
