"""Request bodies are judged before they are read: a size cap per route, and no body at all for
a route that needs a user from a request that carries no credentials.

FastAPI reads (and spools to disk) a form body before it runs the dependencies that check who is
asking, so these rules live at the edge, in an ASGI middleware, and come from each route's own
description rather than from a list of paths:

- a route whose dependencies require a user (`require_user`, `require_staff`, `require_admin`),
  or a page handler marked with `needs_login`, answers 401 to a body sent without a bearer token
  or session cookie;
- a page form (`web.forms.CheckedForm`) answers 403 to a body sent without the session or the
  pre-session cookie its token is bound to;
- a route that takes a file (an `UploadFile` parameter, or marked with `takes_upload`) accepts a
  body up to `FACTORLINK_IMPORT_MAX_BYTES` (plus room for the form around the file); one marked
  with `takes_photos` up to `photo.images.PER_UPLOAD` times `FACTORLINK_PHOTO_MAX_BYTES` (plus
  the same room); any other up to `FACTORLINK_MAX_BODY_BYTES`. A larger `Content-Length` is a
  413 before a byte is read; a body without one (chunked) is counted while it streams and
  refused (413) once over the cap.

Refusals are the app's own error answers (problem details on the API, the error page on pages).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import params
from fastapi.dependencies.models import Dependant
from fastapi.routing import RouteContext, iter_route_contexts
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from factorlink.api import deps
from factorlink.api.cookies import SESSION_COOKIE
from factorlink.api.routes import methods_of
from factorlink.auth.access import LOGIN_REQUIRED
from factorlink.config import Settings
from factorlink.errors import NotAuthenticated, PermissionDenied
from factorlink.photo.images import PER_UPLOAD
from factorlink.web import csrf
from factorlink.web.forms import checked_form

F = TypeVar("F", bound=Callable[..., Any])
# Room for the multipart envelope around an uploaded file (boundaries, the other fields).
FORM_ENVELOPE_BYTES = 1024 * 1024
_NEEDS_USER = {deps.require_user, deps.require_staff, deps.require_admin}
_UPLOAD_MARK = "__factorlink_takes_upload__"
_LOGIN_MARK = "__factorlink_needs_login__"
_PHOTOS_MARK = "__factorlink_takes_photos__"


def takes_upload(endpoint: F) -> F:
    """Marks a page handler that reads an uploaded file from its form (the API's upload routes
    say so by their `UploadFile` parameter): its body may be as large as an import file."""
    setattr(endpoint, _UPLOAD_MARK, True)
    return endpoint


def takes_photos(endpoint: F) -> F:
    """Marks a handler (API or page) that reads a carrier's photos from its form: its body may
    hold as many photo files as one upload may."""
    setattr(endpoint, _PHOTOS_MARK, True)
    return endpoint


def needs_login(endpoint: F) -> F:
    """Marks a page handler that serves users only (it checks inside, as pages do): a body sent
    without the session cookie is refused (401) before it is read."""
    setattr(endpoint, _LOGIN_MARK, True)
    return endpoint


def size_label(limit: int) -> str:
    """A byte count as people read it: 1 MB, 20 MB, 512 KB."""
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit / 1024:g} KB"


class BodyTooLarge(StarletteHTTPException):
    """A request body over its route's cap (413), with the cap in the message."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.message = f"请求内容超过上限{size_label(limit)}"
        self.message_en = f"The request body is larger than the {size_label(limit)} limit"
        super().__init__(413, detail=f"{self.message} ({self.message_en})")


@dataclass(frozen=True)
class Rule:
    """What a route asks of a body before reading it."""

    needs_user: bool  # a bearer token or the session cookie
    needs_form_cookie: bool  # the session or the pre-session cookie (a page form's token seed)
    upload: bool  # an import file: the larger cap
    photos: bool = False  # photo files: their own cap


def dependency_calls(dependant: Dependant) -> set[Any]:
    """Every function a route depends on, however deep."""
    found: set[Any] = set()
    for sub in dependant.dependencies:
        found.add(sub.call)
        found |= dependency_calls(sub)
    return found


def _has_file(dependant: Dependant) -> bool:
    if any(isinstance(f.field_info, params.File) for f in dependant.body_params):
        return True
    return any(_has_file(sub) for sub in dependant.dependencies)


def rule_of(route: RouteContext) -> Rule:
    """Reads a route's rule from its dependencies and parameters."""
    dependant = getattr(route, "dependant", None)
    if not isinstance(dependant, Dependant):  # the static files, the OpenAPI document
        return Rule(needs_user=False, needs_form_cookie=False, upload=False)
    calls = dependency_calls(dependant)
    return Rule(
        needs_user=bool(calls & _NEEDS_USER) or getattr(route.endpoint, _LOGIN_MARK, False),
        needs_form_cookie=checked_form in calls,
        upload=_has_file(dependant) or getattr(route.endpoint, _UPLOAD_MARK, False),
        photos=getattr(route.endpoint, _PHOTOS_MARK, False),
    )


def has_body(headers: Headers) -> bool:
    """Tells whether a request announces a body (a length above 0, or a chunked one)."""
    return "transfer-encoding" in headers or headers.get("content-length", "0") not in ("", "0")


def declared_length(headers: Headers) -> int | None:
    """The Content-Length, if there is a readable one."""
    try:
        return int(headers["content-length"])
    except (KeyError, ValueError):
        return None


class BodyLimits:
    """The middleware: refuses what a route would refuse, before the body is read."""

    def __init__(self, app: ASGIApp, *, routes: list[BaseRoute], settings: Settings) -> None:
        self.app = app
        self.routes = routes  # the app's routes (the list itself: routes added later count)
        self.max_body = settings.max_body_bytes
        self.max_upload = settings.import_max_bytes + FORM_ENVELOPE_BYTES
        self.max_photos = PER_UPLOAD * settings.photo_max_bytes + FORM_ENVELOPE_BYTES
        self._table: tuple[int, list[tuple[re.Pattern[str], set[str], Rule]]] | None = None

    def _rule(self, scope: Scope) -> Rule | None:
        # Each route's pattern, methods and rule, read once (again if routes were added since):
        # walking FastAPI's nested routers and reading dependencies per request cost more than
        # the rest of a bid's edge together.
        if self._table is None or self._table[0] != len(self.routes):
            table = []
            for context in iter_route_contexts(self.routes):
                pattern = getattr(context, "path_regex", None)
                if pattern is not None:
                    table.append((pattern, methods_of(context), rule_of(context)))
            self._table = (len(self.routes), table)
        path, method = scope["path"], scope["method"]
        for pattern, methods, rule in self._table[1]:
            if method in methods and pattern.match(path):
                return rule
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if not has_body(headers):
            await self.app(scope, receive, send)
            return
        rule = self._rule(scope)
        refusal = self._refusal(rule, headers, Request(scope))
        if refusal is not None:
            await self._refuse(scope, receive, send, refusal)
            return
        limit = self._limit(rule)
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, limited_receive, send)

    def _limit(self, rule: Rule | None) -> int:
        if rule is not None and rule.photos:
            return self.max_photos
        return self.max_upload if rule is not None and rule.upload else self.max_body

    def _refusal(self, rule: Rule | None, headers: Headers, request: Request) -> Exception | None:
        if rule is not None and rule.needs_user and not _has_credentials(request):
            return NotAuthenticated(LOGIN_REQUIRED[0], message_en=LOGIN_REQUIRED[1])
        if rule is not None and rule.needs_form_cookie and csrf.seed_of(request) is None:
            return PermissionDenied(
                "页面已过期,请刷新后重试",
                message_en="This page has expired; reload it and try again",
            )
        limit = self._limit(rule)
        length = declared_length(headers)
        if length is not None and length > limit:
            return BodyTooLarge(limit)
        return None

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
        # The app's own handler for the error (problem details, or the error page for pages).
        app = scope["app"]
        request = Request(scope, receive)
        for cls in type(exc).__mro__:
            handler = app.exception_handlers.get(cls)
            if handler is not None:
                response = handler(request, exc)
                if inspect.isawaitable(response):
                    response = await response
                break
        else:  # pragma: no cover - every app installs the handlers (api.problems)
            raise exc
        # The body is left unread; the connection is not reused for another request.
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


def _has_credentials(request: Request) -> bool:
    return deps.header_token(request) is not None or bool(request.cookies.get(SESSION_COOKIE))
