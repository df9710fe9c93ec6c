"""The bid endpoint over HTTP: proxy prices, labels, own status, refusals, audit, idempotency."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.auction.conftest import BuildFloor, Clock, bid
from tests.factories import MakeActor


def test_proxy_bids_anonymised_leader_and_own_status(
    auction_client: TestClient, build_floor: BuildFloor
) -> None:
    floor = build_floor(bidders=2, start_wan=248)
    first = bid(auction_client, floor, 0, 300)
    assert first.status_code == 201, first.text
    assert first.json() | {"placed_at": None, "end_at": None, "bid_id": None} == {
        "bid_id": None,
        "lot_id": floor.lot_id,
        "label": "竞买人 A",
        "max_wan": 300.0,
        "price_wan": 248.0,
        "leading": True,
        "end_at": None,
        "extended": False,
        "placed_at": None,
    }
    second = bid(auction_client, floor, 1, 260)
    assert second.status_code == 201
    assert (second.json()["label"], second.json()["leading"]) == ("竞买人 B", False)
    assert second.json()["price_wan"] == 270.0  # 260万 + the 10万 step of the 200万 band

    lot_a = auction_client.get(f"/api/v1/lots/{floor.lot_id}", headers=floor.bidders[0].headers)
    lot_b = auction_client.get(f"/api/v1/lots/{floor.lot_id}", headers=floor.bidders[1].headers)
    anonymous = auction_client.get(f"/api/v1/lots/{floor.lot_id}").json()
    assert lot_a.json()["mine"]["status"] == "leading"
    assert lot_a.json()["mine"]["max_wan"] == 300.0
    assert lot_b.json()["mine"] | {} == {
        "registered": True,
        "bidder_status": "approved",
        "label": "竞买人 B",
        "status": "outbid",
        "max_wan": 260.0,
    }
    assert anonymous["leader_label"] == "竞买人 A"
    assert anonymous["price_wan"] == 270.0 and anonymous["next_minimum_wan"] == 280.0
    assert anonymous["mine"] is None and anonymous["status"] == "open"
    history = auction_client.get(f"/api/v1/lots/{floor.lot_id}/bids").json()
    assert [(h["label"], h["price_wan"]) for h in history] == [
        ("竞买人 B", 270.0),
        ("竞买人 A", 248.0),
    ]
    assert "max_wan" not in history[0]


def test_reserve_is_hidden_from_bidders_and_shown_to_staff(
    auction_client: TestClient, build_floor: BuildFloor, make_actor: MakeActor
) -> None:
    floor = build_floor(reserve_wan=260)
    assert bid(auction_client, floor, 0, 250).status_code == 201
    for headers in (floor.bidders[0].headers, floor.bidders[1].headers, {}):
        body = auction_client.get(f"/api/v1/lots/{floor.lot_id}", headers=headers).text
        assert "260" not in body and 'reserve_price_wan":null' in body
    staff = auction_client.get(
        f"/api/v1/lots/{floor.lot_id}", headers=make_actor("operator").headers
    ).json()
    assert staff["reserve_price_wan"] == 260.0


def test_refused_bids_are_problems_and_audited(
    auction_client: TestClient, build_floor: BuildFloor, make_actor: MakeActor
) -> None:
    floor = build_floor(bidders=2, start_wan=100)
    assert bid(auction_client, floor, 0, 100).status_code == 201
    low = bid(auction_client, floor, 1, 101)
    assert low.status_code == 409
    assert low.headers["content-type"].startswith("application/problem+json")
    problem = low.json()
    assert "105" in problem["detail"] and problem["errors"][0]["field"] == "amount_wan"
    assert problem["errors"][0]["minimum_wan"] == "105"
    stranger = make_actor("member")
    refused = auction_client.post(
        f"/api/v1/lots/{floor.lot_id}/bids",
        json={"amount_wan": 200},
        headers={**stranger.headers, "Idempotency-Key": "x1"},
    )
    assert refused.status_code == 403 and "报名" in refused.json()["detail"]
    audit = auction_client.get(
        f"/api/v1/lots/{floor.lot_id}/audit", headers=make_actor("admin").headers
    ).json()
    assert [(e["event"], e["reason_code"]) for e in audit] == [
        ("accepted", None),
        ("rejected", "too_low"),
        ("rejected", "not_registered"),
    ]
    assert all(e["at"].endswith("Z") or e["at"].endswith("+00:00") for e in audit)
    assert (
        auction_client.get(
            f"/api/v1/lots/{floor.lot_id}/audit", headers=floor.bidders[0].headers
        ).status_code
        == 403
    )


def test_unapproved_bidders_cannot_bid(auction_client: TestClient, build_floor: BuildFloor) -> None:
    floor = build_floor(bidders=1, approve=False)
    response = bid(auction_client, floor, 0, 300)
    assert response.status_code == 403
    assert "保证金" in response.json()["detail"]
    assert auction_client.get(f"/api/v1/lots/{floor.lot_id}").json()["bid_count"] == 0


def test_idempotency_key_is_required_and_replays_the_answer(
    auction_client: TestClient, build_floor: BuildFloor
) -> None:
    floor = build_floor(bidders=1)
    url = f"/api/v1/lots/{floor.lot_id}/bids"
    missing = auction_client.post(url, json={"amount_wan": 300}, headers=floor.bidders[0].headers)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "Idempotency-Key"
    first = bid(auction_client, floor, 0, 300, key="same")
    again = bid(auction_client, floor, 0, 300, key="same")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other = bid(auction_client, floor, 0, 400, key="same")
    assert other.status_code == 409 and "Idempotency-Key" in other.json()["detail"]
    assert auction_client.get(f"/api/v1/lots/{floor.lot_id}").json()["bid_count"] == 1


def test_bad_amounts_are_named(auction_client: TestClient, build_floor: BuildFloor) -> None:
    floor = build_floor(bidders=1)
    fraction = bid(auction_client, floor, 0, 300.00001)
    assert fraction.status_code == 422 and fraction.json()["errors"][0]["field"] == "amount_wan"
    negative = bid(auction_client, floor, 0, -5)
    assert negative.status_code == 422
    assert (
        auction_client.post(
            "/api/v1/lots/999999/bids",
            json={"amount_wan": 1},
            headers={**floor.bidders[0].headers, "Idempotency-Key": "k"},
        ).status_code
        == 404
    )


def test_anti_sniping_moves_the_end(
    auction_client: TestClient, build_floor: BuildFloor, clock: Clock
) -> None:
    floor = build_floor(bidders=2, minutes=30)
    lot = auction_client.get(f"/api/v1/lots/{floor.lot_id}").json()
    clock.advance(minutes=27)  # 2 minutes before the end
    late = bid(auction_client, floor, 0, 300)
    assert late.json()["extended"] is True
    after = auction_client.get(f"/api/v1/lots/{floor.lot_id}").json()
    assert after["end_at"] > lot["end_at"] and after["extension_count"] == 1
    assert late.json()["end_at"] == after["end_at"]
