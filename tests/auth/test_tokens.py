"""API tokens for integrations: created once with their secret, listed without it, revoked."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from factorlink.api.app import create_app
from factorlink.auth.models import AuthToken, Role, User
from factorlink.auth.service import USE_NOTED_EVERY, viewers_for_tokens
from factorlink.auth.tokens import digest
from factorlink.auth.viewer import Viewer
from factorlink.config import Settings
from factorlink.db.base import utcnow
from factorlink.db.session import Database
from factorlink.errors import NotAuthenticated
from tests.factories import MakeActor

TOKENS = "/api/v1/auth/tokens"


def test_token_lifecycle(client: TestClient, database: Database, make_actor: MakeActor) -> None:
    member = make_actor("operator")

    created = client.post(TOKENS, json={"name": "crm-sync"}, headers=member.headers)

    assert created.status_code == 201, created.text
    body = created.json()
    secret = body["token"]
    assert secret.startswith("flk_") and len(secret) > 40
    assert (body["kind"], body["name"]) == ("api", "crm-sync")
    # Without a lifetime of its own a token lasts FACTORLINK_API_TOKEN_DAYS (90), not forever.
    lifetime = datetime.fromisoformat(body["expires_at"]) - utcnow()
    assert timedelta(days=89, hours=23) < lifetime <= timedelta(days=90)
    with database.unit_of_work() as s:
        stored = s.get(AuthToken, body["id"])
        assert stored is not None and stored.digest == digest(secret)

    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/auth/me", headers=bearer).json()["id"] == member.user_id

    listed = client.get(TOKENS, headers=bearer)
    assert listed.status_code == 200
    assert secret not in listed.text and digest(secret) not in listed.text
    by_name = {t["name"]: t for t in listed.json()}
    assert set(by_name) == {"test", "crm-sync"}  # the actor's own token and the new one
    assert "token" not in by_name["crm-sync"] and "digest" not in by_name["crm-sync"]
    assert by_name["crm-sync"]["expires_at"] == body["expires_at"]  # shown when listed
    assert by_name["crm-sync"]["last_used_at"] is not None

    assert client.delete(f"{TOKENS}/{body['id']}", headers=member.headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 401
    names = [t["name"] for t in client.get(TOKENS, headers=member.headers).json()]
    assert names == ["test"]
    # Revoking twice is harmless.
    assert client.delete(f"{TOKENS}/{body['id']}", headers=member.headers).status_code == 204


def test_token_with_a_lifetime(client: TestClient, make_actor: MakeActor) -> None:
    actor = make_actor("admin")
    created = client.post(
        TOKENS, json={"name": "nightly-export", "expires_in_days": 30}, headers=actor.headers
    )
    assert created.status_code == 201
    lifetime = datetime.fromisoformat(created.json()["expires_at"]) - utcnow()
    assert timedelta(days=29, hours=23) < lifetime <= timedelta(days=30)


def test_the_default_lifetime_is_a_setting(
    settings: Settings, database: Database, make_actor: MakeActor
) -> None:
    week = settings.model_copy(update={"api_token_days": 7})
    with TestClient(create_app(week, database)) as client:
        actor = make_actor("operator")
        created = client.post(TOKENS, json={"name": "weekly"}, headers=actor.headers)
    assert created.status_code == 201, created.text
    lifetime = datetime.fromisoformat(created.json()["expires_at"]) - utcnow()
    assert timedelta(days=6, hours=23) < lifetime <= timedelta(days=7)


def test_an_expired_api_token_is_refused(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    actor = make_actor("operator")
    secret = client.post(TOKENS, json={"name": "old-sync"}, headers=actor.headers).json()["token"]
    with database.unit_of_work() as s:
        stored = s.scalars(select(AuthToken).where(AuthToken.digest == digest(secret))).one()
        stored.expires_at = utcnow() - timedelta(seconds=1)
    assert (
        client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )


def test_a_name_is_used_once_among_live_tokens(client: TestClient, make_actor: MakeActor) -> None:
    actor = make_actor("member")
    first = client.post(TOKENS, json={"name": "erp"}, headers=actor.headers)
    duplicate = client.post(TOKENS, json={"name": "erp"}, headers=actor.headers)
    assert duplicate.status_code == 409
    assert duplicate.json()["detail"] == "已有名为“erp”的有效令牌,请先吊销它"
    client.delete(f"{TOKENS}/{first.json()['id']}", headers=actor.headers)
    assert client.post(TOKENS, json={"name": "erp"}, headers=actor.headers).status_code == 201


def test_bad_token_names_are_rejected(client: TestClient, make_actor: MakeActor) -> None:
    actor = make_actor("member")
    for name in ("", "   ", "x" * 101):
        response = client.post(TOKENS, json={"name": name}, headers=actor.headers)
        assert response.status_code == 422, name
        assert response.json()["errors"][0]["field"] == "name"


def test_anonymous_cannot_create_or_list(client: TestClient) -> None:
    assert client.post(TOKENS, json={"name": "x"}).status_code == 401
    assert client.get(TOKENS).status_code == 401
    assert client.delete(f"{TOKENS}/1").status_code == 401


def test_only_admins_revoke_other_peoples_tokens(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    owner, other, admin = make_actor("member"), make_actor("operator"), make_actor("admin")
    with database.unit_of_work() as s:
        owner_token = s.scalars(select(AuthToken).where(AuthToken.user_id == owner.user_id)).one()
        token_id = owner_token.id

    denied = client.delete(f"{TOKENS}/{token_id}", headers=other.headers)
    assert denied.status_code == 404  # others' tokens are not even confirmed to exist
    assert client.get("/api/v1/auth/me", headers=owner.headers).status_code == 200

    assert client.delete(f"{TOKENS}/{token_id}", headers=admin.headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=owner.headers).status_code == 401
    assert client.delete(f"{TOKENS}/99999", headers=admin.headers).status_code == 404


def test_many_tokens_are_checked_at_once_as_one_is(
    database: Database, make_actor: MakeActor
) -> None:
    member, disabled = make_actor("member"), make_actor("member")
    revoked = make_actor("member")
    secrets = [
        a.headers["Authorization"].removeprefix("Bearer ") for a in (member, disabled, revoked)
    ]
    with database.unit_of_work() as session:
        session.get_one(User, disabled.user_id).is_active = False
        token = session.scalars(select(AuthToken).where(AuthToken.digest == digest(secrets[2])))
        token.one().revoked_at = utcnow()
    with database.unit_of_work() as session:
        found = viewers_for_tokens(session, [*secrets, "flk_unknown"])
    one = found[secrets[0]]
    assert isinstance(one, Viewer) and (one.user_id, one.role) == (member.user_id, Role.member)
    refusals = [found[s] for s in (*secrets[1:], "flk_unknown")]
    assert [(r.status, r.message) for r in refusals if isinstance(r, NotAuthenticated)] == [
        (401, "账号不可用"),
        (401, "登录已失效,请重新登录"),
        (401, "登录已失效,请重新登录"),
    ]


def test_a_batch_notes_a_tokens_use_once_a_minute(
    database: Database, make_actor: MakeActor
) -> None:
    secret = make_actor("member").headers["Authorization"].removeprefix("Bearer ")

    def last_used(at: datetime | None = None) -> datetime | None:
        with database.unit_of_work() as session:
            token = session.scalars(select(AuthToken).where(AuthToken.digest == digest(secret)))
            record = token.one()
            if at is not None:
                record.last_used_at = at
            return record.last_used_at

    def check() -> None:
        with database.unit_of_work() as session:
            assert isinstance(viewers_for_tokens(session, [secret])[secret], Viewer)

    recently = last_used(utcnow() - USE_NOTED_EVERY / 2)
    check()
    assert last_used() == recently  # noted a moment ago: left as it is
    last_used(utcnow() - USE_NOTED_EVERY)
    check()
    noted = last_used()
    assert noted is not None and utcnow() - noted < USE_NOTED_EVERY / 2
