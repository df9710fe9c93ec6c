"""Typed dependencies shared by every endpoint: the app's settings, database and per-app objects
(all built once in `api.app.create_app`), the unit of work and the viewer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session

from factorlink.api.cookies import SESSION_COOKIE as SESSION_COOKIE  # named from here too
from factorlink.auth import access
from factorlink.auth.throttle import LoginThrottle
from factorlink.auth.viewer import Viewer
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.errors import PermissionDenied
from factorlink.kit.pagination import MAX_PAGE, MAX_PAGE_SIZE, PageParams
from factorlink.lead.ratelimit import SlidingWindowLimiter
from factorlink.web import csrf

# Methods that change nothing: a cookie-authenticated call needs no CSRF token for them.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_database(request: Request) -> Database:
    """Returns the app's database."""
    database: Database = request.app.state.database
    return database


def get_settings_dep(request: Request) -> Settings:
    """Returns the app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """One unit of work per request: committed before the response is sent, or rolled back."""
    with get_database(request).unit_of_work() as session:
        yield session


def get_login_throttle(request: Request) -> LoginThrottle:
    """Returns the app's failed-login counters."""
    throttle: LoginThrottle = request.app.state.login_throttle
    return throttle


def get_lead_limiter(request: Request) -> SlidingWindowLimiter:
    """Returns the app's limit on leads per client."""
    limiter: SlidingWindowLimiter = request.app.state.lead_limiter
    return limiter


def get_import_limiter(request: Request) -> SlidingWindowLimiter:
    """Returns the app's limit on imports per user."""
    limiter: SlidingWindowLimiter = request.app.state.import_limiter
    return limiter


DbSession = Annotated[Session, Depends(get_session, scope="function")]
AppSettings = Annotated[Settings, Depends(get_settings_dep)]
Throttle = Annotated[LoginThrottle, Depends(get_login_throttle)]
LeadLimiter = Annotated[SlidingWindowLimiter, Depends(get_lead_limiter)]
ImportLimiter = Annotated[SlidingWindowLimiter, Depends(get_import_limiter)]


def header_token(request: Request) -> str | None:
    """Returns the token from `Authorization: Bearer …`, if the request has one."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def bearer_token(request: Request) -> str | None:
    """Returns the credential of an API call: the token from `Authorization: Bearer …`, else
    the session cookie. A write (not GET, HEAD, OPTIONS) carried by the cookie alone counts only
    with the session's CSRF token in `X-CSRF-Token` (a page's script has it, a foreign page
    cannot): without it the call is refused (403)."""
    token = header_token(request)
    if token is not None:
        return token
    cookie = request.cookies.get(SESSION_COOKIE)
    unsafe = request.method not in SAFE_METHODS
    if cookie and unsafe and not csrf.matches(cookie, request.headers.get(csrf.HEADER)):
        raise PermissionDenied(
            f"以登录Cookie调用接口修改数据时须在{csrf.HEADER}头中附上页面令牌;"
            "程序调用请使用 Authorization: Bearer 令牌",
            message_en=f"A write authenticated by the session cookie needs the page's token "
            f"in the {csrf.HEADER} header; programs use Authorization: Bearer",
        )
    return cookie


def get_viewer(request: Request, session: DbSession) -> Viewer:
    """Returns who is making the request (anonymous without credentials)."""
    from factorlink.auth.service import viewer_for_token

    return viewer_for_token(session, bearer_token(request))


CurrentViewer = Annotated[Viewer, Depends(get_viewer)]


def require_user(viewer: CurrentViewer) -> Viewer:
    """Requires a logged-in user."""
    access.require_user(viewer)
    return viewer


def require_staff(viewer: CurrentViewer) -> Viewer:
    """Requires an admin or an operator."""
    access.require_staff(viewer)
    return viewer


def require_admin(viewer: CurrentViewer) -> Viewer:
    """Requires an admin."""
    require_user(viewer)
    if not viewer.is_admin:
        raise PermissionDenied("仅管理员可操作", message_en="Admins only")
    return viewer


UserViewer = Annotated[Viewer, Depends(require_user)]
StaffViewer = Annotated[Viewer, Depends(require_staff)]
AdminViewer = Annotated[Viewer, Depends(require_admin)]


def page_params(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based page number")] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> PageParams:
    """Reads page and page_size from the query string."""
    return PageParams(page=page, page_size=page_size)


Paging = Annotated[PageParams, Depends(page_params)]
