"""Setting up over HTTP: an operator creates a session, adds a lot, opens it, approves bidders."""

from __future__ import annotations

from fastapi.testclient import TestClient
from httpx2 import Response

from factorlink.db.session import Database
from tests.auction.conftest import Clock
from tests.auction.crowd import counting, crowd
from tests.factories import MakeActor, MakeOrganization
from tests.introduction.builders import add_listing

SESSION = {
    "title": "G60科技成果拍卖会2027春季场",
    "starts_at": "2027-03-01T08:59:00Z",
    "ends_at": "2027-03-01T11:00:00Z",
    "extension_minutes": 3,
    "bands": [{"from_wan": 0, "step_wan": 5}, {"from_wan": 200, "step_wan": 10}],
    "deposit_wan": 20,
}


def test_operator_sets_up_and_a_member_bids(
    auction_client: TestClient,
    database: Database,
    make_actor: MakeActor,
    make_org: MakeOrganization,
) -> None:
    client, operator = auction_client, make_actor("operator").headers
    achievement = add_listing(database, "achievement", code="ACH-2027-001")
    created = client.post("/api/v1/auctions", json=SESSION, headers=operator)
    assert created.status_code == 201, created.text
    session = created.json()
    assert session["status"] == "draft" and session["bands"][1] == {"from_wan": 200, "step_wan": 10}
    sid = session["id"]
    assert client.get(f"/api/v1/auctions/{sid}").status_code == 404  # drafts are staff-only
    lot = client.post(
        f"/api/v1/auctions/{sid}/lots",
        json={"achievement_code": "ACH-2027-001", "start_price_wan": 248, "reserve_price_wan": 250},
        headers=operator,
    )
    assert lot.status_code == 201, lot.text
    assert lot.json()["achievement_id"] == achievement and lot.json()["reserve_price_wan"] == 250
    again = client.post(
        f"/api/v1/auctions/{sid}/lots",
        json={"achievement_id": achievement, "start_price_wan": 1},
        headers=operator,
    )
    assert again.status_code == 409
    assert client.post(f"/api/v1/auctions/{sid}/open", headers=operator).json()["status"] == "open"

    member = make_actor("member", organization_id=make_org().id)
    registered = client.post(f"/api/v1/auctions/{sid}/bidders", headers=member.headers)
    assert registered.status_code == 201 and registered.json()["status"] == "pending"
    listed = client.get(f"/api/v1/auctions/{sid}/bidders", headers=operator).json()
    assert [b["status"] for b in listed] == ["pending"]
    decided = client.post(
        f"/api/v1/auctions/{sid}/bidders/{listed[0]['id']}/approval",
        json={"approve": True, "deposit_wan": 20},
        headers=operator,
    )
    assert decided.json()["status"] == "approved" and decided.json()["deposit_wan"] == 20
    bid = client.post(
        f"/api/v1/lots/{lot.json()['id']}/bids",
        json={"amount_wan": 300},
        headers={**member.headers, "Idempotency-Key": "first"},
    )
    assert bid.status_code == 201 and bid.json()["price_wan"] == 250  # lifted to the reserve
    public = client.get(f"/api/v1/auctions/{sid}").json()
    assert public["lots"][0]["reserve_price_wan"] is None and public["lots"][0]["price_wan"] == 250
    assert client.get("/api/v1/auctions").json()["total"] == 1
    orgless = client.post(f"/api/v1/auctions/{sid}/bidders", headers=make_actor("member").headers)
    assert orgless.status_code == 409 and "机构" in orgless.json()["detail"]


def test_bad_sessions_and_lots_are_named(
    auction_client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    client, operator = auction_client, make_actor("operator").headers
    backwards = client.post(
        "/api/v1/auctions", json={**SESSION, "ends_at": "2027-03-01T08:00:00Z"}, headers=operator
    )
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "ends_at"
    bands = client.post(
        "/api/v1/auctions",
        json={**SESSION, "bands": [{"from_wan": 10, "step_wan": 1}]},
        headers=operator,
    )
    assert bands.status_code == 422 and "第一档须从0开始" in bands.json()["detail"]
    naive = client.post(
        "/api/v1/auctions", json={**SESSION, "starts_at": "2027-03-01T08:59:00"}, headers=operator
    )
    assert naive.status_code == 422 and naive.json()["errors"][0]["field"] == "starts_at"
    member = make_actor("member")
    assert client.post("/api/v1/auctions", json=SESSION, headers=member.headers).status_code == 403
    sid = client.post("/api/v1/auctions", json=SESSION, headers=operator).json()["id"]
    empty = client.post(f"/api/v1/auctions/{sid}/open", headers=operator)
    assert empty.status_code == 409 and "没有拍品" in empty.json()["detail"]
    unknown = client.post(
        f"/api/v1/auctions/{sid}/lots",
        json={"achievement_code": "NOPE", "start_price_wan": 1},
        headers=operator,
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "achievement_id"
    achievement = add_listing(database, "achievement")
    single_with_reserve = client.post(
        f"/api/v1/auctions/{sid}/lots",
        json={
            "achievement_id": achievement,
            "start_price_wan": 100,
            "reserve_price_wan": 120,
            "single_offer": True,
        },
        headers=operator,
    )
    assert single_with_reserve.status_code == 422
    orgless = client.post(f"/api/v1/auctions/{sid}/bidders", headers=member.headers)
    assert orgless.status_code == 404  # a draft is not visible to members


def test_sessions_read_in_as_many_statements_for_20_lots_as_for_5(
    auction_client: TestClient,
    database: Database,
    make_actor: MakeActor,
    make_org: MakeOrganization,
    clock: Clock,
) -> None:
    client = auction_client
    bidder = make_actor("member", organization_id=make_org().id)
    viewers = {"anonymous": {}, "bidder": bidder.headers, "operator": make_actor("admin").headers}

    def statements(path: str, headers: dict[str, str]) -> int:
        with counting(database.engine) as seen:
            answer = client.get(path, headers=headers)
        assert answer.status_code == 200, answer.text
        return len(seen)

    small = crowd(database, clock, 5, bidder)
    listed_one = {v: statements("/api/v1/auctions", h) for v, h in viewers.items()}
    large = crowd(database, clock, 20, bidder)
    listed_two = {v: statements("/api/v1/auctions", h) for v, h in viewers.items()}
    assert listed_one == listed_two  # and as many for two sessions as for one
    for viewer, headers in viewers.items():
        five = statements(f"/api/v1/auctions/{small}", headers)
        twenty = statements(f"/api/v1/auctions/{large}", headers)
        assert five == twenty, f"{viewer}: {five} statements for 5 lots, {twenty} for 20"
    shown = client.get(f"/api/v1/auctions/{large}", headers=viewers["operator"]).json()["lots"]
    assert [lot["status"] for lot in shown[:2]] == ["open", "closed"]
    assert shown[1]["result"]["winner_organization"] is not None
    mine = client.get(f"/api/v1/auctions/{large}", headers=bidder.headers).json()["lots"]
    assert [lot["mine"]["status"] for lot in mine[:2]] == ["leading", "won"]
    assert {lot["mine"]["max_wan"] for lot in mine} == {10.0}


def test_operators_run_only_the_sessions_of_their_cities(
    auction_client: TestClient,
    database: Database,
    make_actor: MakeActor,
    make_org: MakeOrganization,
) -> None:
    """Issue 13, item 12: the 嘉兴 operator may not open, approve in or close a 松江 session."""
    client = auction_client
    songjiang = make_actor("operator", city_scope=["songjiang"]).headers
    jiaxing = make_actor("operator", city_scope=["jiaxing"]).headers
    admin = make_actor("admin").headers
    add_listing(database, "achievement", code="ACH-SJ-001", city="松江")
    created = client.post("/api/v1/auctions", json=SESSION, headers=songjiang)
    assert created.status_code == 201 and created.json()["city"] == "songjiang"
    assert created.json()["city_name"] == "上海松江"
    sid = created.json()["id"]
    lot = {"achievement_code": "ACH-SJ-001", "start_price_wan": 100}
    url = f"/api/v1/auctions/{sid}"

    def refused(response: Response) -> bool:
        return response.status_code == 403 and "运营范围" in response.json()["detail"]

    assert refused(client.post(f"{url}/lots", json=lot, headers=jiaxing))
    assert client.post(f"{url}/lots", json=lot, headers=songjiang).status_code == 201
    assert refused(client.post(f"{url}/open", headers=jiaxing))
    assert client.post(f"{url}/open", headers=admin).json()["status"] == "open"  # admins can
    member = make_actor("member", organization_id=make_org().id)
    bidder = client.post(f"{url}/bidders", headers=member.headers).json()["id"]
    approval = f"{url}/bidders/{bidder}/approval"
    assert refused(client.post(approval, json={"approve": True}, headers=jiaxing))
    assert refused(client.get(f"{url}/bidders", headers=jiaxing))
    approved = client.post(approval, json={"approve": True}, headers=songjiang)
    assert approved.json()["status"] == "approved"
    assert refused(client.post(f"{url}/close", headers=jiaxing))
    assert client.post(f"{url}/close", headers=songjiang).status_code == 200
    lot_id = client.get(url).json()["lots"][0]["id"]
    assert refused(client.get(f"/api/v1/lots/{lot_id}/audit", headers=jiaxing))
    # A session is set up in the operator's own city: not in another, nor region-wide.
    elsewhere = client.post("/api/v1/auctions", json={**SESSION, "city": "松江"}, headers=jiaxing)
    assert refused(elsewhere)
    multi = make_actor("operator", city_scope=["songjiang", "jiaxing"]).headers
    unnamed = client.post("/api/v1/auctions", json=SESSION, headers=multi)
    assert unnamed.status_code == 422 and unnamed.json()["errors"][0]["field"] == "city"
    unknown = client.post("/api/v1/auctions", json={**SESSION, "city": "火星"}, headers=admin)
    assert unknown.status_code == 422 and "火星" in unknown.json()["detail"]
    regional = client.post("/api/v1/auctions", json=SESSION, headers=admin)
    assert regional.json()["city"] is None
    assert refused(client.post(f"/api/v1/auctions/{regional.json()['id']}/open", headers=jiaxing))


def test_a_session_carries_its_terms_and_a_lot_its_appraised_value(
    auction_client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    client, operator = auction_client, make_actor("operator").headers
    achievement = add_listing(database, "achievement")
    terms = {
        "announcement": "  定于2027年3月1日网络拍卖。 ",
        "rules": "竞买人须为依法设立的企业。",
        "deposit_instructions": "保证金汇入平台专户。",
    }
    created = client.post("/api/v1/auctions", json={**SESSION, **terms}, headers=operator)
    assert created.status_code == 201, created.text
    session = created.json()
    assert session["announcement"] == "定于2027年3月1日网络拍卖。"  # trimmed
    assert session["rules"] == terms["rules"] and session["results_published_at"] is None
    lot = client.post(
        f"/api/v1/auctions/{session['id']}/lots",
        json={"achievement_id": achievement, "start_price_wan": 100, "appraised_price_wan": 150},
        headers=operator,
    ).json()
    assert lot["appraised_price_wan"] == 150 and lot["extension_minutes"] == 3
    too_long = client.post(
        "/api/v1/auctions", json={**SESSION, "rules": "须" * 20001}, headers=operator
    )
    assert too_long.status_code == 422
