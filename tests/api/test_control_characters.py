"""NUL and other control characters in input are dropped or refused, never a 500."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import MakeActor


def test_control_characters_everywhere(client: TestClient, make_actor: MakeActor) -> None:
    headers = make_actor("admin").headers
    lead = client.post(
        "/api/v1/leads",
        json={
            "need": "找\x00厂房",
            "company": "某\x00公司",
            "contact_name": "王\x00五",
            "contact_mobile": "13900001234",
            "lead_type": "space",
            "consent": True,
        },
    )
    assert lead.status_code == 201, lead.text
    assert (lead.json()["need"], lead.json()["contact_name"]) == ("找厂房", "王五")

    login = client.post("/api/v1/auth/login", json={"username": "a\x00b", "password": "x" * 12})
    assert login.status_code == 401
    user = client.post(
        "/api/v1/users",
        json={"username": "op\x001", "password": "abcdefghijk1", "role": "operator"},
        headers=headers,
    )
    assert user.status_code == 201, user.text
    assert user.json()["username"] == "op1"
    token = client.post("/api/v1/auth/tokens", json={"name": "t\x00k"}, headers=headers)
    assert token.status_code == 201, token.text

    org = client.post(
        "/api/v1/organizations",
        json={"name": "某\x1f公司", "kind": "企业", "city": "合肥"},
        headers=headers,
    ).json()
    assert org["name"] == "某公司"
    achievement = client.post(
        "/api/v1/achievements",
        json={"title": "石墨\x00烯", "abstract": "简介", "industry": "新材料",
              "organization": "某大学", "city": "合肥"},
        headers=headers,
    ).json()  # fmt: skip
    assert achievement["title"] == "石墨烯"
    intro = client.post(
        "/api/v1/introductions",
        json={
            "party_a": {"kind": "organization", "id": org["id"]},
            "party_b": {"kind": "achievement", "id": achievement["id"]},
            "note": "备\x00注",
        },
        headers=headers,
    )
    assert intro.status_code == 201, intro.text
    moved = client.post(
        f"/api/v1/introductions/{intro.json()['id']}/transitions",
        json={"to": "closed", "reason": "原\x00因"},
        headers=headers,
    )
    assert moved.status_code == 200, moved.text

    csv = "成果名称,成果简介,所属行业,所属机构,所在城市\n石墨\x00烯,简\x00介,新材料,某大学,合肥\n"
    imported = client.post(
        "/api/v1/imports",
        params={"kind": "achievement"},
        files={"file": ("a.csv", csv.encode(), "text/csv")},
        headers=headers,
    )
    # A CSV holding NUL bytes is taken for a binary file and refused with a clear reason.
    assert imported.status_code == 422, imported.text
    assert "编码" in imported.json()["detail"]

    for path, params in (
        ("/api/v1/leads", {"city": "合\x00肥"}),
        ("/api/v1/stats", {"city": "合\x00肥"}),
        ("/api/v1/introductions", {"city": "合\x00肥"}),
        ("/api/v1/achievements", {"q": "石墨\x00烯", "city": "合\x00肥"}),
    ):
        response = client.get(path, params=params, headers=headers)
        assert response.status_code < 500, (path, response.text)
