"""CSRF tokens for cookie-authenticated posts, one per login session.

The token is an HMAC of the session's secret (an HttpOnly cookie a foreign site can neither
read nor set), so it changes with every login and dies with the session. Visitors without a
session get a random pre-session cookie that plays the same part (the lead and login forms).

Page forms carry it in the `csrf_token` field; a page's script calling the JSON API with the
session cookie sends it in the `X-CSRF-Token` header (`base.html` puts it in a meta tag).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

from factorlink.api.cookies import SESSION_COOKIE, set_cookie

PRESESSION_COOKIE = "factorlink_presession"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
_PURPOSE = b"factorlink web form v1"


def token_for(seed: str) -> str:
    """The form token that belongs to a session (or pre-session) secret."""
    return hmac.new(seed.encode("utf-8"), _PURPOSE, hashlib.sha256).hexdigest()


def seed_of(request: Request) -> str | None:
    """The secret forms are bound to: the login session, else the pre-session cookie."""
    return request.cookies.get(SESSION_COOKIE) or request.cookies.get(PRESESSION_COOKIE)


def new_seed() -> str:
    """A fresh pre-session secret."""
    return secrets.token_urlsafe(32)


def is_valid(request: Request, submitted: str | None) -> bool:
    """Tells whether a submitted token belongs to the request's session."""
    return matches(seed_of(request), submitted)


def matches(seed: str | None, submitted: str | None) -> bool:
    """Tells whether a submitted token belongs to a session (or pre-session) secret."""
    if not seed or not submitted:
        return False
    return hmac.compare_digest(token_for(seed), submitted)


def set_presession(response: Response, seed: str) -> None:
    """Stores a pre-session secret; SameSite=Strict so no foreign page ever sends it."""
    set_cookie(response, PRESESSION_COOKIE, seed, samesite="strict", max_age=86_400)
