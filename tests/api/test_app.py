"""The app: what it builds once, and that its requests share it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from factorlink.api.app import create_app
from factorlink.auth.throttle import LoginThrottle
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.lead.ratelimit import SlidingWindowLimiter
from factorlink.web.downloads import DownloadStore
from tests.introduction.builders import LEAD

_TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


def test_the_per_app_objects_are_built_with_the_app(settings: Settings, database: Database) -> None:
    mine = settings.model_copy(update={"lead_rate_limit": 7, "lead_rate_window_seconds": 90})
    app = create_app(mine, database)
    state = app.state
    # Before any request: nothing is made on first use.
    assert state.settings is mine and state.database is database
    assert isinstance(state.login_throttle, LoginThrottle)
    assert isinstance(state.downloads, DownloadStore)
    assert isinstance(state.lead_limiter, SlidingWindowLimiter)
    assert (state.lead_limiter.limit, state.lead_limiter.window) == (7, 90)
    other = create_app(mine, database).state
    assert other.login_throttle is not state.login_throttle
    assert other.lead_limiter is not state.lead_limiter
    assert other.downloads is not state.downloads


def test_the_api_and_the_lead_form_count_against_one_limit(
    settings: Settings, database: Database
) -> None:
    app = create_app(settings.model_copy(update={"lead_rate_limit": 2}), database)
    with TestClient(app) as client:
        limiter = app.state.lead_limiter
        assert client.post("/api/v1/leads", json=LEAD).status_code == 201
        found = _TOKEN.search(client.get("/leads/new").text)
        assert found is not None
        form = {
            "lead_type": "space",
            "need": "寻找5000平方米标准厂房",
            "purpose": "新建产线",
            "company": "某新材料有限公司",
            "contact_name": "孙总",
            "contact_mobile": "13600004444",
            "consent": "yes",
            "csrf_token": found.group(1),
        }
        assert client.post("/leads/new", data=form).status_code == 200
        refused = client.post("/api/v1/leads", json=LEAD)
        assert refused.status_code == 429
        again = client.post("/leads/new", data=form)
        assert again.status_code == 429 and "提交过于频繁" in again.text
        assert app.state.lead_limiter is limiter
