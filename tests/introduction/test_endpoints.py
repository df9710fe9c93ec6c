"""Introductions over HTTP: creation, scope, duplicates, the pipeline, history and visibility."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factorlink.db.session import Database
from factorlink.demand.models import Demand
from factorlink.introduction.models import Introduction
from factorlink.lead.models import Lead, LeadStatus
from tests.factories import Actor, MakeActor, MakeOrganization
from tests.introduction.builders import add_lead, add_listing

URL = "/api/v1/introductions"


def _create(
    client: TestClient, actor: Actor, a: tuple[str, int], b: tuple[str, int], **extra: Any
) -> Any:
    body = {"party_a": {"kind": a[0], "id": a[1]}, "party_b": {"kind": b[0], "id": b[1]}, **extra}
    return client.post(URL, json=body, headers=actor.headers)


def _move(client: TestClient, actor: Actor, intro_id: int, to: str, **terms: Any) -> Any:
    return client.post(
        f"{URL}/{intro_id}/transitions", json={"to": to, **terms}, headers=actor.headers
    )


@pytest.fixture
def admin(make_actor: MakeActor) -> Actor:
    return make_actor("admin")


def test_introducing_a_lead_to_an_achievement(
    client: TestClient, database: Database, admin: Actor
) -> None:
    lead = add_lead(database, preferred_cities="嘉兴、松江", industry="新材料")
    achievement = add_listing(database, "achievement")
    before = datetime.now(UTC)
    response = _create(
        client, admin, ("lead", lead), ("achievement", achievement), note="电话沟通后推荐"
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "proposed" and body["status_label"] == "已提议"
    assert (body["city"], body["city_name"]) == (
        "jiaxing",
        "嘉兴",
    )  # the lead's first preferred city
    assert (body["counterpart_city"], body["counterpart_city_name"]) == ("hangzhou", "杭州")
    assert (body["industry"], body["industry_name"]) == ("materials", "新材料")
    assert body["allowed_next"] == ["contacted", "closed"]
    assert body["created_by_id"] == admin.user_id
    assert datetime.fromisoformat(body["proposed_at"]) >= before - timedelta(seconds=1)
    assert body["party_a"]["code"] == f"LEAD-{lead}" and body["party_a"]["kind_label"] == "线索"
    assert body["party_b"]["title"] == "高导热石墨烯复合散热膜制备技术"
    (event,) = body["events"]
    assert event["from_status"] is None and event["to_status"] == "proposed"
    assert (event["by_user_id"], event["note"]) == (admin.user_id, "电话沟通后推荐")
    with database.unit_of_work() as session:
        stored = session.get(Lead, lead)
        assert stored is not None and stored.status == LeadStatus.introduced


def test_industry_falls_back_to_party_b_and_lists_give_their_first(
    client: TestClient, database: Database, admin: Actor
) -> None:
    lead = add_lead(database, city="松江")  # no industry
    carrier = add_listing(database, "carrier")  # welcomes 高端装备、新材料
    body = _create(client, admin, ("lead", lead), ("carrier", carrier)).json()
    assert (body["city"], body["counterpart_city"], body["industry"]) == (
        "songjiang",
        "songjiang",
        "equipment",
    )
    fund = add_listing(database, "capital")  # covers 松江、杭州 and 人工智能、集成电路
    body = _create(client, admin, ("capital", fund), ("lead", lead)).json()
    assert (body["city"], body["industry"]) == ("songjiang", "ai")


def test_parties_must_exist_and_differ(
    client: TestClient, database: Database, admin: Actor
) -> None:
    demand = add_listing(database, "demand")
    same = _create(client, admin, ("demand", demand), ("demand", demand))
    assert same.status_code == 422
    missing = _create(client, admin, ("demand", demand), ("achievement", 999))
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "party_b" and "999" in missing.json()["detail"]
    bad_kind = _create(client, admin, ("demand", demand), ("planet", 1))
    assert bad_kind.status_code == 422


def test_an_open_pair_cannot_be_introduced_twice(
    client: TestClient, database: Database, admin: Actor
) -> None:
    demand, achievement = add_listing(database, "demand"), add_listing(database, "achievement")
    first = _create(client, admin, ("demand", demand), ("achievement", achievement)).json()
    again = _create(client, admin, ("demand", demand), ("achievement", achievement))
    assert again.status_code == 409 and f"#{first['id']}" in again.json()["detail"]
    reversed_pair = _create(client, admin, ("achievement", achievement), ("demand", demand))
    assert reversed_pair.status_code == 409
    _move(client, admin, first["id"], "closed", reason="需求方暂停项目")
    assert (
        _create(client, admin, ("demand", demand), ("achievement", achievement)).status_code == 201
    )


def test_only_staff_introduce(
    client: TestClient, database: Database, make_actor: MakeActor, make_org: Any
) -> None:
    demand, achievement = add_listing(database, "demand"), add_listing(database, "achievement")
    body = {"party_a": {"kind": "demand", "id": demand}, "party_b": {"kind": "expert", "id": 1}}
    assert client.post(URL, json=body).status_code == 401
    member = make_actor("member", organization_id=make_org().id)
    assert (
        _create(client, member, ("demand", demand), ("achievement", achievement)).status_code == 403
    )


def test_operators_introduce_within_their_scope_judged_by_party_a(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    demand = add_listing(database, "demand")  # 嘉兴
    achievement = add_listing(database, "achievement")  # 杭州
    hangzhou = make_actor("operator", city_scope=["hangzhou"])
    jiaxing = make_actor("operator", city_scope=["jiaxing"])
    assert (
        _create(client, hangzhou, ("demand", demand), ("achievement", achievement)).status_code
        == 403
    )
    created = _create(client, jiaxing, ("demand", demand), ("achievement", achievement))
    assert created.status_code == 201
    intro = created.json()["id"]
    assert _move(client, hangzhou, intro, "contacted").status_code == 403
    assert _move(client, jiaxing, intro, "contacted").status_code == 200
    # Reading is allowed on either side of the introduction.
    assert client.get(f"{URL}/{intro}", headers=hangzhou.headers).status_code == 200
    hefei = make_actor("operator", city_scope=["hefei"])
    assert client.get(f"{URL}/{intro}", headers=hefei.headers).status_code == 403
    assert client.get(URL, headers=hefei.headers).json()["total"] == 0
    assert client.get(URL, headers=hangzhou.headers).json()["total"] == 1


def test_the_pipeline_to_a_signed_deal(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    operator = make_actor("operator")
    demand, achievement = add_listing(database, "demand"), add_listing(database, "achievement")
    intro = _create(client, operator, ("demand", demand), ("achievement", achievement)).json()["id"]
    skipped = _move(client, operator, intro, "negotiating")
    assert skipped.status_code == 409
    problem = skipped.json()
    assert "已提议" in problem["detail"] and "已联系(contacted)" in problem["detail"]
    assert "allowed next: contacted, closed" in problem["detail_en"]
    assert problem["errors"][0]["allowed"] == ["contacted", "closed"]
    for step in ("contacted", "negotiating"):
        moved = _move(client, operator, intro, step, note=f"到{step}")
        assert moved.status_code == 200, moved.text
    assert _move(client, operator, intro, "signed").status_code == 422
    assert _move(client, operator, intro, "signed", amount_wan=0).status_code == 422
    signed = _move(client, operator, intro, "signed", amount_wan=260).json()
    assert (signed["status"], signed["amount_wan"], signed["allowed_next"]) == ("signed", 260, [])
    stamps = [signed[f"{s}_at"] for s in ("proposed", "contacted", "negotiating", "signed")]
    assert all(stamps) and stamps == sorted(stamps) and signed["closed_at"] is None
    steps = [(e["from_status"], e["to_status"]) for e in signed["events"]]
    assert steps == [
        (None, "proposed"),
        ("proposed", "contacted"),
        ("contacted", "negotiating"),
        ("negotiating", "signed"),
    ]
    assert {e["by_user_id"] for e in signed["events"]} == {operator.user_id}
    assert signed["events"][1]["note"] == "到contacted"
    for to in ("proposed", "contacted", "negotiating", "signed", "closed"):
        terms = {"reason": "x"} if to == "closed" else {"amount_wan": 1} if to == "signed" else {}
        final = _move(client, operator, intro, to, **terms)
        assert final.status_code == 409 and "最终状态" in final.json()["detail"]


def _negotiating(client: TestClient, database: Database, admin: Actor, title: str) -> int:
    demand = add_listing(database, "demand", title=title)
    achievement = add_listing(database, "achievement", title=title)
    intro = _create(client, admin, ("demand", demand), ("achievement", achievement)).json()["id"]
    for step in ("contacted", "negotiating"):
        assert _move(client, admin, intro, step).status_code == 200
    return int(intro)


@pytest.mark.parametrize("amount", ["1e400", "-1e400", "NaN", "Infinity", "1e300"])
def test_a_deal_amount_must_be_a_finite_plausible_number(
    client: TestClient, database: Database, admin: Actor, amount: str
) -> None:
    intro = _negotiating(client, database, admin, "散热膜")
    response = client.post(
        f"{URL}/{intro}/transitions",
        content=f'{{"to": "signed", "amount_wan": {amount}}}',
        headers={**admin.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "amount_wan"
    assert client.get(f"{URL}/{intro}", headers=admin.headers).json()["status"] == "negotiating"
    signed = _move(client, admin, intro, "signed", amount_wan=260)
    assert signed.status_code == 200
    deals = client.get("/api/v1/stats").json()["deals"]
    assert (deals["count"], deals["amount_wan"]) == (1, 260.0)


def test_the_largest_deals_still_add_up_in_the_statistics(
    client: TestClient, database: Database, admin: Actor
) -> None:
    for title in ("甲", "乙", "丙"):
        intro = _negotiating(client, database, admin, title)
        assert _move(client, admin, intro, "signed", amount_wan=1e8).status_code == 200
    stats = client.get("/api/v1/stats")
    assert stats.status_code == 200
    assert stats.json()["deals"]["amount_wan"] == 3e8


@pytest.mark.parametrize("steps", [[], ["contacted"], ["contacted", "negotiating"]])
def test_closing_from_any_open_step_needs_a_reason(
    client: TestClient, database: Database, admin: Actor, steps: list[str]
) -> None:
    demand, expert = add_listing(database, "demand"), add_listing(database, "expert")
    intro = _create(client, admin, ("demand", demand), ("expert", expert)).json()["id"]
    for step in steps:
        _move(client, admin, intro, step)
    assert _move(client, admin, intro, "closed").status_code == 422
    closed = _move(client, admin, intro, "closed", reason="  对方无合作意向 ").json()
    assert (closed["status"], closed["close_reason"]) == ("closed", "对方无合作意向")
    assert closed["closed_at"] is not None and closed["signed_at"] is None
    assert len(closed["events"]) == len(steps) + 2


def test_unknown_introduction_is_404(client: TestClient, admin: Actor) -> None:
    assert client.get(f"{URL}/42", headers=admin.headers).status_code == 404
    assert _move(client, admin, 42, "contacted").status_code == 404


@pytest.mark.parametrize("bad", [2**31, 10**20, 0, -1])
def test_ids_outside_the_integer_range_are_refused(
    client: TestClient, database: Database, admin: Actor, bad: int
) -> None:
    carrier = add_listing(database, "carrier")
    assert client.get(f"{URL}/{bad}", headers=admin.headers).status_code == 422
    assert _move(client, admin, bad, "contacted").status_code == 422
    for a, b in ((("lead", bad), ("carrier", carrier)), (("carrier", carrier), ("lead", bad))):
        assert _create(client, admin, a, b).status_code == 422
    assert client.get(f"{URL}/{2**31 - 1}", headers=admin.headers).status_code == 404


def test_staff_filter_the_list(client: TestClient, database: Database, admin: Actor) -> None:
    demand = add_listing(database, "demand")
    a1, a2 = (
        add_listing(database, "achievement"),
        add_listing(database, "achievement", title="另一项成果", city="合肥"),
    )
    first = _create(client, admin, ("demand", demand), ("achievement", a1)).json()["id"]
    second = _create(client, admin, ("demand", demand), ("achievement", a2)).json()["id"]
    _move(client, admin, second, "contacted")

    def ids(**params: Any) -> list[int]:
        return [
            i["id"] for i in client.get(URL, params=params, headers=admin.headers).json()["items"]
        ]

    assert ids() == [second, first]
    assert ids(status="contacted") == [second]
    assert ids(city="hefei") == [second]
    assert ids(industry="nev") == [second, first]
    assert ids(industry="ai") == []
    item = client.get(URL, headers=admin.headers).json()["items"][0]
    assert item["party_b"]["city_name"] == "合肥" and "events" not in item


def test_list_filters_take_names_as_people_write_them(
    client: TestClient, database: Database, admin: Actor
) -> None:
    lead = add_lead(database, city="松江", industry="人工智能")
    carrier = add_listing(database, "carrier")
    demand, achievement = add_listing(database, "demand"), add_listing(database, "achievement")
    in_songjiang = _create(client, admin, ("lead", lead), ("carrier", carrier)).json()["id"]
    _create(client, admin, ("demand", demand), ("achievement", achievement))

    def ids(**params: Any) -> list[int]:
        response = client.get(URL, params=params, headers=admin.headers)
        assert response.status_code == 200, response.text
        return [i["id"] for i in response.json()["items"]]

    for city in ("songjiang", "松江", "上海市松江区"):
        assert ids(city=city) == [in_songjiang]
    for industry in ("ai", "人工智能"):
        assert ids(industry=industry) == [in_songjiang]
    assert ids(city="松江", industry="新能源汽车") == []


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"city": "nowhere"}, ["city"]),
        ({"industry": "炼金术"}, ["industry"]),
        ({"city": "北京", "industry": "炼金术"}, ["city", "industry"]),
    ],
)
def test_unknown_filter_values_are_a_problem(
    client: TestClient, admin: Actor, params: dict[str, str], fields: list[str]
) -> None:
    response = client.get(URL, params=params, headers=admin.headers)
    assert response.status_code == 422
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == fields
    assert problem["detail"].startswith("筛选条件有误") and problem["detail_en"]


@pytest.mark.parametrize("name", ["city", "industry"])
def test_filter_values_have_a_length_limit(client: TestClient, admin: Actor, name: str) -> None:
    response = client.get(URL, params={name: "松" * 51}, headers=admin.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == name


def test_members_follow_their_own_introductions_with_contacts_per_policy(
    client: TestClient, database: Database, admin: Actor, make_actor: MakeActor, make_org: Any
) -> None:
    mine = make_org("嘉兴示例新能源有限公司", city="jiaxing")
    member = make_actor("member", organization_id=mine.id)
    demand = add_listing(database, "demand")  # owned by 嘉兴示例新能源有限公司
    achievement = add_listing(database, "achievement")
    other = add_listing(database, "achievement", title="别家成果", organization="别的大学")
    intro = _create(client, admin, ("demand", demand), ("achievement", achievement)).json()["id"]
    _create(client, admin, ("achievement", other), ("expert", add_listing(database, "expert")))

    page = client.get(URL, headers=member.headers).json()
    assert [i["id"] for i in page["items"]] == [intro]
    detail = client.get(f"{URL}/{intro}", headers=member.headers).json()
    assert detail["party_a"]["contact_mobile"] == "13812345678"  # their own listing
    assert detail["party_b"]["contact_mobile"] == "138****5678"  # only proposed so far
    _move(client, admin, intro, "contacted")
    detail = client.get(f"{URL}/{intro}", headers=member.headers).json()
    assert detail["party_b"]["contact_masked"] is False
    stranger = make_actor("member", organization_id=make_org().id)
    assert client.get(f"{URL}/{intro}", headers=stranger.headers).status_code == 404
    assert client.get(URL, headers=stranger.headers).json()["total"] == 0
    assert _move(client, member, intro, "negotiating").status_code == 403
    assert client.get(URL).status_code == 401


PATH_TO = {
    "proposed": [],
    "contacted": ["contacted"],
    "negotiating": ["contacted", "negotiating"],
    "signed": ["contacted", "negotiating", "signed"],
    "closed": ["closed"],
}
ALLOWED = {
    ("proposed", "contacted"),
    ("proposed", "closed"),
    ("contacted", "negotiating"),
    ("contacted", "closed"),
    ("negotiating", "signed"),
    ("negotiating", "closed"),
}
TERMS: dict[str, dict[str, Any]] = {"signed": {"amount_wan": 80}, "closed": {"reason": "终止"}}


@pytest.mark.parametrize("to", list(PATH_TO))
@pytest.mark.parametrize("current", list(PATH_TO))
def test_every_move_over_http(
    client: TestClient, database: Database, admin: Actor, current: str, to: str
) -> None:
    demand, achievement = add_listing(database, "demand"), add_listing(database, "achievement")
    intro = _create(client, admin, ("demand", demand), ("achievement", achievement)).json()["id"]
    for step in PATH_TO[current]:
        assert _move(client, admin, intro, step, **TERMS.get(step, {})).status_code == 200
    response = _move(client, admin, intro, to, **TERMS.get(to, {}))
    if (current, to) in ALLOWED:
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == to and body[f"{to}_at"] is not None
        assert (body["events"][-1]["from_status"], body["events"][-1]["to_status"]) == (current, to)
    else:
        assert response.status_code == 409, response.text
        assert response.json()["errors"][0]["current"] == current
        after = client.get(f"{URL}/{intro}", headers=admin.headers).json()
        assert after["status"] == current and len(after["events"]) == len(PATH_TO[current]) + 1


def test_a_member_requests_an_introduction_over_http(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    org = make_org("示例大学", city="hangzhou")
    member = make_actor("member", organization_id=org.id)
    operator = make_actor("operator")
    achievement = _post_listing(client, member, "achievements")
    demand = _post_listing(client, operator, "demands")
    body = {
        "party_a": {"kind": "demand", "id": demand},
        "party_b": {"kind": "achievement", "id": achievement},
        "note": "我能解决",
    }
    assert client.post(f"{URL}/requests", json=body).status_code == 401
    created = client.post(f"{URL}/requests", json=body, headers=member.headers)
    assert created.status_code == 201, created.text
    intro = created.json()
    assert intro["status"] == "requested" and intro["status_label"] == "待受理"
    assert intro["allowed_next"] == ["proposed", "closed"]
    assert client.post(f"{URL}/requests", json=body, headers=member.headers).status_code == 409
    # The member follows it; an operator accepts it into the pipeline.
    listed = client.get(URL, headers=member.headers).json()["items"]
    assert [i["id"] for i in listed] == [intro["id"]]
    assert _move(client, member, intro["id"], "proposed").status_code == 403
    accepted = _move(client, operator, intro["id"], "proposed")
    assert accepted.status_code == 200 and accepted.json()["status"] == "proposed"


def _post_listing(client: TestClient, actor: Actor, slug: str) -> int:
    cells = {
        "achievements": {
            "title": "高导热石墨烯散热膜",
            "abstract": "已完成中试。",
            "industry": "新材料",
        },
        "demands": {"title": "电池包散热方案", "description": "需减重20%。", "industry": "新材料"},
    }[slug]
    body = {**cells, "city": "杭州", "organization": "别家公司" if slug == "demands" else None}
    body = {k: v for k, v in body.items() if v is not None}
    created = client.post(f"/api/v1/{slug}", json=body, headers=actor.headers)
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


# --- The cockpit: owner, work log, days in stage (issue 15) ------------------------------------


def test_owner_and_follow_ups_over_http(
    client: TestClient,
    database: Database,
    admin: Actor,
    make_actor: MakeActor,
    make_org: MakeOrganization,
) -> None:
    demand = add_listing(database, "demand", organization="嘉兴示例新能源有限公司")
    achievement = add_listing(database, "achievement")
    intro = _create(client, admin, ("demand", demand), ("achievement", achievement)).json()
    assert intro["owner_id"] is None and intro["days_in_stage"] == 0 and not intro["stalled"]
    assert intro["party_a"]["company"] == "嘉兴示例新能源有限公司"
    assert intro["party_b"]["company"] == "示例大学"
    ops = make_actor("operator", city_scope=["jiaxing"])
    url = f"{URL}/{intro['id']}"

    member = make_actor("member", organization_id=make_org().id)
    refused = client.put(f"{url}/owner", json={"owner_id": member.user_id}, headers=ops.headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "owner_id"
    owned = client.put(f"{url}/owner", json={"owner_id": ops.user_id}, headers=ops.headers)
    assert owned.status_code == 200 and owned.json()["owner_id"] == ops.user_id
    assert owned.json()["owner_name"].startswith("operator")

    for body, field in (
        ({"note": ""}, "note"),
        ({"note": "x", "due_on": "2026-12-08"}, "next_step"),
        ({"note": "x", "next_step": "y", "due_on": "08/12/2026"}, "due_on"),
    ):
        bad = client.post(f"{url}/follow-ups", json=body, headers=ops.headers)
        assert bad.status_code == 422, body
        assert field in {e["field"].split(".")[-1] for e in bad.json()["errors"]}, bad.json()
    added = client.post(
        f"{url}/follow-ups",
        json={"note": "已约双方线上交流", "next_step": "寄送样品", "due_on": "2026-12-08"},
        headers=ops.headers,
    )
    assert added.status_code == 201, added.text
    body = added.json()
    assert (body["next_step"], body["next_step_due"]) == ("寄送样品", "2026-12-08")
    (entry,) = body["follow_ups"]
    assert entry["note"] == "已约双方线上交流" and entry["by_user_id"] == ops.user_id
    listed = client.get(URL, headers=ops.headers).json()["items"][0]
    assert listed["next_step"] == "寄送样品" and "follow_ups" not in listed

    # Out of scope: neither owner nor notes.
    far = make_actor("operator", city_scope=["hefei"])
    assert (
        client.put(f"{url}/owner", json={"owner_id": None}, headers=far.headers).status_code == 403
    )
    assert (
        client.post(f"{url}/follow-ups", json={"note": "x"}, headers=far.headers).status_code == 403
    )
    # A member of either side follows the introduction, not the operators' notes or owner.
    with database.unit_of_work() as s:
        org_id = s.scalar(select(Demand.organization_id).where(Demand.id == demand))
    side = make_actor("member", organization_id=org_id)
    seen = client.get(url, headers=side.headers).json()
    assert seen["follow_ups"] == [] and seen["owner_id"] is None and seen["next_step"] is None


def test_days_in_stage_and_stalled_from_the_stored_steps(
    client: TestClient, database: Database, admin: Actor
) -> None:
    lead = add_lead(database)
    achievement = add_listing(database, "achievement")
    long_ago = datetime.now(UTC) - timedelta(days=10)
    made = _create(client, admin, ("lead", lead), ("achievement", achievement)).json()
    with database.unit_of_work() as s:
        row = s.get(Introduction, made["id"])
        assert row is not None
        row.proposed_at = long_ago
    body = client.get(f"{URL}/{made['id']}", headers=admin.headers).json()
    assert body["days_in_stage"] == 10 and body["stalled"] is True, "proposed for 10 > 7 days"
    moved = _move(client, admin, made["id"], "contacted").json()
    assert moved["days_in_stage"] == 0 and moved["stalled"] is False
