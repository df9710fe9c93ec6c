"""The OpenAPI document states how to authenticate: an HTTP bearer token (an API token or a login
session's), or the session cookie the web pages use. Each operation names them as its route's
dependencies say: required where a user is needed (`require_user`, `require_staff`,
`require_admin`), optional where the answer depends on who asks, absent where it never does.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from factorlink.api import deps
from factorlink.api.cookies import SESSION_COOKIE
from factorlink.api.limits import dependency_calls, rule_of
from factorlink.web import csrf

BEARER = "bearerAuth"
COOKIE = "sessionCookie"
SCHEMES: dict[str, dict[str, Any]] = {
    BEARER: {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token (`factorlink users token`, `POST /api/v1/auth/tokens`) or "
        "the token of a login session (`POST /api/v1/auth/login`).",
    },
    COOKIE: {
        "type": "apiKey",
        "in": "cookie",
        "name": SESSION_COOKIE,
        "description": f"The login session of the web pages. A write (POST, PATCH, DELETE) "
        f"carried by this cookie alone must also send the page's token in `{csrf.HEADER}`.",
    },
}
REQUIRED: list[dict[str, list[str]]] = [{BEARER: []}, {COOKIE: []}]
OPTIONAL: list[dict[str, list[str]]] = [*REQUIRED, {}]


def describe_security(app: FastAPI, document: dict[str, Any]) -> dict[str, Any]:
    """Adds the security schemes and each operation's requirement to a generated document."""
    document.setdefault("components", {})["securitySchemes"] = SCHEMES
    paths: dict[str, dict[str, Any]] = document.get("paths", {})
    for route in iter_route_contexts(app.routes):
        if not getattr(route, "include_in_schema", False) or route.path_format not in paths:
            continue
        dependant = getattr(route, "dependant", None)
        calls = dependency_calls(dependant) if dependant is not None else set()
        if rule_of(route).needs_user:
            security = REQUIRED
        elif deps.get_viewer in calls:
            security = OPTIONAL
        else:
            continue
        for method in route.methods or ():
            operation = paths[route.path_format].get(method.lower())
            if operation is not None:
                operation["security"] = security
    return document


def install(app: FastAPI) -> None:
    """Makes the app's OpenAPI document declare its authentication."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()  # generated once, then cached by FastAPI
        if "securitySchemes" not in document.get("components", {}):
            describe_security(app, document)
        return document

    app.openapi = openapi  # type: ignore[method-assign]
