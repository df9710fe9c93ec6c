"""POST /api/v1/imports and GET /api/v1/imports/template, over real HTTP."""

from __future__ import annotations

import io
from urllib.parse import unquote

from fastapi.testclient import TestClient
from httpx2 import Response
from openpyxl import load_workbook

from factorlink.api.app import create_app
from factorlink.config import Settings
from factorlink.db.session import Database
from tests.factories import MakeActor, MakeOrganization
from tests.imports.builders import achievement, csv_bytes, dump, without_token_use

URL = "/api/v1/imports"


def _upload(
    client: TestClient,
    data: bytes,
    headers: dict[str, str] | None = None,
    name: str = "成果.csv",
    **params: str,
) -> Response:
    return client.post(
        URL,
        params={"kind": "achievement", **params},
        files={"file": (name, data, "text/csv")},
        headers=headers or {},
    )


def test_operator_imports_and_gets_the_report(client: TestClient, make_actor: MakeActor) -> None:
    operator = make_actor("operator")
    data = csv_bytes([achievement("A1"), achievement("A2")], "gbk")
    response = _upload(client, data, operator.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"], body["rejected"]) == (2, 0, 0, 0)
    assert body["file"] == "成果.csv" and body["errors"] == []

    again = _upload(client, data, operator.headers)
    assert again.json()["unchanged"] == 2
    assert client.get("/api/v1/achievements").json()["total"] == 2


def test_a_bad_row_rejects_the_file_as_problem_details(
    client: TestClient, database: Database, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    make_org("浙江示例大学")
    admin = make_actor("admin")
    before = dump(database)
    data = csv_bytes([achievement("A1"), achievement("A2", 手机号="1381234")])
    response = _upload(client, data, admin.headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert "未写入任何数据" in problem["detail"]
    assert "nothing written" in problem["detail_en"]
    [error] = problem["errors"]
    assert (error["row"], error["column"], error["column_en"]) == (3, "手机号", "Mobile")
    assert error["reason"] == "手机号无效:应为1开头的11位数字(所填为7位数字)"
    assert error["value"] == "*******"
    assert error["reason_en"].startswith("invalid mobile number")
    assert dump(database) == before


def test_a_failed_upload_repeats_no_contact_name_or_mobile(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    admin = make_actor("admin")
    long_name = "欧阳" * 26
    rows = [
        achievement("A1", 手机号="1391234567"),
        achievement("A2", 联系人=long_name),
        achievement("A3", 手机号="139123456789"),
    ]
    before = dump(database)

    response = _upload(client, csv_bytes(rows), admin.headers)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["row"], e["column"], e["value"]) for e in errors] == [
        (2, "手机号", "139****4567"),
        (3, "联系人", "欧**"),
        (4, "手机号", "139****6789"),
    ]
    assert errors[1]["reason"] and errors[1]["reason_en"]
    for personal in ("1391234567", "139123456789", long_name, "李晓明", "13812345678"):
        assert personal not in response.text
    assert dump(database) == before


def test_skip_invalid_and_dry_run(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    operator = make_actor("operator")
    data = csv_bytes([achievement("A1"), achievement("A2", 手机号="1381234")])
    before = dump(database)

    dry = _upload(client, data, operator.headers, skip_invalid="true", dry_run="true")
    assert dry.status_code == 200, dry.text
    assert (dry.json()["created"], dry.json()["rejected"], dry.json()["dry_run"]) == (1, 1, True)
    assert without_token_use(dump(database)) == without_token_use(before)

    real = _upload(client, data, operator.headers, skip_invalid="true")
    assert (real.json()["created"], real.json()["rejected"]) == (1, 1)
    assert real.json()["errors"][0]["row"] == 3
    assert client.get("/api/v1/achievements").json()["total"] == 1


def test_a_dry_run_counts_everything_and_leaves_no_trace(
    client: TestClient, database: Database, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    make_org("浙江示例大学")
    admin, operator = make_actor("admin"), make_actor("operator")
    assert _upload(client, csv_bytes([achievement("OLD")]), admin.headers).status_code == 200
    rows = [
        achievement("OLD", **{"参考价格(万元)": "999"}),  # would update
        achievement("NEW", **{"所属机构*": "全新机构有限公司"}),  # would add an organisation
    ]
    before = dump(database)

    dry = _upload(client, csv_bytes(rows), operator.headers, dry_run="true")

    assert dry.status_code == 200, dry.text
    body = dry.json()
    assert (body["created"], body["updated"], body["dry_run"]) == (1, 1, True)
    after = dump(database)
    assert without_token_use(after) == without_token_use(before)
    # The request's own unit of work still commits: the operator's first use of the token.
    assert after["auth_tokens"] != before["auth_tokens"]


def test_a_file_that_is_not_a_workbook_is_a_422(client: TestClient, make_actor: MakeActor) -> None:
    operator = make_actor("operator")
    response = _upload(client, b"just some text, renamed", operator.headers, name="机构.xlsx")
    assert response.status_code == 422
    assert "文件不是有效的Excel(.xlsx)文件" in response.json()["detail"]


def test_members_and_anonymous_may_not_import(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    member = make_actor("member", organization_id=make_org().id)
    data = csv_bytes([achievement()])
    denied = _upload(client, data, member.headers)
    assert denied.status_code == 403
    assert "仅运营人员可操作" in denied.json()["detail"]
    assert _upload(client, data).status_code == 401
    assert client.get("/api/v1/achievements").json()["total"] == 0


def test_unknown_kind_is_a_422(client: TestClient, make_actor: MakeActor) -> None:
    operator = make_actor("operator")
    response = _upload(client, csv_bytes([achievement()]), operator.headers, kind="patent")
    assert response.status_code == 422


def test_template_download(client: TestClient) -> None:
    response = client.get(f"{URL}/template", params={"kind": "carrier"})
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "载体导入模板.xlsx" in unquote(disposition)
    book = load_workbook(io.BytesIO(response.content))
    assert book.worksheets[0]["B1"].value == "名称*"


def _expert(**changes: str) -> dict[str, str]:
    row = {
        "编号": "EXP-JX-1",
        "姓名*": "周明远",
        "所属机构": "嘉兴示例研究院",
        "研究领域*": "新材料",
        "服务内容": "技术咨询",
        "所在城市": "嘉兴",
        "联系人": "周明远",
        "手机号": "13812348789",
    }
    return row | changes


def test_an_operator_learns_nothing_from_a_record_outside_their_cities(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    """The audit's oracle: a 松江 operator dry-running a row equal to a 嘉兴 expert's stored record
    gets the very answer a row with another mobile gets."""
    admin = make_actor("admin")
    stored = _upload(client, csv_bytes([_expert()]), admin.headers, name="专家.csv", kind="expert")
    assert stored.status_code == 200, stored.text
    songjiang = make_actor("operator", city_scope=["songjiang"])
    before = without_token_use(dump(database))

    answers = []
    for mobile in ("13812348789", "13812340000"):
        data = csv_bytes([_expert(手机号=mobile)])
        answer = _upload(
            client, data, songjiang.headers, name="专家.csv", kind="expert", dry_run="true"
        )
        body = answer.json()
        answers.append((answer.status_code, body["detail"], body["detail_en"], body["errors"]))

    assert answers[0] == answers[1]
    status, detail, _, [error] = answers[0]
    assert status == 422 and "未写入任何数据" in detail
    assert (error["row"], error["column"], error["reason"]) == (
        2,
        "所在城市",
        "该城市不在您的运营范围内",
    )
    assert without_token_use(dump(database)) == before


def _client(settings: Settings, database: Database, **changes: int) -> TestClient:
    return TestClient(create_app(settings.model_copy(update=changes), database))


def test_imports_are_rate_limited_per_user(
    settings: Settings, database: Database, make_actor: MakeActor
) -> None:
    first, second = make_actor("operator"), make_actor("operator")
    data = csv_bytes([achievement("A1")])
    with _client(settings, database, import_rate_limit=2) as client:
        for _ in range(2):
            assert _upload(client, data, first.headers, dry_run="true").status_code == 200
        refused = _upload(client, data, first.headers, dry_run="true")
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert 1 <= int(refused.headers["retry-after"]) <= 600
        assert refused.json()["detail"].startswith("导入过于频繁")
        assert "Too many imports" in refused.json()["detail_en"]
        # Another user has a window of their own.
        assert _upload(client, data, second.headers, dry_run="true").status_code == 200


def test_a_file_over_the_row_limit_is_refused_and_writes_nothing(
    settings: Settings, database: Database, make_actor: MakeActor
) -> None:
    admin = make_actor("admin")
    data = csv_bytes([achievement(f"A{i}") for i in range(4)])
    before = without_token_use(dump(database))
    with _client(settings, database, import_max_rows=3) as client:
        response = _upload(client, data, admin.headers)
    assert response.status_code == 422
    problem = response.json()
    assert problem["detail"] == "“成果.csv”:数据行超过上限3行,请拆分为多个文件后分别导入"
    assert problem["errors"] == [
        {
            "file": "成果.csv",
            "field": "file",
            "reason": "数据行超过上限3行,请拆分为多个文件后分别导入",
            "reason_en": "more than 3 data rows, the limit of one import; split the file",
        }
    ]
    assert without_token_use(dump(database)) == before


def test_a_report_lists_the_first_errors_and_counts_the_rest(
    settings: Settings, database: Database, make_actor: MakeActor
) -> None:
    operator = make_actor("operator")
    rows = [achievement(f"A{i}", 手机号="1") for i in range(5)] + [achievement("OK")]
    with _client(settings, database, import_max_errors=2) as client:
        failed = _upload(client, csv_bytes(rows), operator.headers)
        skipped = _upload(client, csv_bytes(rows), operator.headers, skip_invalid="true")
    assert failed.status_code == 422
    assert [e["row"] for e in failed.json()["errors"]] == [2, 3]
    assert "另有3条未列出" in failed.json()["detail"]
    assert skipped.status_code == 200, skipped.text
    body = skipped.json()
    assert (body["created"], body["rejected"], body["errors_omitted"]) == (1, 5, 3)
    assert [e["row"] for e in body["errors"]] == [2, 3]
