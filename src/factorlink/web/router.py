"""Mounts the pages and the static files on the app; `/` is the dashboard."""

from __future__ import annotations

import os

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.types import Scope

from factorlink.web import english, errors
from factorlink.web.pages import (
    auction,
    auth,
    dashboard,
    events,
    follows,
    forms,
    imports,
    leads,
    listings,
    members,
    news,
    photos,
    workspace,
)
from factorlink.web.pages import index as index_pages
from factorlink.web.render import STATIC

# Each area's module exposes `router`; a domain adding pages appends its module here.
PAGE_MODULES = (
    dashboard, listings, forms, leads, workspace, imports, auth, auction, news, members, events,
    follows, photos,
    index_pages,
)  # fmt: skip


# Pages link static files with `?v=<version>`; a browser keeps them a day and revalidates
# them (ETag, Last-Modified) after that. Only static files are compressed: a page holds a form
# token beside what the visitor typed, and compressing the two together leaks the token
# (BREACH).
STATIC_CACHE = "public, max-age=86400"


class CachedStaticFiles(StaticFiles):
    """The static files, with a Cache-Control header."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers.setdefault("Cache-Control", STATIC_CACHE)
        return response


def web_router() -> APIRouter:
    """Collects every area's pages (left out of the API schema)."""
    router = APIRouter(include_in_schema=False)
    for module in PAGE_MODULES:
        router.include_router(module.router)
    return router


def install(app: FastAPI) -> None:
    """Adds the pages, `/static`, and HTML error pages for page requests."""
    english.install()
    static = GZipMiddleware(CachedStaticFiles(directory=STATIC), minimum_size=1024)
    app.mount("/static", static, name="static")
    app.include_router(web_router())
    errors.install(app)
