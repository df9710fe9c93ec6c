"""Edge rules applied to every request before routing, and headers every response carries."""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from factorlink.api.docs import DOCS_PATH, DOCS_POLICY
from factorlink.api.routes import methods_of, resource_routes
from factorlink.config import Settings, settings_scope

# Whatever the API answers is data, never a document to run or frame.
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
HSTS = "max-age=31536000"

# Percent-encoded control characters (%00-%1F, %7F): never meant in a query, and PostgreSQL
# refuses NUL. Request bodies get the same treatment in kit.schemas.InputModel.
_ENCODED_CONTROL = re.compile(rb"%(?:[01][0-9a-fA-F]|7[fF])")


class DropQueryControls:
    """Removes control characters from the query string."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and b"%" in scope.get("query_string", b""):
            scope = dict(scope)
            scope["query_string"] = _ENCODED_CONTROL.sub(b"", scope["query_string"])
        await self.app(scope, receive, send)


class SettingsScope:
    """Serves every request (and the app's start-up and shutdown) under the app's settings, so
    what a request reads from data files (region, industries, fit rules) comes from them, never
    from the environment behind the app's back."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with settings_scope(self.settings):
            await self.app(scope, receive, send)


def allowed_methods(routes: list[BaseRoute], scope: Scope) -> set[str]:
    """Every method of the resource at the request's path (empty when no route has the path)."""
    methods: set[str] = set()
    for context in resource_routes(routes, scope["path"]):
        methods |= methods_of(context)
    return methods


def allow_header(methods: set[str]) -> str:
    """The Allow value: the path's methods, with OPTIONS (answered here for every path) and HEAD
    (wherever GET is)."""
    implied = {"OPTIONS", "HEAD"} if "GET" in methods else {"OPTIONS"}
    return ", ".join(sorted(methods | implied))


def _without_body(send: Send) -> Send:
    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return send_head


class AllowedMethods:
    """`OPTIONS` on a path answers 204 with `Allow` naming every method the path has; a 405 names
    them all too (Starlette's names only the first route's, so GET hid POST on a collection).
    `HEAD` is answered wherever `GET` is: the GET's status and headers, without the body."""

    def __init__(self, app: ASGIApp, *, routes: list[BaseRoute]) -> None:
        self.app = app
        self.routes = routes  # the app's routes (the list itself: routes added later count)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] in ("OPTIONS", "HEAD"):
            methods = allowed_methods(self.routes, scope)
            if scope["method"] == "OPTIONS" and methods:
                headers = {"Allow": allow_header(methods)}
                await Response(status_code=204, headers=headers)(scope, receive, send)
                return
            if scope["method"] == "HEAD" and "GET" in methods and "HEAD" not in methods:
                await self.app({**scope, "method": "GET"}, receive, _without_body(send))
                return

        async def send_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                allow = allow_header(allowed_methods(self.routes, scope)).encode("latin-1")
                message = dict(message)
                message["headers"] = [
                    *(h for h in message.get("headers", []) if h[0].lower() != b"allow"),
                    (b"allow", allow),
                ]
            await send(message)

        await self.app(scope, receive, send_allow)


class SecurityHeaders:
    """Headers every response carries: `X-Content-Type-Options: nosniff`, framing refused
    (`X-Frame-Options: DENY`, CSP `frame-ancestors 'none'`), and `Strict-Transport-Security`
    when the app runs behind HTTPS (`FACTORLINK_SECURE_COOKIES`). Pages set their own richer
    policy (web.render); the API docs page gets one that admits its self-hosted Swagger UI."""

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.hsts = settings.secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, with_security_headers(send, scope["path"], hsts=self.hsts))


def security_headers(path: str, *, hsts: bool) -> dict[str, str]:
    """The headers `SecurityHeaders` gives an answer about a path (unless it set its own)."""
    headers = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Content-Security-Policy": DOCS_POLICY if path == DOCS_PATH else API_POLICY,
    }
    if hsts:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def with_security_headers(send: Send, path: str, *, hsts: bool) -> Send:
    """A `send` that adds the security headers to the answer's start, where it has none."""
    wanted = security_headers(path, hsts=hsts)

    async def send_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in wanted.items():
                headers.setdefault(name, value)
        await send(message)

    return send_headers
