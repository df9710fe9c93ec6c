"""The app's routes as the edge sees them: which serve a path, with their methods, dependencies
and endpoint (FastAPI keeps included routers nested; `iter_route_contexts` flattens them)."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi.routing import RouteContext, iter_route_contexts
from starlette.routing import BaseRoute, Mount


def routes_at(routes: Sequence[BaseRoute], path: str) -> list[RouteContext]:
    """Every route whose path pattern matches the path, in routing order."""
    found = []
    for context in iter_route_contexts(routes):
        pattern = getattr(context, "path_regex", None)
        if pattern is not None and pattern.match(path):
            found.append(context)
    return found


def resource_routes(routes: Sequence[BaseRoute], path: str) -> list[RouteContext]:
    """The routes of the resource a path names: as in OpenAPI, a path with fewer parameters is
    the more specific (`/news/pages` is its own resource, not `/news/{article_id}`)."""
    found = routes_at(routes, path)
    if not found:
        return []
    fewest = min(len(getattr(c, "param_convertors", None) or {}) for c in found)
    return [c for c in found if len(getattr(c, "param_convertors", None) or {}) == fewest]


def methods_of(context: RouteContext) -> set[str]:
    """The methods a route serves (the static files: GET and HEAD)."""
    if isinstance(context.original_route, Mount):
        return {"GET", "HEAD"}
    return set(context.methods or ())


def route_for(routes: Sequence[BaseRoute], path: str, method: str) -> RouteContext | None:
    """The route that will serve a request, if one serves its path and method."""
    for context in routes_at(routes, path):
        if method in methods_of(context):
            return context
    return None
