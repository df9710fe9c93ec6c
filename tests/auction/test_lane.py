"""The bid lane answers a well-formed bid at the edge, as the route would; the rest go on to it."""

from __future__ import annotations

from typing import cast

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from starlette.routing import BaseRoute, Route

from tests.auction.conftest import BuildFloor, bid

# What only the server and the transport set, or what differs between two answers by nature.
_VARYING = {"date", "content-length"}


def _without_bid_route(client: TestClient) -> list[BaseRoute]:
    """Takes POST …/bids out of the app's routes (the lane alone can answer then); returns the
    routes as they were, to put back."""
    app = cast(FastAPI, client.app)
    before = list(app.router.routes)
    app.router.routes[:] = [
        r for r in before if not (isinstance(r, Route) and r.path.endswith("/lots/{id}/bids"))
    ]
    assert len(app.router.routes) == len(before) - 1
    return before


def test_a_well_formed_bid_is_answered_by_the_lane(
    auction_client: TestClient, build_floor: BuildFloor
) -> None:
    floor = build_floor(bidders=2, start_wan=100)
    app = cast(FastAPI, auction_client.app)
    routes = _without_bid_route(auction_client)
    try:
        placed = bid(auction_client, floor, 0, 120, key="lane-1")
        assert placed.status_code == 201, placed.text
        assert placed.json()["leading"] is True
        replay = bid(auction_client, floor, 0, 120, key="lane-1")
        assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
        low = bid(auction_client, floor, 1, 100, key="lane-2")
        assert low.status_code == 409
        assert low.headers["content-type"] == "application/problem+json"
        # Not the lane's: a body the model refuses goes on to the route, gone here.
        malformed = bid(auction_client, floor, 1, -1, key="lane-3")
        assert malformed.status_code in (404, 405)
    finally:
        app.router.routes[:] = routes


def _headers(response: Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k not in _VARYING}


def test_the_lane_answers_as_the_route(auction_client: TestClient, build_floor: BuildFloor) -> None:
    # A query string sends a bid on to the route: each answer is given once by each.
    floor = build_floor(bidders=3, start_wan=100)
    url = f"/api/v1/lots/{floor.lot_id}/bids"

    def post(who: int, amount: float, key: str, query: str = "") -> Response:
        headers = {**floor.bidders[who].headers, "Idempotency-Key": key}
        return auction_client.post(url + query, json={"amount_wan": amount}, headers=headers)

    by_lane = post(0, 150, "a")
    by_route = post(1, 160, "b", "?via=route")
    assert (by_lane.status_code, by_route.status_code) == (201, 201)
    assert _headers(by_lane) == _headers(by_route)
    assert by_lane.json().keys() == by_route.json().keys()
    replayed = (post(0, 150, "a"), post(1, 160, "b", "?via=route"))
    assert _headers(replayed[0]) == _headers(replayed[1])
    assert [r.json() for r in replayed] == [by_lane.json(), by_route.json()]
    refused = (post(2, 100, "c"), post(2, 100, "d", "?via=route"))
    assert [r.status_code for r in refused] == [409, 409]
    assert _headers(refused[0]) == _headers(refused[1])
    assert refused[0].json() == refused[1].json()
    reused = (post(2, 101, "c"), post(2, 101, "d", "?via=route"))
    assert [r.status_code for r in reused] == [409, 409]
    assert reused[0].json()["errors"][0]["field"] == "Idempotency-Key"
    assert _headers(reused[0]) == _headers(reused[1]) and reused[0].json() == reused[1].json()
    fraction = (post(2, 300.00001, "e"), post(2, 300.00001, "f", "?via=route"))
    assert [r.status_code for r in fraction] == [422, 422]
    assert fraction[0].json() == fraction[1].json()


def test_what_the_lane_does_not_take_is_the_routes(
    auction_client: TestClient, build_floor: BuildFloor
) -> None:
    floor = build_floor(bidders=1, start_wan=100)
    url = f"/api/v1/lots/{floor.lot_id}/bids"
    bearer = floor.bidders[0].headers

    def post(content: bytes, **headers: str) -> Response:
        return auction_client.post(url, content=content, headers={**bearer, **headers})

    no_key = post(b'{"amount_wan": 120}', **{"Content-Type": "application/json"})
    assert no_key.status_code == 422
    assert no_key.json()["errors"][0]["field"] == "Idempotency-Key"
    spaced = post(b'{"amount_wan": 120}', **{"Idempotency-Key": "a b"})
    assert spaced.status_code == 422
    assert spaced.json()["errors"][0]["field"] == "Idempotency-Key"
    not_json = post(b"amount=120", **{"Idempotency-Key": "k1"})
    assert not_json.status_code == 422 and not_json.json()["type"] == "/problems/invalid-input"
    wrong_type = post(
        b'{"amount_wan": 120}', **{"Idempotency-Key": "k2", "Content-Type": "text/plain"}
    )
    assert wrong_type.status_code == 422
    undeclared = post(b'{"amount_wan": 120}', **{"Idempotency-Key": "k3"})
    assert undeclared.status_code == 422  # no Content-Type: the body is no JSON
    json_type = {"Content-Type": "application/json; charset=utf-8"}
    missing = post(b'{"amount": 120}', **{"Idempotency-Key": "k3", **json_type})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "amount_wan"
    zero_id = auction_client.post(
        "/api/v1/lots/0/bids", json={"amount_wan": 1}, headers={**bearer, "Idempotency-Key": "z"}
    )
    assert zero_id.status_code == 422
    # None of these was a bid: the lot has none, and the next well-formed one is taken.
    assert auction_client.get(f"/api/v1/lots/{floor.lot_id}").json()["bid_count"] == 0
    assert post(b'{"amount_wan": 120}', **{"Idempotency-Key": "k4", **json_type}).status_code == 201
