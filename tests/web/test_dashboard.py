"""The home dashboard."""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

from fastapi.testclient import TestClient

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
from factorlink.sample.loader import load_sample
from tests.web.conftest import LoginAs, MakeWebUser

ADMIN = Viewer(user_id=0, role=Role.admin)


def _chart_data(html: str) -> dict[str, Any]:
    found = re.search(r'id="dashboard-data">(.*?)</script>', html, re.S)
    assert found
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_empty_dashboard(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "要素总览" in page.text and "走廊九城" in page.text
    data = _chart_data(page.text)
    assert [c["code"] for c in data["corridor"]][:2] == ["songjiang", "jiaxing"]
    assert len(data["corridor"]) == 9
    assert data["by_city"] == []


def test_dashboard_shows_the_sample_figures(client: TestClient, database: Database) -> None:
    with database.unit_of_work() as session:
        _reports, _activity = load_sample(session, ADMIN)
    page = client.get("/")
    data = _chart_data(page.text)
    assert sum(c["listings"] for c in data["corridor"]) > 0
    assert data["by_month"], "the sample has signed deals"
    amount = sum(r["amount"] for r in data["by_city"])
    assert amount > 0
    assert '<script src="/static/vendor/echarts/echarts.min.js"' in page.text
    assert client.get("/static/js/dashboard.js").status_code == 200


def test_pages_refuse_framing_and_foreign_scripts(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"


def test_the_home_chart_agrees_with_the_api_city_by_city(
    client: TestClient, database: Database
) -> None:
    with database.unit_of_work() as session:
        load_sample(session, ADMIN)
    data = _chart_data(client.get("/").text)
    assert all(r["label"] != "—" for r in data["by_city"])
    with_deals = [c for c in data["corridor"] if c["deals"]]
    assert with_deals, "the sample has signed deals"
    for city in data["corridor"]:
        api = client.get("/api/v1/stats", params={"city": city["code"]}).json()["deals"]
        assert (city["deals"], city["amount_wan"]) == (api["count"], api["amount_wan"]), city
    bars = {r["label"]: (r["count"], r["amount"]) for r in data["by_city"]}
    assert bars == {c["name"]: (c["deals"], c["amount_wan"]) for c in with_deals}


def test_the_monthly_chart_has_every_month(client: TestClient, database: Database) -> None:
    with database.unit_of_work() as session:
        load_sample(session, ADMIN)
    months = [r["label"] for r in _chart_data(client.get("/").text)["by_month"]]
    assert months and months == sorted(months)
    for earlier, later in itertools.pairwise(months):
        year, month = int(earlier[:4]), int(earlier[5:])
        assert later == (f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}")
    script = client.get("/static/js/dashboard.js").text
    assert "smooth: true" not in script


def test_city_and_period_filters(client: TestClient, database: Database) -> None:
    with database.unit_of_work() as session:
        load_sample(session, ADMIN)
    page = client.get("/", params={"city": "jiaxing", "from": "2025-01", "to": "2025-06"})
    assert page.status_code == 200
    data = _chart_data(page.text)
    assert [r["label"] for r in data["by_month"]] == [f"2025-{m:02d}" for m in range(1, 7)]
    assert {r["label"] for r in data["by_city"]} <= {"嘉兴"}
    api = client.get(
        "/api/v1/stats", params={"city": "jiaxing", "from": "2025-01", "to": "2025-06"}
    )
    deals = api.json()["deals"]
    assert sum(r["count"] for r in data["by_month"]) == deals["count"]
    assert '<option value="jiaxing" selected>' in page.text
    assert 'href="/api/v1/stats?city=jiaxing&amp;from=2025-01&amp;to=2025-06"' in page.text
    assert "统计范围" in page.text and "嘉兴 · 2025-01 至 2025-06" in page.text


def test_a_bad_month_is_named_on_the_page(client: TestClient) -> None:
    page = client.get("/", params={"from": "2026-13"})
    assert page.status_code == 200
    assert 'id="err-from"' in page.text and "2026-13" in page.text
    assert "筛选条件有误" in page.text


def test_an_operator_sees_their_cities_by_default(
    client: TestClient, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    operator = make_web_user("op-dashboard", Role.operator, city_scope=["wuhu", "jiaxing"])
    login_as(client, operator)
    page = client.get("/")
    assert '<option value="mine" selected>我的城市(芜湖、嘉兴)</option>' in page.text
    assert "统计范围" in page.text and "芜湖、嘉兴" in page.text
    assert "city=wuhu&amp;city=jiaxing" in page.text
    everything = client.get("/", params={"city": "all"})
    assert '<option value="all" selected>' in everything.text
    assert "我的城市" in everything.text


def test_a_visitor_sees_every_city_by_default(client: TestClient) -> None:
    page = client.get("/")
    assert '<option value="all" selected>' in page.text
    assert 'value="mine"' not in page.text


def test_the_home_charts_name_cities_and_industries_in_english(
    client: TestClient, database: Database
) -> None:
    # Issue 14: in English mode the chart and its data table named the cities in Chinese.
    with database.unit_of_work() as session:
        load_sample(session, ADMIN)
    client.get("/lang/en")
    page = client.get("/").text
    data = _chart_data(page)
    labels = {r["label"] for r in data["by_city"]} | {r["label"] for r in data["by_industry"]}
    assert "Jiaxing" in labels and not any(re.search(r"[\u4e00-\u9fff]", x) for x in labels)
    assert '<th scope="row">Jiaxing</th>' in page
