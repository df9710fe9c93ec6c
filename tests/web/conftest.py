"""Fixtures of the web tests: users who log in through the login form, form tokens, and a
headless Chromium driving the app on a real server."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from factorlink.api.app import create_app
from factorlink.auth.models import Role, User
from factorlink.auth.passwords import hash_password
from factorlink.config import Settings
from factorlink.db.session import Database
from tests.factories import MakeOrganization
from tests.web.browser import (
    ARGS,
    CHROMIUM,
    DESKTOP,
    PHONE,
    WIDTHS,
    LiveServer,
    require_chromium,
)
from tests.web.browser import (
    shoot as shoot,  # re-exported: the browser tests import it from here
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PASSWORD = "G60-web-password-1"
_TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')

MakeWebUser = Callable[..., User]
LogInMember = Callable[..., User]
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


@pytest.fixture
def log_in_member(
    make_org: MakeOrganization, make_web_user: MakeWebUser, login_as: LoginAs
) -> LogInMember:
    """Logs a client in as the member of a new organisation of that name (and city); returns
    the user (its `organization_id` is the organisation's)."""

    def log_in(
        client: TestClient, name: str, city: str = "jiaxing", *, username: str | None = None
    ) -> User:
        org = make_org(name, city=city)
        user = make_web_user(username or f"u{org.id}", Role.member, organization_id=org.id)
        login_as(client, user)
        return user

    return log_in


def post_form(
    client: TestClient,
    path: str,
    data: dict[str, str],
    *,
    page: str | None = None,
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
) -> Response:
    """Posts a form as the browser would: with the form token of the page that shows it (the
    path itself unless `page`), redirects not followed."""
    token = csrf_token(client.get(page or path).text)
    return client.post(
        path, data={**data, "csrf_token": token}, files=files, follow_redirects=False
    )


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """One headless Chromium per test process (a fresh profile per context)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(settings: Settings, database: Database) -> Iterator[LiveServer]:
    """The app on a real uvicorn server, over the test's database."""
    server = LiveServer(create_app(settings, database))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def desktop(chromium: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh desktop-sized browser tab on the live server."""
    context = chromium.new_context(
        viewport=DESKTOP, base_url=live_server.url, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(params=sorted(WIDTHS), ids=lambda width: f"{width}px")
def tab(
    request: pytest.FixtureRequest, chromium: Browser, live_server: LiveServer
) -> Iterator[Page]:
    """A fresh tab at 1366 px, or at 390 px as a phone (touch); it accepts downloads. A test
    taking it walks its journey at both widths."""
    phone = request.param == "390"
    context = chromium.new_context(
        viewport=WIDTHS[request.param],
        base_url=live_server.url,
        locale="zh-CN",
        is_mobile=phone,
        has_touch=phone,
        accept_downloads=True,
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(chromium: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh phone-sized (390 px) browser tab, as WeChat's browser opens pages."""
    context = chromium.new_context(
        viewport=PHONE,
        base_url=live_server.url,
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    yield page
    context.close()


def browser_login(page: Page, user: User) -> None:
    """Logs in through the login form, by keyboard."""
    page.goto("/login")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_label("密码").press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
