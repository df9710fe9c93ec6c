"""Every cookie the app sets is Secure when FACTORLINK_SECURE_COOKIES says the site is HTTPS, and
the answers then carry HSTS; on plain http (the default, `make run`) neither."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from factorlink.api.app import create_app
from factorlink.api.cookies import SESSION_COOKIE
from factorlink.auth.models import Role, User
from factorlink.auth.passwords import hash_password
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.web.csrf import PRESESSION_COOKIE
from factorlink.web.i18n import LANG_COOKIE

PASSWORD = "平湖-G60-lantern-orchard"


def _set_cookies(settings: Settings, database: Database) -> dict[str, str]:
    """The Set-Cookie lines of a visit, a language switch, an API login and a logout."""
    with database.unit_of_work() as session:
        session.add(User(username="sun.ph", password_hash=hash_password(PASSWORD), role=Role.admin))
    lines: dict[str, str] = {}
    with TestClient(create_app(settings, database), base_url="https://testserver") as client:
        for response in (
            client.get("/login"),
            client.get("/lang/en", follow_redirects=False),
            client.post("/api/v1/auth/login", json={"username": "sun.ph", "password": PASSWORD}),
        ):
            for line in response.headers.get_list("set-cookie"):
                lines[line.split("=", 1)[0]] = line
        token = client.cookies[SESSION_COOKIE]
        page = client.get("/login").text
        form_token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        form = {"username": "sun.ph", "password": PASSWORD, "csrf_token": form_token}
        web_login = client.post("/login", data=form, follow_redirects=False)
        assert web_login.status_code == 303
        lines["web login"] = web_login.headers["set-cookie"]
        out = client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
        lines["logout"] = out.headers["set-cookie"]
        lines["hsts"] = out.headers.get("strict-transport-security", "")
    return lines


@pytest.mark.parametrize("secure", [True, False])
def test_cookies_are_secure_when_the_site_is_https(
    settings: Settings, database: Database, secure: bool
) -> None:
    lines = _set_cookies(settings.model_copy(update={"secure_cookies": secure}), database)
    for name in (PRESESSION_COOKIE, LANG_COOKIE, SESSION_COOKIE, "web login", "logout"):
        attributes = {a.strip().lower() for a in lines[name].split(";")[1:]}
        assert ("secure" in attributes) is secure, lines[name]
    assert "httponly" in lines[SESSION_COOKIE].lower()
    assert lines["hsts"] == ("max-age=31536000" if secure else "")
