"""Fixtures of the web tests: users who log in through the login form, and form tokens."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from factorlink.auth.models import Role, User
from factorlink.auth.passwords import hash_password
from factorlink.db.session import Database

PASSWORD = "G60-web-password-1"
_TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')

MakeWebUser = Callable[..., User]
LoginAs = Callable[[TestClient, User], None]


def csrf_token(html: str) -> str:
    """The form token of a rendered page."""
    found = _TOKEN.search(html)
    assert found, "page has no CSRF token"
    return found.group(1)


@pytest.fixture(scope="session")
def password_hash() -> str:
    # One hash for every test user: Argon2 is deliberately slow.
    return hash_password(PASSWORD)


@pytest.fixture
def make_web_user(database: Database, password_hash: str) -> MakeWebUser:
    """Creates a user who logs in with PASSWORD."""

    def make(
        username: str,
        role: Role | str = Role.operator,
        *,
        organization_id: int | None = None,
        city_scope: list[str] | None = None,
        display_name: str | None = None,
    ) -> User:
        user = User(
            username=username,
            display_name=display_name,
            password_hash=password_hash,
            role=Role(role),
            organization_id=organization_id,
            city_scope=city_scope or [],
        )
        with database.unit_of_work() as s:
            s.add(user)
        return user

    return make


@pytest.fixture
def login_as() -> LoginAs:
    """Logs a client in through the login form."""

    def login(client: TestClient, user: User) -> None:
        token = csrf_token(client.get("/login").text)
        response = client.post(
            "/login",
            data={"username": user.username, "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text

    return login
