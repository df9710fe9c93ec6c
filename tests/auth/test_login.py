"""Login, logout, the current user, and what happens to bad, expired and revoked tokens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import select

from factorlink.api.app import create_app
from factorlink.api.deps import SESSION_COOKIE
from factorlink.auth.models import AuthToken, TokenKind, User
from factorlink.auth.passwords import verify_password
from factorlink.auth.tokens import digest
from factorlink.config import Settings
from factorlink.db.base import utcnow
from factorlink.db.session import Database
from tests.auth.conftest import PASSWORD, MakeUser
from tests.factories import MakeOrganization

LOGIN = "/api/v1/auth/login"


def _login(client: TestClient, username: str, password: str = PASSWORD) -> Response:
    return client.post(LOGIN, json={"username": username, "password": password})


def _problem(response: Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["status"] == status
    return body


def test_login_opens_a_server_side_session(
    client: TestClient,
    database: Database,
    settings: Settings,
    make_user: MakeUser,
    make_org: MakeOrganization,
) -> None:
    org = make_org("嘉兴示例新能源有限公司", city="jiaxing")
    make_user("chen.jx", role="member", organization_id=org.id)
    before = utcnow()

    response = client.post(LOGIN, json={"username": "chen.jx", "password": PASSWORD})

    assert response.status_code == 200, response.text
    body = response.json()
    token = body["token"]
    assert body["token_type"] == "bearer"
    assert body["user"]["username"] == "chen.jx"
    assert body["user"]["role"] == "member"
    assert body["user"]["organization_name"] == "嘉兴示例新能源有限公司"
    assert "password" not in response.text and PASSWORD not in response.text
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}={token};")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert f"Max-Age={settings.session_days * 86400}" in cookie
    with database.unit_of_work() as s:
        stored = s.scalars(select(AuthToken)).one()
        assert stored.digest == digest(token) and token not in stored.digest
        assert stored.kind == TokenKind.session
        assert stored.expires_at is not None
        lifetime = stored.expires_at - before
        assert timedelta(days=settings.session_days) <= lifetime
        assert lifetime < timedelta(days=settings.session_days, minutes=1)


def test_me_by_cookie_and_by_bearer(
    client: TestClient, make_user: MakeUser, make_org: MakeOrganization
) -> None:
    make_user("li.hz", role="operator", city_scope=["hangzhou", "songjiang"])
    token = _login(client, "li.hz").json()["token"]

    by_cookie = client.get("/api/v1/auth/me")  # the client kept the cookie
    assert by_cookie.status_code == 200
    me = by_cookie.json()
    assert (me["username"], me["role"]) == ("li.hz", "operator")
    assert me["city_scope"] == ["hangzhou", "songjiang"]
    assert me["city_scope_names"] == ["杭州", "上海松江"]
    client.cookies.clear()
    by_bearer = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert by_bearer.json()["username"] == "li.hz"


def test_me_needs_a_login(client: TestClient) -> None:
    body = _problem(client.get("/api/v1/auth/me"), 401)
    assert body["detail_en"] == "Login required"


def test_unknown_user_and_wrong_password_look_the_same(
    client: TestClient, make_user: MakeUser
) -> None:
    make_user("zhou.hf")
    wrong = _problem(_login(client, "zhou.hf", "not-the-password"), 401)
    unknown = _problem(_login(client, "nobody.hf", "not-the-password"), 401)
    for body in (wrong, unknown):
        body.pop("instance")
    assert wrong == unknown
    assert wrong["detail"] == "用户名或密码错误"
    assert "set-cookie" not in _login(client, "zhou.hf", "x" * 12).headers


def test_login_ignores_letter_case_of_the_username(client: TestClient, make_user: MakeUser) -> None:
    make_user("Wu.JinHua")
    assert _login(client, "wu.jinhua").status_code == 200


def test_credentials_are_never_read_from_the_url(client: TestClient, make_user: MakeUser) -> None:
    make_user("sun.sz")
    response = client.post(LOGIN, params={"username": "sun.sz", "password": PASSWORD})
    body = _problem(response, 422)
    assert PASSWORD not in response.text
    assert body["errors"]


def test_validation_errors_do_not_echo_the_password(client: TestClient) -> None:
    response = client.post(LOGIN, json={"username": "", "password": "秘密-secret-123"})
    _problem(response, 422)
    assert "秘密-secret-123" not in response.text


def test_disabled_account_cannot_log_in(client: TestClient, make_user: MakeUser) -> None:
    make_user("qian.wh", is_active=False)
    body = _problem(_login(client, "qian.wh"), 401)
    assert body["detail_en"] == "Account disabled"
    # The generic answer for a wrong password: a disabled account is only named to its owner.
    assert (
        _problem(_login(client, "qian.wh", "wrong-password!"), 401)["detail"] == "用户名或密码错误"
    )


def test_old_hash_is_upgraded_on_login(
    client: TestClient, database: Database, make_user: MakeUser
) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    user = make_user("zheng.xc", password_hash=weak)
    assert _login(client, "zheng.xc").status_code == 200
    with database.unit_of_work() as s:
        stored = s.get(User, user.id)
        assert stored is not None
        assert stored.password_hash != weak
        assert "m=65536" in stored.password_hash
        assert verify_password(stored.password_hash, PASSWORD)


@pytest.fixture
def proxied(settings: Settings, database: Database) -> Iterator[TestClient]:
    """A client of an app behind a trusted proxy: each request names its client address in
    X-Forwarded-For, so one test can log in from several addresses."""
    behind_proxy = settings.model_copy(update={"trusted_proxy": True})
    with TestClient(create_app(behind_proxy, database)) as c:
        yield c


def _login_from(
    client: TestClient, address: str, username: str, password: str = PASSWORD
) -> Response:
    return client.post(
        LOGIN,
        json={"username": username, "password": password},
        headers={"X-Forwarded-For": address},
    )


def test_five_failures_lock_that_client_out_not_the_owner(
    proxied: TestClient, make_user: MakeUser
) -> None:
    make_user("feng.hz")
    make_user("jiang.hz")
    for _ in range(5):
        _problem(_login_from(proxied, "203.0.113.7", "feng.hz", "guess-guess-guess"), 401)

    locked = _login_from(proxied, "203.0.113.7", "feng.hz")  # the right password, from A
    body = _problem(locked, 429)
    retry_after = int(locked.headers["retry-after"])
    assert 0 < retry_after <= 15 * 60
    assert "分钟" in str(body["detail"]) and "minute" in str(body["detail_en"])
    assert "set-cookie" not in locked.headers
    # The owner, from another address, still gets in; A may still log in to other accounts.
    assert _login_from(proxied, "198.51.100.23", "feng.hz").status_code == 200
    assert _login_from(proxied, "203.0.113.7", "jiang.hz").status_code == 200


def test_one_password_sprayed_over_forty_usernames_is_throttled(
    proxied: TestClient, make_user: MakeUser
) -> None:
    make_user("zhu.sz")
    answers = [
        _login_from(proxied, "203.0.113.9", f"staff{i:02d}", "Spring-2026-sprayed").status_code
        for i in range(40)
    ]
    assert answers[:20] == [401] * 20
    assert answers[20:] == [429] * 20
    refused = _login_from(proxied, "203.0.113.9", "zhu.sz")  # even a right password
    body = _problem(refused, 429)
    assert "address" in str(body["detail_en"])
    assert _login_from(proxied, "198.51.100.23", "zhu.sz").status_code == 200


def test_an_account_guessed_at_from_many_places_delays_only_those_that_failed(
    proxied: TestClient, make_user: MakeUser
) -> None:
    make_user("he.wh")
    attackers = [f"192.0.2.{i}" for i in range(1, 11)]
    for address in attackers:
        _problem(_login_from(proxied, address, "he.wh", "guess-guess-guess"), 401)
    delayed = _login_from(proxied, attackers[0], "he.wh", "guess-guess-guess")
    body = _problem(delayed, 429)
    assert 0 < int(delayed.headers["retry-after"]) <= 30
    assert "秒" in str(body["detail"]) and "several places" in str(body["detail_en"])
    # The owner has not failed: no lock, no delay.
    assert _login_from(proxied, "198.51.100.23", "he.wh").status_code == 200


def test_unknown_usernames_are_throttled_alike(client: TestClient) -> None:
    for _ in range(5):
        _problem(_login(client, "ghost", "guess-guess-guess"), 401)
    _problem(_login(client, "ghost", "guess-guess-guess"), 429)


def test_a_success_clears_earlier_failures(client: TestClient, make_user: MakeUser) -> None:
    make_user("han.jx")
    for _ in range(4):
        _problem(_login(client, "han.jx", "guess-guess-guess"), 401)
    assert _login(client, "han.jx").status_code == 200
    for _ in range(4):
        _problem(_login(client, "han.jx", "guess-guess-guess"), 401)
    assert _login(client, "han.jx").status_code == 200


def test_logout_revokes_the_session_and_clears_the_cookie(
    client: TestClient, database: Database, make_user: MakeUser
) -> None:
    make_user("yang.hz")
    token = _login(client, "yang.hz").json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}

    response = client.post("/api/v1/auth/logout")

    assert response.status_code == 204
    cleared = response.headers["set-cookie"]
    assert cleared.startswith(f'{SESSION_COOKIE}="";') and "Max-Age=0" in cleared
    assert SESSION_COOKIE not in client.cookies
    body = _problem(client.get("/api/v1/auth/me", headers=bearer), 401)
    assert body["detail_en"] == "Invalid or expired token"
    with database.unit_of_work() as s:
        assert s.scalars(select(AuthToken)).one().revoked_at is not None


def test_logout_with_a_stale_cookie_still_clears_it(client: TestClient) -> None:
    client.cookies.set(SESSION_COOKIE, "flk_long-gone")
    response = client.post("/api/v1/auth/logout")
    assert response.status_code == 204
    assert "Max-Age=0" in response.headers["set-cookie"]


def test_logout_leaves_api_tokens_alone(client: TestClient, make_user: MakeUser) -> None:
    make_user("xu.wz")
    session = _login(client, "xu.wz").json()["token"]
    created = client.post(
        "/api/v1/auth/tokens",
        json={"name": "erp-sync"},
        headers={"Authorization": f"Bearer {session}"},
    )
    api = {"Authorization": f"Bearer {created.json()['token']}"}
    client.cookies.clear()
    assert client.post("/api/v1/auth/logout", headers=api).status_code == 204
    assert client.get("/api/v1/auth/me", headers=api).status_code == 200
    assert (
        client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {session}"}).status_code
        == 200
    )


def test_expired_and_revoked_tokens_are_401_problems(
    client: TestClient, database: Database, make_user: MakeUser
) -> None:
    user = make_user("gu.sj")
    now = utcnow()
    secrets = {"expired": "flk_expired-secret", "revoked": "flk_revoked-secret"}
    with database.unit_of_work() as s:
        s.add(
            AuthToken(
                digest=digest(secrets["expired"]),
                user_id=user.id,
                kind=TokenKind.session,
                expires_at=now - timedelta(seconds=1),
            )
        )
        s.add(
            AuthToken(
                digest=digest(secrets["revoked"]),
                user_id=user.id,
                kind=TokenKind.api,
                name="old",
                revoked_at=now - timedelta(days=1),
            )
        )
    for secret in (*secrets.values(), "flk_never-issued"):
        for headers, cookies in (
            ({"Authorization": f"Bearer {secret}"}, {}),
            ({}, {SESSION_COOKIE: secret}),
        ):
            client.cookies.clear()
            client.cookies.update(cookies)
            body = _problem(client.get("/api/v1/auth/me", headers=headers), 401)
            assert body["detail"] == "登录已失效,请重新登录"
            # The public listings refuse a bad credential too, instead of silently going anonymous.
            _problem(client.get("/api/v1/achievements", headers=headers), 401)


def test_expired_sessions_are_purged_at_the_next_login(
    client: TestClient, database: Database, make_user: MakeUser
) -> None:
    user = make_user("lu.hf")
    with database.unit_of_work() as s:
        s.add(
            AuthToken(
                digest=digest("flk_stale"),
                user_id=user.id,
                kind=TokenKind.session,
                expires_at=utcnow() - timedelta(days=1),
            )
        )
    assert _login(client, "lu.hf").status_code == 200
    with database.unit_of_work() as s:
        digests = s.scalars(select(AuthToken.digest)).all()
        assert len(digests) == 1 and digest("flk_stale") not in digests
