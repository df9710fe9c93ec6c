"""The carrier API takes and gives the building, land and delivery details, and says which
field is wrong."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import MakeActor

BODY = {
    "name": "芜湖经开区智能装备标准厂房5号楼",
    "kind": "厂房",
    "city": "芜湖",
    "district": "芜湖经济技术开发区",
    "area": "6000㎡",
}


def test_a_carrier_is_posted_and_read_with_its_details(
    client: TestClient, make_actor: MakeActor
) -> None:
    operator = make_actor("operator")
    body = {
        **BODY,
        "address": "银湖北路68号",
        "ceiling_height_m": "9米",
        "floor_load_t": "3吨/㎡",
        "power_kva": "1250kVA",
        "crane": "10吨",
        "min_split": "1500㎡",
        "delivery_date": "2027年6月底",
        "land_use": "M1",
        "tenure_years": "50年",
    }
    created = client.post("/api/v1/carriers", json=body, headers=operator.headers)
    assert created.status_code == 201, created.text
    got = client.get(f"/api/v1/carriers/{created.json()['id']}").json()
    assert got["ceiling_height_m"] == 9 and got["floor_load_t"] == 3 and got["power_kva"] == 1250
    assert (got["crane"], got["crane_tonnes"]) == (True, 10)
    assert (got["divisible"], got["min_split_sqm"]) == (True, 1500)
    assert (got["delivery_date"], got["delivery_text"]) == ("2027-06-30", "2027年6月底")
    assert (got["land_use"], got["tenure_years"], got["address"]) == (
        "工业用地",
        50,
        "银湖北路68号",
    )


def test_a_wrong_detail_comes_back_with_its_field(
    client: TestClient, make_actor: MakeActor
) -> None:
    operator = make_actor("operator")
    body = {**BODY, "power_kva": "800kW", "min_split": "8000㎡"}
    response = client.post("/api/v1/carriers", json=body, headers=operator.headers)
    assert response.status_code == 422
    errors = {e["field"]: e["reason"] for e in response.json()["errors"]}
    assert "kVA" in errors["power_kva"]
    assert set(errors) == {"power_kva"}  # the cross-column rule waits for each column to parse
