"""The workspace import page under the import limits: rows, errors kept, imports per user."""

from __future__ import annotations

import html
import re

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


DEMAND = {
    "需求名称*": "电池包轻量化散热方案",
    "需求描述*": "现有铝制液冷板重量偏大,需减重20%以上。",
    "所属行业*": "新能源汽车",
    "需求单位*": "嘉兴示例新能源有限公司",
    "所在城市*": "嘉兴",
}


def _upload(client: TestClient, name: str, data: bytes, **fields: str) -> Response:
    token = csrf_token(client.get("/workspace/import").text)
    return client.post(
        "/workspace/import",
        data={"csrf_token": token, **fields},
        files={"file": (name, data, "text/csv")},
    )


def test_the_kind_is_told_by_the_headers_by_default(
    client: TestClient, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    login_as(client, make_web_user("ops", Role.operator))
    form = client.get("/workspace/import").text
    assert '<option value="auto" selected>按表头自动识别</option>' in form
    # The answer opens at the report (on a phone it is below the form and the templates).
    assert 'action="/workspace/import#report"' in form
    page = _upload(client, "需求.csv", csv_bytes([DEMAND]))
    assert page.status_code == 200, page.text
    text = html.unescape(page.text)
    assert 'id="kind-detected">已按表头识别为“技术需求”' in text
    assert 'id="count-created">1<' in text


def test_a_file_of_another_kind_says_what_it_looks_like(
    client: TestClient, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    login_as(client, make_web_user("ops", Role.operator))
    page = _upload(client, "需求.csv", csv_bytes([DEMAND]), kind="organization")
    assert page.status_code == 422
    text = html.unescape(page.text)
    assert "这个文件看起来是“技术需求”文件" in text
    assert '<option value="organization" selected>' in text


def test_a_dry_run_is_worded_as_a_check(
    client: TestClient, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    login_as(client, make_web_user("ops", Role.operator))
    bad = _upload(
        client, "成果.csv", csv_bytes([achievement("A1", 手机号="1381234567")]), dry_run="yes"
    )
    text = html.unescape(bad.text)
    assert bad.status_code == 200
    assert 'id="check-result"><strong>检查未通过</strong>' in text and "导入失败" not in text
    good = html.unescape(
        _upload(client, "成果.csv", csv_bytes([achievement("A1")]), dry_run="yes").text
    )
    assert 'id="check-result"><strong>检查通过</strong>' in good
    assert "将新增" in good
    assert 'id="check-only" name="dry_run" value="yes"' in good


def test_the_report_shows_what_was_typed_and_masks_personal_data(
    client: TestClient, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    login_as(client, make_web_user("ops", Role.operator, city_scope=["hefei"]))
    rows = [
        achievement("A1", 手机号="1381234567", **{"所在城市*": "合肥"}),
        achievement("A2", **{"所在城市*": "杭州市余杭区"}),
    ]
    page = _upload(client, "成果.csv", csv_bytes(rows), skip_invalid="yes")
    text = html.unescape(page.text)
    cells = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", text)
    assert cells == [
        ("2", "手机号", "138****4567", "手机号无效:应为1开头的11位数字(所填为10位数字)"),
        ("3", "所在城市", "杭州市余杭区", "该城市不在您的运营范围内"),
    ]
    assert "1381234567" not in text
