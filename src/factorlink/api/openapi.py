"""The OpenAPI document states how to authenticate: an HTTP bearer token (an API token or a login
session's), or the session cookie the web pages use. Each operation names them as its route's
dependencies say: required where a user is needed (`require_user`, `require_staff`,
`require_admin`), optional where the answer depends on who asks, absent where it never does.
The city and industry filters list their values, from the app's own reference files.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from factorlink.api import deps
from factorlink.api.cookies import SESSION_COOKIE
from factorlink.api.limits import dependency_calls, rule_of
from factorlink.config import Settings
from factorlink.kit.filters import city_spellings, industry_spellings
from factorlink.reference import industries_of, region_of
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


def describe_filters(settings: Settings, document: dict[str, Any]) -> dict[str, Any]:
    """Lists the values of the city and industry filters, from the app's corridor and industries
    (a district-qualified or sub-field spelling, "上海市松江区", "新材料/石墨烯", is understood
    too); any other value is a 422."""
    vocabularies = {
        "city": city_spellings(region_of(settings)),
        "industry": industry_spellings(industries_of(settings)),
    }
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", ()):
                values = vocabularies.get(parameter["name"])
                if values is not None and parameter["in"] == "query":
                    parameter["schema"] = {"type": "string", "enum": values}
    return document


def install(app: FastAPI) -> None:
    """Makes the app's OpenAPI document declare its authentication."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()  # generated once, then cached by FastAPI
        if "securitySchemes" not in document.get("components", {}):
            describe_security(app, document)
            describe_filters(app.state.settings, document)
        return document

    app.openapi = openapi  # type: ignore[method-assign]
