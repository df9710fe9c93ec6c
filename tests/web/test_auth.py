"""Login, logout, the form token and the language toggle."""

from __future__ import annotations

from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import select

from factorlink.api.app import create_app
from factorlink.auth.models import User
from factorlink.auth.passwords import verify_password
from factorlink.config import Settings
from factorlink.db.session import Database
from tests.web.conftest import PASSWORD, LoginAs, MakeWebUser, csrf_token


def test_login_sets_the_session_and_returns_to_the_page(
    client: TestClient, make_web_user: MakeWebUser
) -> None:
    make_web_user("ops", display_name="王运营")
    token = csrf_token(client.get("/login?next=/achievements").text)
    response = client.post(
        "/login",
        data={
            "username": "ops",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/achievements",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/achievements"
    assert "factorlink_session" in response.cookies
    home = client.get("/")
    assert "王运营" in home.text and "工作台" in home.text


def test_wrong_password_is_shown_on_the_form(
    client: TestClient, make_web_user: MakeWebUser
) -> None:
    make_web_user("ops")
    token = csrf_token(client.get("/login").text)
    response = client.post(
        "/login", data={"username": "ops", "password": "wrong-password!", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert 'value="ops"' in response.text
    assert "factorlink_session" not in response.cookies


def test_a_post_without_the_form_token_is_refused(
    client: TestClient, make_web_user: MakeWebUser
) -> None:
    make_web_user("ops")
    client.get("/login")
    response = client.post("/login", data={"username": "ops", "password": PASSWORD})
    assert response.status_code == 403
    assert "页面已过期" in response.text
    forged = client.post(
        "/login", data={"username": "ops", "password": PASSWORD, "csrf_token": "0" * 64}
    )
    assert forged.status_code == 403


def test_the_token_belongs_to_the_session(
    client: TestClient, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    user = make_web_user("ops")
    anonymous_token = csrf_token(client.get("/login").text)
    login_as(client, user)
    # The token of the anonymous page does not carry over into the logged-in session.
    stale = client.post("/logout", data={"csrf_token": anonymous_token}, follow_redirects=False)
    assert stale.status_code == 403
    token = csrf_token(client.get("/").text)
    assert token != anonymous_token
    out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert "工作台" not in client.get("/").text


def test_logout_revokes_the_session(
    client: TestClient, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    login_as(client, make_web_user("ops"))
    cookie = client.cookies.get("factorlink_session")
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    client.cookies.set("factorlink_session", cookie or "")
    # The old cookie is dead: the visitor is anonymous and the cookie is cleared.
    page = client.get("/")
    assert page.status_code == 200 and "工作台" not in page.text


def test_next_never_leaves_the_site(client: TestClient, make_web_user: MakeWebUser) -> None:
    make_web_user("ops")
    token = csrf_token(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "username": "ops",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_language_toggle(client: TestClient) -> None:
    assert "首页" in client.get("/").text
    response = client.get("/lang/en?next=/login", follow_redirects=False)
    assert response.headers["location"] == "/login"
    page = client.get("/")
    assert 'lang="en"' in page.text and "Home" in page.text
    assert (
        client.get("/lang/en?next=https://evil.example", follow_redirects=False).headers["location"]
        == "/"
    )


def test_pages_get_html_errors_and_the_api_keeps_problems(client: TestClient) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "未找到该地址" in page.text
    api = client.get("/api/v1/no-such-endpoint")
    assert api.headers["content-type"].startswith("application/problem+json")


def test_the_form_shares_the_throttle_per_client_and_account(
    settings: Settings, database: Database, make_web_user: MakeWebUser
) -> None:
    make_web_user("ops")
    behind_proxy = settings.model_copy(update={"trusted_proxy": True})
    with TestClient(create_app(behind_proxy, database)) as client:
        token = csrf_token(client.get("/login").text)

        def form(address: str, password: str) -> int:
            return client.post(
                "/login",
                data={"username": "ops", "password": password, "csrf_token": token},
                headers={"X-Forwarded-For": address},
                follow_redirects=False,
            ).status_code

        # Three wrong passwords by the API and two by the form, all from one address.
        for _ in range(3):
            api = client.post(
                "/api/v1/auth/login",
                json={"username": "ops", "password": "wrong-password!"},
                headers={"X-Forwarded-For": "203.0.113.7"},
            )
            assert api.status_code == 401
        assert [form("203.0.113.7", "wrong-password!") for _ in range(2)] == [401, 401]

        locked = client.post(
            "/login",
            data={"username": "ops", "password": PASSWORD, "csrf_token": token},
            headers={"X-Forwarded-For": "203.0.113.7"},
        )
        assert locked.status_code == 429 and "登录失败次数过多" in locked.text
        assert form("198.51.100.23", PASSWORD) == 303  # the owner, elsewhere, gets in


def test_changing_ones_password_on_the_page_keeps_this_browser_only(
    client: TestClient, make_web_user: MakeWebUser, login_as: LoginAs, database: Database
) -> None:
    user = make_web_user("ops")
    with TestClient(client.app) as other:  # the same user, logged in elsewhere
        login_as(other, user)
        login_as(client, user)
        assert other.get("/workspace/leads", follow_redirects=False).status_code == 200
        page = client.get("/account/password")
        assert page.status_code == 200 and 'href="/account/password"' in page.text
        token = csrf_token(page.text)

        def change(current: str, new: str, again: str) -> Response:
            return client.post(
                "/account/password",
                data={
                    "current_password": current,
                    "new_password": new,
                    "new_password_again": again,
                    "csrf_token": token,
                },
            )

        assert (
            'id="err-current_password"'
            in change("wrong-password!", "湖州-太湖-river-2026", "湖州-太湖-river-2026").text
        )
        differ = change(PASSWORD, "湖州-太湖-river-2026", "湖州-太湖-river-2027")
        assert differ.status_code == 422 and 'id="err-new_password_again"' in differ.text
        weak = change(PASSWORD, "qwertyuiop", "qwertyuiop")
        assert weak.status_code == 422 and 'id="err-new_password"' in weak.text

        done = change(PASSWORD, "湖州-太湖-river-2026", "湖州-太湖-river-2026")

        assert done.status_code == 200 and 'role="status"' in done.text
        assert client.get("/workspace/leads", follow_redirects=False).status_code == 200
        elsewhere = other.get("/workspace/leads", follow_redirects=False)
        assert elsewhere.status_code == 303  # its session ended: to the login page
        assert elsewhere.headers["location"].startswith("/login")
    with database.unit_of_work() as s:
        stored = s.scalars(select(User).where(User.username == "ops")).one()
        assert verify_password(stored.password_hash, "湖州-太湖-river-2026")


def test_the_password_page_asks_a_visitor_to_log_in(client: TestClient) -> None:
    response = client.get("/account/password", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
