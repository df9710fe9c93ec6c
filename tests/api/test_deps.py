"""Credentials of API calls: a write carried by the session cookie alone needs the page's CSRF
token; bearer tokens, reads and visitors are unaffected."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from factorlink.api.cookies import SESSION_COOKIE
from factorlink.api.deps import bearer_token
from factorlink.auth.models import Role, User
from factorlink.auth.passwords import hash_password
from factorlink.db.session import Database
from factorlink.errors import PermissionDenied
from factorlink.lead.models import Lead
from factorlink.web.csrf import HEADER, token_for
from tests.factories import MakeActor
from tests.introduction.builders import LEAD, add_lead

PASSWORD = "嘉善-G60-staple-battery"


@pytest.fixture
def logged_in(client: TestClient, database: Database) -> TestClient:
    """The client of an admin logged in through the API: the session cookie is set."""
    with database.unit_of_work() as session:
        session.add(
            User(username="qian.ad", password_hash=hash_password(PASSWORD), role=Role.admin)
        )
    answer = client.post("/api/v1/auth/login", json={"username": "qian.ad", "password": PASSWORD})
    assert answer.status_code == 200 and client.cookies.get(SESSION_COOKIE)
    return client


def _contact(database: Database, lead_id: int) -> tuple[str | None, bool]:
    with database.unit_of_work() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        return lead.contact_mobile, lead.consent


def test_a_same_site_post_with_only_the_cookie_cannot_withdraw_consent(
    logged_in: TestClient, database: Database
) -> None:
    lead_id = add_lead(database)
    url = f"/api/v1/leads/{lead_id}/withdraw-consent"
    refused = logged_in.post(url)  # what a form or script on another page of the site can send
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert HEADER in refused.json()["detail_en"]
    wrong = logged_in.post(url, headers={HEADER: token_for("someone else's session")})
    assert wrong.status_code == 403
    assert _contact(database, lead_id) == (LEAD["contact_mobile"], True)  # nothing erased
    # Reads with the cookie go on as before; the page's own script sends the token.
    assert logged_in.get(f"/api/v1/leads/{lead_id}").status_code == 200
    token = token_for(logged_in.cookies[SESSION_COOKIE])
    done = logged_in.post(url, headers={HEADER: token})
    assert done.status_code == 200, done.text
    assert _contact(database, lead_id) == (None, False)


def test_bearer_tokens_and_visitors_need_no_csrf_token(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    lead_id = add_lead(database)
    operator = make_actor("operator")
    # A stray cookie does not matter when the call names its token.
    client.cookies.set(SESSION_COOKIE, "not-a-session")
    answer = client.post(f"/api/v1/leads/{lead_id}/withdraw-consent", headers=operator.headers)
    assert answer.status_code == 200, answer.text
    client.cookies.clear()
    assert client.post("/api/v1/leads", json=LEAD).status_code == 201


def test_a_page_carries_the_token_its_scripts_send(logged_in: TestClient) -> None:
    page = logged_in.get("/")
    found = re.search(r'<meta name="csrf-token" content="([0-9a-f]{64})">', page.text)
    assert found is not None
    assert found.group(1) == token_for(logged_in.cookies[SESSION_COOKIE])


def _request(method: str, headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": method, "path": "/api/v1/x", "headers": raw})


def test_every_endpoint_reading_the_credential_gets_the_rule() -> None:
    """Endpoints that read the credential themselves (the auction's bids) get the same rule."""
    cookie = {"cookie": f"{SESSION_COOKIE}=flk_session-secret"}
    assert bearer_token(_request("GET", cookie)) == "flk_session-secret"
    with pytest.raises(PermissionDenied):
        bearer_token(_request("POST", cookie))
    with pytest.raises(PermissionDenied):
        bearer_token(_request("DELETE", cookie))
    signed = {**cookie, HEADER: token_for("flk_session-secret")}
    assert bearer_token(_request("POST", signed)) == "flk_session-secret"
    named = {**cookie, "authorization": "Bearer flk_api-token"}
    assert bearer_token(_request("POST", named)) == "flk_api-token"
    assert bearer_token(_request("POST", {})) is None
