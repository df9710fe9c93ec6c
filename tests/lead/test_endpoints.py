"""Lead intake over HTTP, and the operators' inbox."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from factorlink.api.app import create_app
from factorlink.auth.tokens import digest
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.introduction.models import Introduction
from factorlink.lead.models import Lead, LeadLink
from tests.factories import MakeActor, MakeOrganization
from tests.introduction.builders import LEAD, add_lead, add_listing, introduce


def _post(client: TestClient, **cells: Any) -> Any:
    response = client.post("/api/v1/leads", json={**LEAD, **cells})
    assert response.status_code == 201, response.text
    return response.json()


def test_anonymous_visitor_submits_and_gets_masked_matches(
    client: TestClient, database: Database
) -> None:
    achievement = add_listing(database, "achievement")
    before = datetime.now(UTC)
    body = _post(client, preferred_cities="杭州、嘉兴", industry="新材料")
    assert body["lead_type"] == "technology" and body["lead_type_label"] == "技术"
    assert body["preferred_cities"] == ["hangzhou", "jiaxing"]
    assert body["preferred_city_names"] == ["杭州", "嘉兴"]
    assert body["industry_name"] == "新材料"
    assert body["annual_tax_wan"] == 500
    assert body["status"] == "new" and body["consent"] is True
    consent_at = datetime.fromisoformat(body["consent_at"])
    assert before - timedelta(seconds=1) <= consent_at <= datetime.now(UTC)
    # The sender sees their own contact as they sent it.
    assert (body["contact_name"], body["contact_mobile"]) == ("张伟", "13912345678")
    (match,) = body["matches"]
    assert (match["kind"], match["id"], match["city_name"]) == ("achievement", achievement, "杭州")
    assert match["kind_label"] == "科技成果"
    assert {"石墨烯", "散热"} <= set(match["terms"]) and match["score"] > 0
    assert (match["contact_name"], match["contact_mobile"]) == ("李**", "138****5678")
    assert match["contact_masked"] is True
    assert body["matches_note"] is None


def test_a_lead_shows_the_district_of_its_city(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    body = _post(client, city="湖州市长兴县")
    assert (body["city"], body["city_name"], body["district"]) == ("huzhou", "湖州", "长兴县")
    assert _post(client, city="湖州")["district"] is None
    headers = make_actor("admin").headers
    shown = client.get(f"/api/v1/leads/{body['id']}", headers=headers).json()
    assert (shown["city"], shown["district"]) == ("huzhou", "长兴县")
    with database.unit_of_work() as session:
        stored = session.get(Lead, body["id"])
        assert stored is not None and stored.district == "长兴县"


def test_staff_submitting_see_match_contacts(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    add_listing(database, "achievement")
    response = client.post("/api/v1/leads", json=LEAD, headers=make_actor("admin").headers)
    assert response.json()["matches"][0]["contact_mobile"] == "13812345678"


def test_matches_say_when_they_widened_beyond_the_preferred_cities(
    client: TestClient, database: Database
) -> None:
    add_listing(database, "achievement")
    body = _post(client, preferred_cities="芜湖")
    assert body["matches"] and body["matches"][0]["outside_preferred_cities"] is True
    assert "扩大" in body["matches_note"]
    assert "扩大" not in str(_post(client)["matches_note"])


def test_no_listings_no_matches_and_a_note(client: TestClient) -> None:
    body = _post(client)
    assert body["matches"] == [] and "暂无匹配" in body["matches_note"]


def test_invalid_lead_is_a_problem_listing_each_field(
    client: TestClient, database: Database
) -> None:
    bad = {**LEAD, "contact_mobile": "12345", "preferred_cities": "松江、北京", "consent": False}
    response = client.post("/api/v1/leads", json=bad)
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert {e["field"] for e in problem["errors"]} == {
        "contact_mobile",
        "preferred_cities",
        "consent",
    }
    assert "北京" in problem["detail"] + str(problem["errors"])
    assert "12345" not in response.text
    with database.unit_of_work() as session:
        assert session.scalars(select(Lead)).all() == []


def test_consent_must_be_a_json_true(client: TestClient) -> None:
    for consent in ("true", 1, None):
        response = client.post("/api/v1/leads", json={**LEAD, "consent": consent})
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["consent"]
    without = {k: v for k, v in LEAD.items() if k != "consent"}
    problem = client.post("/api/v1/leads", json=without).json()
    assert problem["errors"][0]["reason"].startswith("须勾选同意")
    assert "consent" not in problem["errors"][0]["reason"]


@pytest.mark.parametrize("tax", ["1e400", "-1e400", "NaN", "Infinity"])
def test_annual_tax_must_be_a_finite_number(
    client: TestClient, database: Database, tax: str
) -> None:
    body = json.dumps({**LEAD, "annual_tax_wan": None}).replace("null", tax)
    response = client.post(
        "/api/v1/leads", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["field"] == "annual_tax_wan" and "税收" in error["reason"]
    with database.unit_of_work() as session:
        assert session.scalars(select(Lead)).all() == []


def test_unknown_fields_are_refused(client: TestClient) -> None:
    response = client.post("/api/v1/leads", json={**LEAD, "wechat": "x"})
    assert response.status_code == 422


def test_inbox_is_for_staff_only(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    assert client.get("/api/v1/leads").status_code == 401
    member = make_actor("member", organization_id=make_org().id)
    assert client.get("/api/v1/leads", headers=member.headers).status_code == 403
    assert client.get("/api/v1/leads/1", headers=member.headers).status_code == 403


def test_operators_see_leads_in_scope_and_unscoped_ones(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    in_city = add_lead(database, city="嘉兴")
    preferring = add_lead(database, preferred_cities="松江、嘉兴", lead_type="资本")
    unscoped = add_lead(database)
    elsewhere = add_lead(database, city="合肥", preferred_cities="芜湖")
    operator = make_actor("operator", city_scope=["jiaxing"])
    page = client.get("/api/v1/leads", headers=operator.headers).json()
    assert [item["id"] for item in page["items"]] == [unscoped, preferring, in_city]
    assert page["total"] == 3
    assert page["items"][0]["contact_mobile"] == "13912345678"
    denied = client.get(f"/api/v1/leads/{elsewhere}", headers=operator.headers)
    assert denied.status_code == 403
    admin = make_actor("admin")
    assert client.get("/api/v1/leads", headers=admin.headers).json()["total"] == 4


def test_inbox_filters_and_pages(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    ids = [add_lead(database, lead_type=t, city="杭州") for t in ("技术", "空间", "资本", "技术")]
    add_lead(database, city="苏州")
    headers = make_actor("admin").headers

    def listed(**params: Any) -> list[int]:
        page = client.get("/api/v1/leads", params=params, headers=headers).json()
        return [item["id"] for item in page["items"]]

    assert listed(type="technology", city="hangzhou") == [ids[3], ids[0]]
    assert listed(type="space") == [ids[1]]
    assert listed(page=2, page_size=2) == [ids[2], ids[1]]
    client.patch(f"/api/v1/leads/{ids[2]}", json={"status": "reviewing"}, headers=headers)
    assert listed(status="reviewing") == [ids[2]]


def test_inbox_city_filter_takes_names_and_refuses_unknown_ones(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    located = add_lead(database, city="松江")
    preferring = add_lead(database, preferred_cities="嘉兴、松江")
    add_lead(database, city="苏州")
    headers = make_actor("admin").headers
    for city in ("songjiang", "松江", "上海市松江区"):
        page = client.get("/api/v1/leads", params={"city": city}, headers=headers).json()
        assert [item["id"] for item in page["items"]] == [preferring, located]
    unknown = client.get("/api/v1/leads", params={"city": "nowhere"}, headers=headers)
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["city"]
    too_long = client.get("/api/v1/leads", params={"city": "松" * 51}, headers=headers)
    assert too_long.status_code == 422


def test_staff_change_the_status(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    lead = add_lead(database, city="杭州")
    headers = make_actor("operator", city_scope=["hangzhou"]).headers
    response = client.patch(f"/api/v1/leads/{lead}", json={"status": "closed"}, headers=headers)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_label"]) == ("closed", "已关闭")
    bad = client.patch(f"/api/v1/leads/{lead}", json={"status": "won"}, headers=headers)
    assert bad.status_code == 422
    outsider = make_actor("operator", city_scope=["hefei"]).headers
    assert (
        client.patch(f"/api/v1/leads/{lead}", json={"status": "new"}, headers=outsider).status_code
        == 403
    )
    assert client.get("/api/v1/leads/999", headers=headers).status_code == 404


def _stored(database: Database, lead_id: int) -> Lead:
    with database.unit_of_work() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        return lead


def test_erasure_leaves_no_personal_data_in_the_row(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    lead_id = add_lead(database, city="松江", industry="新材料")
    assert client.delete(f"/api/v1/leads/{lead_id}/personal-data").status_code == 401
    response = client.delete(
        f"/api/v1/leads/{lead_id}/personal-data", headers=make_actor("admin").headers
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["contact_name"], body["contact_mobile"], body["company"]) == (None, None, None)
    row = _stored(database, lead_id)
    assert (row.contact_name, row.contact_mobile, row.company) == (None, None, None)
    assert row.erased_at is not None and row.consent_withdrawn_at is None
    # What the statistics need stays.
    assert (row.need, row.lead_type, row.city, row.industry) == (
        LEAD["need"],
        "technology",
        "songjiang",
        "materials",
    )


def test_withdrawn_consent_erases_the_contact(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    lead_id = add_lead(database)
    headers = make_actor("operator").headers
    response = client.post(f"/api/v1/leads/{lead_id}/withdraw-consent", headers=headers)
    assert response.status_code == 200
    row = _stored(database, lead_id)
    assert (row.contact_name, row.contact_mobile, row.company) == (None, None, None)
    assert row.consent is False and row.consent_at is not None
    assert row.consent_withdrawn_at is not None and row.erased_at is not None
    again = client.post(f"/api/v1/leads/{lead_id}/withdraw-consent", headers=headers)
    assert again.json()["consent_withdrawn_at"] == response.json()["consent_withdrawn_at"]


def test_withdrawn_consent_closes_open_introductions_even_out_of_scope(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    lead_id = add_lead(database, preferred_cities=["合肥"])
    carrier = add_listing(database, "carrier", city="湖州")
    signed = add_listing(database, "carrier", name="另一处厂房", city="湖州")
    open_id = introduce(database, ("carrier", carrier), ("lead", lead_id))  # a Huzhou deal
    now = datetime.now(UTC)
    done_id = introduce(
        database,
        ("lead", lead_id),
        ("carrier", signed),
        [("contacted", now, {}), ("negotiating", now, {}), ("signed", now, {"amount_wan": 50})],
        at=now,
    )
    songjiang_only = make_actor("operator", city_scope=["songjiang", "hefei"]).headers
    response = client.post(f"/api/v1/leads/{lead_id}/withdraw-consent", headers=songjiang_only)
    assert response.status_code == 200, response.text
    with database.unit_of_work() as session:
        closed = session.get(Introduction, open_id)
        kept = session.get(Introduction, done_id)
        assert closed is not None and kept is not None
        assert closed.status == "closed" and "撤回同意" in (closed.close_reason or "")
        assert kept.status == "signed"


@pytest.mark.parametrize("bad", [2**31, 10**20, 0, -1])
def test_ids_outside_the_integer_range_are_refused(
    client: TestClient, make_actor: MakeActor, bad: int
) -> None:
    headers = make_actor("admin").headers
    url = f"/api/v1/leads/{bad}"
    assert client.get(url, headers=headers).status_code == 422
    assert client.patch(url, json={"status": "closed"}, headers=headers).status_code == 422
    assert client.post(f"{url}/withdraw-consent", headers=headers).status_code == 422
    assert client.delete(f"{url}/personal-data", headers=headers).status_code == 422
    assert client.get(f"/api/v1/leads/{2**31 - 1}", headers=headers).status_code == 404


REFERENCE = re.compile(r"G60-\d{8}-[2-9A-HJKMNP-Z]{4}")


def test_intake_answers_with_a_reference_a_private_link_and_who_calls(
    client: TestClient, database: Database
) -> None:
    body = _post(client, preferred_cities="湖州", annual_tax_wan="年纳税约500万")
    assert REFERENCE.fullmatch(body["reference"]), body["reference"]
    assert (body["annual_tax_wan"], body["annual_tax_text"]) == (500.0, "年纳税约500万")
    assert body["callback"] == "湖州市科学技术局将在2个工作日内与您电话联系"
    token = body["link"].removeprefix("/leads/status/")
    assert len(token) == 32 and LEAD["contact_mobile"] not in token and body["merged"] is False
    with database.unit_of_work() as session:
        (link,) = session.scalars(select(LeadLink)).all()
        assert link.token_hash == digest(token) and link.lead_id == body["id"]
    page = client.get(body["link"])
    assert page.status_code == 200 and body["reference"] in page.text
    other = _post(client, need="另一个需求")
    assert other["reference"] != body["reference"] and other["link"] != body["link"]
    # No lead names a city of its own: the corridor's operator calls.
    assert other["callback"].startswith("长三角G60科创走廊联席会议办公室")


@pytest.fixture
def merging(settings: Settings, database: Database) -> Iterator[TestClient]:
    """A client of an app that merges copies sent within a day."""
    app = create_app(settings.model_copy(update={"lead_duplicate_hours": 24}), database)
    with TestClient(app) as merged:
        yield merged


def test_a_copy_within_the_window_is_merged_with_200(
    merging: TestClient, database: Database
) -> None:
    first = merging.post("/api/v1/leads", json=LEAD)
    assert first.status_code == 201
    again = merging.post(
        "/api/v1/leads", json={**LEAD, "need": f"{LEAD['need']}。", "city": "嘉兴"}
    )
    assert again.status_code == 200, again.text
    assert again.json()["merged"] is True and again.json()["id"] == first.json()["id"]
    assert again.json()["reference"] == first.json()["reference"]
    assert again.json()["city"] == "jiaxing"
    # Another mobile, or another need, is another lead.
    assert (
        merging.post("/api/v1/leads", json={**LEAD, "contact_mobile": "13912340000"}).status_code
        == 201
    )
    assert merging.post("/api/v1/leads", json={**LEAD, "need": "寻找厂房"}).status_code == 201
    with database.unit_of_work() as session:
        assert len(session.scalars(select(Lead)).all()) == 3


def test_a_copy_after_the_window_or_after_withdrawal_is_a_new_lead(
    merging: TestClient, database: Database, make_actor: MakeActor
) -> None:
    old = add_lead(database, created_at=datetime.now(UTC) - timedelta(hours=25))
    assert merging.post("/api/v1/leads", json=LEAD).json()["id"] != old
    recent = merging.post("/api/v1/leads", json={**LEAD, "need": "寻找厂房"}).json()["id"]
    headers = make_actor("admin").headers
    merging.post(f"/api/v1/leads/{recent}/withdraw-consent", headers=headers)
    again = merging.post("/api/v1/leads", json={**LEAD, "need": "寻找厂房"})
    assert again.status_code == 201 and again.json()["id"] != recent


# --- The operators' inbox as a cockpit (issue 15) ----------------------------------------------


def test_the_inbox_carries_owner_ages_callback_and_look_alikes(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    received = datetime.now(UTC) - timedelta(days=9)
    first = add_lead(database, created_at=received, preferred_cities="嘉兴")
    twin = add_lead(database, need="石墨烯散热膜 手机模组用", company=None, preferred_cities="嘉兴")
    far = add_lead(
        database,
        created_at=received - timedelta(days=60),
        need="另一需求",
        company="另一公司",
        preferred_cities="嘉兴",
    )
    ops = make_actor("operator", city_scope=["jiaxing"])
    items = {i["id"]: i for i in client.get("/api/v1/leads", headers=ops.headers).json()["items"]}
    one = items[first]
    assert one["age_days"] == 9 and one["days_in_stage"] == 9
    assert one["stalled"] is True, "new for 9 days: past the callback promise"
    assert one["callback_due"] is not None
    assert one["duplicates"] == [twin] and items[twin]["duplicates"] == [first]
    assert items[far]["duplicates"] == [], "60 days apart and nothing shared"
    assert items[twin]["stalled"] is False
    # Taken up: the clock of its status restarts and it is no longer overdue.
    moved = client.patch(
        f"/api/v1/leads/{first}", json={"status": "reviewing"}, headers=ops.headers
    ).json()
    assert moved["days_in_stage"] == 0 and moved["stalled"] is False and moved["age_days"] == 9
    found = client.get("/api/v1/leads?q=另一", headers=ops.headers).json()["items"]
    assert [i["id"] for i in found] == [far]


def test_owner_and_follow_ups_of_a_lead_over_http(
    client: TestClient, database: Database, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    lead = add_lead(database, preferred_cities="嘉兴")
    ops = make_actor("operator", city_scope=["jiaxing"])
    member = make_actor("member", organization_id=make_org().id)
    url = f"/api/v1/leads/{lead}"
    assert (
        client.put(f"{url}/owner", json={"owner_id": member.user_id}, headers=ops.headers)
    ).status_code == 422
    assert (
        client.put(f"{url}/owner", json={"owner_id": 99999}, headers=ops.headers).status_code == 422
    )
    owned = client.put(f"{url}/owner", json={"owner_id": ops.user_id}, headers=ops.headers)
    assert owned.json()["owner_id"] == ops.user_id
    added = client.post(
        f"{url}/follow-ups",
        json={
            "note": "已致电13912345678,对方下周到园区",
            "next_step": "安排看厂",
            "due_on": "2026-12-10",
        },
        headers=ops.headers,
    )
    assert added.status_code == 201, added.text
    body = added.json()
    assert body["status"] == "reviewing", "a follow-up takes a new lead up"
    assert (body["next_step"], body["next_step_due"]) == ("安排看厂", "2026-12-10")
    assert body["follow_ups"][0]["note"].startswith("已致电13912345678")
    mine = client.get(f"/api/v1/leads?owner_id={ops.user_id}", headers=ops.headers).json()
    assert [i["id"] for i in mine["items"]] == [lead]
    nobody = client.get(f"/api/v1/leads?owner_id={member.user_id}", headers=ops.headers).json()
    assert nobody["items"] == []
    # Erasing the sender's data masks the number an operator wrote down too.
    erased = client.delete(f"{url}/personal-data", headers=ops.headers).json()
    assert erased["follow_ups"][0]["note"] == "已致电139****5678,对方下周到园区"
    far = make_actor("operator", city_scope=["hefei"])
    assert (
        client.post(f"{url}/follow-ups", json={"note": "x"}, headers=far.headers).status_code == 403
    )


def test_the_inbox_exports_to_excel(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    add_lead(database, preferred_cities="嘉兴", purpose="@SUM(1+1)")
    add_lead(database, preferred_cities="合肥", need="合肥的需求")
    ops = make_actor("operator", city_scope=["jiaxing"])
    response = client.get("/api/v1/leads/export", headers=ops.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows())  # type: ignore[union-attr]
    headers = [c.value for c in rows[0]]
    assert len(rows) == 2, "only the leads in the operator's cities"
    record = {h: c for h, c in zip(headers, rows[1], strict=True)}
    assert record["手机号"].value == LEAD["contact_mobile"]
    assert record["用途"].value == "@SUM(1+1)" and record["用途"].data_type == "s"
    assert record["税收"].value == "500万" and record["年纳税额(万元)"].value == 500
    assert client.get("/api/v1/leads/export").status_code == 401
