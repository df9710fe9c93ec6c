"""The workspace import page under the import limits: rows, errors kept, imports per user."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from httpx2 import Response

from factorlink.api.app import create_app
from factorlink.auth.models import Role
from factorlink.config import Settings
from factorlink.db.session import Database
from tests.imports.builders import achievement, csv_bytes
from tests.web.conftest import LoginAs, MakeWebUser, csrf_token


def _post(client: TestClient, data: bytes, **fields: str) -> Response:
    token = csrf_token(client.get("/workspace/import").text)
    return client.post(
        "/workspace/import",
        data={"csrf_token": token, "kind": "achievement", **fields},
        files={"file": ("成果.csv", data, "text/csv")},
    )


def test_the_page_names_the_row_limit_and_lists_the_first_errors(
    settings: Settings, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    limited = settings.model_copy(update={"import_max_rows": 6, "import_max_errors": 2})
    with TestClient(create_app(limited, database)) as client:
        login_as(client, make_web_user("ops", Role.operator))
        too_long = _post(client, csv_bytes([achievement(f"A{i}") for i in range(7)]))
        assert too_long.status_code == 422
        assert "“成果.csv”:数据行超过上限6行" in html.unescape(too_long.text)

        rows = [achievement(f"B{i}", 手机号="1") for i in range(5)] + [achievement("OK")]
        report = _post(client, csv_bytes(rows), skip_invalid="yes")
        assert report.status_code == 200, report.text
        page = html.unescape(report.text)
        assert 'id="count-rejected">5<' in page and 'id="count-created">1<' in page
        assert page.count("<tr><td>") == 2
        assert 'id="errors-omitted">另有3条错误未列出' in page


def test_imports_from_the_page_and_the_api_count_against_one_limit(
    settings: Settings,
    database: Database,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
) -> None:
    limited = settings.model_copy(update={"import_rate_limit": 2})
    data = csv_bytes([achievement("A1")])
    with TestClient(create_app(limited, database)) as client:
        login_as(client, make_web_user("ops", Role.operator))
        assert _post(client, data, dry_run="yes").status_code == 200
        token = csrf_token(client.get("/workspace/import").text)
        api = client.post(
            "/api/v1/imports",
            params={"kind": "achievement", "dry_run": "true"},
            files={"file": ("成果.csv", data, "text/csv")},
            headers={"X-CSRF-Token": token},
        )
        assert api.status_code == 200, api.text
        refused = _post(client, data, dry_run="yes")
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        assert "导入过于频繁" in html.unescape(refused.text)
