"""Mounts the pages and the static files on the app; `/` is the dashboard."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from factorlink.web import english, errors
from factorlink.web.pages import (
    auction,
    auth,
    dashboard,
    forms,
    imports,
    leads,
    listings,
    members,
    news,
    workspace,
)
from factorlink.web.render import STATIC

# Each area's module exposes `router`; a domain adding pages appends its module here.
PAGE_MODULES = (dashboard, listings, forms, leads, workspace, imports, auth, auction, news, members)


def web_router() -> APIRouter:
    """Collects every area's pages (left out of the API schema)."""
    router = APIRouter(include_in_schema=False)
    for module in PAGE_MODULES:
        router.include_router(module.router)
    return router


def install(app: FastAPI) -> None:
    """Adds the pages, `/static`, and HTML error pages for page requests."""
    english.install()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(web_router())
    errors.install(app)
