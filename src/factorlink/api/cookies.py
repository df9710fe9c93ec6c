"""The app's cookies, set and cleared in one way: HttpOnly where scripts need not read them,
SameSite, and `Secure` when the app runs behind HTTPS (`FACTORLINK_SECURE_COOKIES`).

They are set while a request is served, so the app's own settings apply (`current_settings`).
"""

from __future__ import annotations

from typing import Literal

from starlette.responses import Response

from factorlink.config import current_settings

SESSION_COOKIE = "factorlink_session"
SameSite = Literal["lax", "strict"]


def set_cookie(
    response: Response,
    name: str,
    value: str,
    *,
    max_age: int,
    httponly: bool = True,
    samesite: SameSite = "lax",
) -> None:
    """Sets a cookie for the whole site; Secure when the settings say the site is HTTPS."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=httponly,
        samesite=samesite,
        secure=current_settings().secure_cookies,
    )


def delete_cookie(
    response: Response, name: str, *, httponly: bool = True, samesite: SameSite = "lax"
) -> None:
    """Clears a cookie set by `set_cookie` (same attributes, so the browser replaces it)."""
    response.delete_cookie(
        name,
        path="/",
        httponly=httponly,
        samesite=samesite,
        secure=current_settings().secure_cookies,
    )
