"""The operators' workspace: lead inbox, introductions board, imports."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from factorlink.auth.models import Role
from factorlink.db.session import Database
from factorlink.imports.writers import write_rows
from factorlink.introduction.models import IntroductionStatus, PartyKind
from tests.factories import MakeOrganization
from tests.imports.builders import ACHIEVEMENT_HEADERS, achievement, rows_grid, write_xlsx
from tests.introduction.builders import EXAMPLES, add_lead, add_listing, introduce
from tests.kit.test_formulas import PAYLOADS, written_cells
from tests.web.conftest import LoginAs, MakeWebUser, csrf_token

LEAD: dict[str, Any] = {
    "lead_type": "technology",
    "need": "寻找石墨烯散热膜技术",
    "company": "某电子有限公司",
    "contact_name": "周总",
    "contact_mobile": "13500005555",
    "preferred_cities": "杭州",
    "consent": True,
}


def _deal_amount(client: TestClient) -> str:
    found = re.search(r'id="deal-amount">([^<]*)<', client.get("/").text)
    assert found
    return found.group(1)


def test_workspace_is_for_staff_only(
    client: TestClient, make_org: MakeOrganization, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    redirected = client.get("/workspace/leads", follow_redirects=False)
    assert redirected.status_code == 303
    assert redirected.headers["location"].startswith("/login?next=")
    login_as(client, make_web_user("member", Role.member, organization_id=make_org().id))
    refused = client.get("/workspace/introductions")
    assert refused.status_code == 403 and "仅运营人员可操作" in refused.text
    assert "工作台" not in client.get("/").text


def test_inbox_lead_and_introduction(
    client: TestClient, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    achievement_id = add_listing(database, "achievement", **EXAMPLES["achievement"])
    lead_id = add_lead(database, **LEAD)
    login_as(client, make_web_user("ops", Role.operator))
    assert client.get("/workspace/leads?status=&type=&city=").status_code == 200  # 全部
    assert client.get("/workspace/leads?status=bogus").status_code == 422
    inbox = client.get("/workspace/leads?status=new")
    assert f'data-id="{lead_id}"' in inbox.text and "13500005555" in inbox.text
    detail = client.get(f"/workspace/leads/{lead_id}")
    assert f'name="b_id" value="{achievement_id}"' in detail.text
    # Each match says why: the criteria judged, with nothing "信息不全".
    assert 'class="criteria"' in detail.text and "信息不全" not in detail.text
    token = csrf_token(detail.text)
    made = client.post(
        "/workspace/introductions",
        data={
            "csrf_token": token,
            "a_kind": "lead",
            "a_id": str(lead_id),
            "b_kind": "achievement",
            "b_id": str(achievement_id),
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    again = client.post(
        "/workspace/introductions",
        data={
            "csrf_token": token,
            "a_kind": "lead",
            "a_id": str(lead_id),
            "b_kind": "achievement",
            "b_id": str(achievement_id),
        },
    )
    assert again.status_code == 409 and "已有进行中的对接" in again.text
    board = client.get("/workspace/introductions").text
    proposed = board.split('data-status="proposed"')[1].split('data-status="contacted"')[0]
    assert "寻找石墨烯散热膜技术" in proposed
    moved = client.post(
        f"/workspace/leads/{lead_id}/status",
        data={"csrf_token": token, "status": "closed"},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    assert "已关闭" in client.get(f"/workspace/leads/{lead_id}").text


def test_signing_changes_the_dashboard(
    client: TestClient, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    a = add_listing(database, "achievement", **EXAMPLES["achievement"])
    d = add_listing(database, "demand", **EXAMPLES["demand"])
    intro = introduce(
        database,
        (PartyKind.demand, d),
        (PartyKind.achievement, a),
        [
            (IntroductionStatus.contacted, datetime(2026, 3, 2, tzinfo=UTC), {}),
            (IntroductionStatus.negotiating, datetime(2026, 3, 9, tzinfo=UTC), {}),
        ],
        at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    login_as(client, make_web_user("ops", Role.admin))
    assert _deal_amount(client) == "0"
    token = csrf_token(client.get("/workspace/introductions").text)
    url = f"/workspace/introductions/{intro}/transition"
    refused = client.post(url, data={"csrf_token": token, "to": "signed"})
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    signed = client.post(
        url, data={"csrf_token": token, "to": "signed", "amount_wan": "350"}, follow_redirects=False
    )
    assert signed.status_code == 303
    board = client.get("/workspace/introductions").text
    column = board.split('data-status="signed"')[1].split('data-status="closed"')[0]
    assert f'data-id="{intro}"' in column and '<strong class="amount">350</strong>' in column
    assert _deal_amount(client) == "350"


def test_import_with_a_bad_row_shows_the_report(
    client: TestClient, make_web_user: MakeWebUser, login_as: LoginAs, tmp_path: Path
) -> None:
    login_as(client, make_web_user("ops", Role.admin))
    rows = [achievement("ACH-0001"), achievement("ACH-0002", **{"手机号": "12345"})]
    path = write_xlsx(tmp_path / "成果.xlsx", rows_grid(rows))
    page = client.get("/workspace/import")
    token = csrf_token(page.text)
    with path.open("rb") as f:
        response = client.post(
            "/workspace/import",
            data={"csrf_token": token, "kind": "achievement"},
            files={"file": ("成果.xlsx", f, "application/octet-stream")},
        )
    assert response.status_code == 200, response.text
    html = response.text
    assert "导入失败" in html and 'id="count-rejected">1<' in html
    assert re.search(r"<tr><td>3</td><td>手机号</td>", html), "row 3 of the sheet, column 手机号"
    assert client.get("/achievements").text.count('class="panel result"') == 0
    link = re.search(r'href="(/workspace/import/rejected/[^"]+)"', html)
    assert link
    download = client.get(link.group(1))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][: len(ACHIEVEMENT_HEADERS)] == list(ACHIEVEMENT_HEADERS)
    assert len(values) == 2 and values[1][-1] == 3
    # Another user cannot fetch it.
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    login_as(client, make_web_user("ops2", Role.admin))
    assert client.get(link.group(1)).status_code == 404


def test_skip_invalid_loads_the_good_rows(
    client: TestClient, make_web_user: MakeWebUser, login_as: LoginAs, tmp_path: Path
) -> None:
    login_as(client, make_web_user("ops", Role.admin))
    rows = [achievement("ACH-0001"), achievement("ACH-0002", **{"所在城市*": "北京"})]
    path = write_xlsx(tmp_path / "a.xlsx", rows_grid(rows))
    token = csrf_token(client.get("/workspace/import").text)
    with path.open("rb") as f:
        response = client.post(
            "/workspace/import",
            data={"csrf_token": token, "kind": "achievement", "skip_invalid": "yes"},
            files={"file": ("a.xlsx", f, "application/octet-stream")},
        )
    assert 'id="count-created">1<' in response.text
    assert client.get("/achievements").text.count('class="panel result"') == 1


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_rejected_rows_download_writes_no_formula(
    client: TestClient, make_web_user: MakeWebUser, login_as: LoginAs, fmt: str
) -> None:
    login_as(client, make_web_user("ops", Role.admin))
    rows = [
        achievement(f"A{i}", **{"成果名称*": p, "所在城市*": "北京"})
        for i, p in enumerate(PAYLOADS)
    ]
    grid = rows_grid(rows)
    token = csrf_token(client.get("/workspace/import").text)
    response = client.post(
        "/workspace/import",
        data={"csrf_token": token, "kind": "achievement", "skip_invalid": "yes"},
        files={"file": (f"a.{fmt}", write_rows(fmt, grid[0], grid[1:]), "text/plain")},
    )
    link = re.search(r'href="(/workspace/import/rejected/[^"]+)"', response.text)
    assert link, response.text
    cells = written_cells(fmt, client.get(link.group(1)).content)
    title = cells[0].index("成果名称*")
    assert [r[title] for r in cells[1:]] == [r[title] for r in grid[1:]]


def test_template_download_and_missing_file(
    client: TestClient, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    login_as(client, make_web_user("ops", Role.operator))
    template = client.get("/workspace/import/template?kind=demand")
    assert template.status_code == 200
    assert "demand-template.xlsx" in template.headers["content-disposition"]
    load_workbook(io.BytesIO(template.content))
    token = csrf_token(client.get("/workspace/import").text)
    response = client.post("/workspace/import", data={"csrf_token": token, "kind": "demand"})
    assert response.status_code == 422 and 'id="err-file"' in response.text
