"""POST /api/v1/imports and GET /api/v1/imports/template, over real HTTP."""

from __future__ import annotations

import io
from urllib.parse import unquote

from fastapi.testclient import TestClient
from httpx2 import Response
from openpyxl import load_workbook

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
    assert error["reason"].startswith("手机号无效")
    assert error["value"] == ""
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
        (2, "手机号", ""),
        (3, "联系人", ""),
        (4, "手机号", ""),
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
