"""The FastAPI application: every domain's router under /api/v1, and problem-details errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from factorlink import __version__
from factorlink.achievement.endpoints import router as achievements
from factorlink.api import docs, openapi, problems
from factorlink.api.limits import BodyLimits
from factorlink.api.middleware import (
    AllowedMethods,
    DropQueryControls,
    SecurityHeaders,
    SettingsScope,
)
from factorlink.api.schemas import PROBLEM_RESPONSES
from factorlink.auction import endpoints as auction_endpoints
from factorlink.auction import live as auction_live
from factorlink.auction.endpoints import router as auctions
from factorlink.auction.lane import BidLane
from factorlink.auth.endpoints import router as auth
from factorlink.auth.throttle import LoginThrottle
from factorlink.capital.endpoints import router as capital
from factorlink.carrier.endpoints import router as carriers
from factorlink.composite.endpoints import router as index
from factorlink.config import Settings, get_settings
from factorlink.db.session import Database
from factorlink.demand.endpoints import router as demands
from factorlink.event.endpoints import router as events
from factorlink.expert.endpoints import router as experts
from factorlink.imports.endpoints import router as imports
from factorlink.introduction.endpoints import router as introductions
from factorlink.lead.endpoints import router as leads
from factorlink.lead.ratelimit import SlidingWindowLimiter
from factorlink.matching.endpoints import router as matching
from factorlink.matching.live import warmup as matching_warmup
from factorlink.news.endpoints import router as news
from factorlink.organization.endpoints import router as organizations
from factorlink.photo import endpoints as photo_endpoints
from factorlink.privacy import logging as log_privacy
from factorlink.reference.endpoints import router as reference
from factorlink.stats.endpoints import router as stats
from factorlink.web import router as web
from factorlink.web.downloads import DownloadStore

API_PREFIX = "/api/v1"


def api_router() -> APIRouter:
    """Collects every domain's endpoints."""
    router = APIRouter(prefix=API_PREFIX, responses=PROBLEM_RESPONSES)
    for domain in (
        auctions,  # first: bids are the busiest requests, and routes are matched in order
        auth,
        organizations,
        achievements,
        demands,
        capital,
        carriers,
        photo_endpoints.router,
        experts,
        imports,
        leads,
        matching,
        introductions,
        events,
        stats,
        index,
        reference,
        news,
    ):
        router.include_router(domain)
    return router


def build_state(app: FastAPI, settings: Settings, database: Database) -> None:
    """Everything an app keeps between requests, built once here; requests reach each through a
    typed dependency (`api.deps`: AppSettings, the database, Throttle, LeadLimiter, ImportLimiter;
    `web.downloads.Downloads`). Nothing is created on first use."""
    state = app.state
    state.settings = settings
    state.database = database
    state.login_throttle = LoginThrottle()
    state.lead_limiter = SlidingWindowLimiter(
        settings.lead_rate_limit, settings.lead_rate_window_seconds
    )
    state.import_limiter = SlidingWindowLimiter(
        settings.import_rate_limit, settings.import_rate_window_seconds
    )
    state.downloads = DownloadStore()
    auction_live.install(app)  # the broadcaster of lot changes and the auction clock


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    """Builds the app; the database is created and migrated on first use."""
    settings = settings or get_settings()
    log_privacy.install()
    db = database or Database(settings, background_checkpoints=True)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if database is None:
            # The server's own database: open the match indexes in the background, and
            # checkpoint its log (SQLite) off the commit path.
            matching_warmup.warm(db)
            db.start_checkpoints()
        yield
        if database is None:
            db.dispose()

    app = FastAPI(
        title="FactorLink API",
        version=__version__,
        description="长三角G60科创走廊要素对接平台: registry, leads, introductions, statistics.",
        lifespan=lifespan,
        docs_url=None,  # /docs is served from the vendored Swagger UI (api.docs), never a CDN
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    build_state(app, settings, db)
    problems.install(app)
    # Innermost first: bodies judged before they are read, OPTIONS and 405 with the full Allow,
    # everything under the app's settings, and the security headers on every answer; outermost,
    # the bid lane answers a well-formed bid itself (under the same rules, see auction.lane).
    app.add_middleware(DropQueryControls)
    app.add_middleware(BodyLimits, routes=app.router.routes, settings=settings)
    app.add_middleware(AllowedMethods, routes=app.router.routes)
    app.add_middleware(SettingsScope, settings=settings)  # one settings channel
    app.add_middleware(SecurityHeaders, settings=settings)
    app.add_middleware(BidLane, state=app.state, settings=settings, prefix=API_PREFIX)
    auction_endpoints.install_bids(app, API_PREFIX)  # first, and not nested: the busiest route
    app.include_router(api_router())
    app.include_router(photo_endpoints.media)  # the photo files, by content hash
    docs.install(app)
    openapi.install(app)
    web.install(app)  # the pages, with `/` the dashboard

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
