"""The app: what it builds once, that its requests share it, and that its settings are the
only ones it reads."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from factorlink.api.app import create_app
from factorlink.auth.throttle import LoginThrottle
from factorlink.config import Settings, get_settings
from factorlink.db.session import Database
from factorlink.lead.ratelimit import SlidingWindowLimiter
from factorlink.matching.fit.config import DEFAULT_FIT_FILE, get_fit_config
from factorlink.matching.service import fit_config_of_session
from factorlink.reference import city_name, get_region
from factorlink.reference.loader import DEFAULT_REGION_FILE
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


def _region_file(path: Path, corridor: str, jiaxing: str) -> Path:
    data: dict[str, Any] = yaml.safe_load(DEFAULT_REGION_FILE.read_text(encoding="utf-8"))
    data["corridor"] = corridor
    for city in data["cities"]:
        if city["code"] == "jiaxing":
            city["name"] = jiaxing
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _fit_file(path: Path, weight: int) -> Path:
    data: dict[str, Any] = yaml.safe_load(DEFAULT_FIT_FILE.read_text(encoding="utf-8"))
    data["directions"]["demand"]["expert"] = {"industry": {"weight": weight, "hard": True}}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def environment_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The environment names a region and fit rules of its own."""
    region = _region_file(tmp_path / "env-region.yaml", "环境走廊", "嘉兴(环境)")
    monkeypatch.setenv("FACTORLINK_REGION_FILE", str(region))
    monkeypatch.setenv("FACTORLINK_MATCHING_FIT_FILE", str(_fit_file(tmp_path / "env-fit.yaml", 4)))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _seen() -> dict[str, Any]:
    """What a caller reading the current settings sees."""
    rule = get_fit_config().rules("demand", "expert")["industry"]
    return {"corridor": get_region().name, "jiaxing": city_name("jiaxing"), "weight": rule.weight}


@pytest.mark.usefixtures("environment_files")
def test_an_app_reads_the_data_files_of_its_own_settings(
    settings: Settings, tmp_path: Path
) -> None:
    mine = settings.model_copy(
        update={
            "region_file": _region_file(tmp_path / "app-region.yaml", "应用走廊", "嘉兴(应用)"),
            "matching_fit_file": _fit_file(tmp_path / "app-fit.yaml", 6),
        }
    )
    expected = {"corridor": "应用走廊", "jiaxing": "嘉兴(应用)", "weight": 6.0}
    assert _seen() == {"corridor": "环境走廊", "jiaxing": "嘉兴(环境)", "weight": 4.0}
    database = Database(mine)
    try:
        app = create_app(mine, database)

        @app.get("/test/seen")
        def seen() -> dict[str, Any]:  # run in the thread pool
            return _seen()

        @app.get("/test/seen-async")
        async def seen_async() -> dict[str, Any]:  # run on the event loop
            return _seen()

        with TestClient(app) as client:
            cities = client.get("/api/v1/reference/cities").json()
            assert {c["code"]: c["name"] for c in cities}["jiaxing"] == "嘉兴(应用)"
            assert client.get("/test/seen").json() == expected
            assert client.get("/test/seen-async").json() == expected

        # Work on the app's database off any request (a background thread) reads them too.
        found: dict[str, Any] = {}

        def work() -> None:
            with database.unit_of_work() as session:
                found.update(
                    _seen(),
                    session_weight=fit_config_of_session(session)
                    .rules("demand", "expert")["industry"]
                    .weight,
                )

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        assert found == {**expected, "session_weight": 6.0}
    finally:
        database.dispose()
    # Outside the app and its database, the process's settings apply as before.
    assert _seen() == {"corridor": "环境走廊", "jiaxing": "嘉兴(环境)", "weight": 4.0}
