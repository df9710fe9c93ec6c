"""The home dashboard."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
from factorlink.sample.loader import load_sample

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
