"""Commands: the web server."""

from __future__ import annotations

import gc
from typing import Any

import typer
import uvicorn

from factorlink.api.app import create_app
from factorlink.cli.context import console
from factorlink.config import Settings, get_settings


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How uvicorn treats X-Forwarded-For/-Proto: believed from the proxy's addresses only behind
    a trusted proxy (`FACTORLINK_TRUSTED_PROXY`), else from no one. (uvicorn's own default
    believes them from 127.0.0.1, which let any local client pick its address.)"""
    return {
        "proxy_headers": settings.trusted_proxy,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
        "log_level": settings.log_level.lower(),
        "access_log": False,
    }


# Tracked objects allocated (net) before the collector's youngest pass: Python's default, 700,
# runs it every few hundred allocations, so a request's objects alive across an await (a bid
# waits ~30 ms for its batch) are promoted and later walked by full passes of tens of ms on the
# event loop, which stall every request in flight. Most of a request's objects are freed by
# reference counting; at 10,000 the young pass runs about once a second under 1,000 bids/s and
# a full pass once in minutes, not every second or two.
YOUNG_THRESHOLD = 10_000


def settle_collector() -> None:
    """Readies the garbage collector for serving, once start-up is done: what start-up built
    (modules, the app, its routes and schemas) lives as long as the process, so it is frozen
    (the collector's full passes no longer walk it; about a fifth of a bid's CPU time before),
    and the youngest generation is made larger (`YOUNG_THRESHOLD`)."""
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, oldest)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Starts the FactorLink server (API under /api/v1, docs at /docs)."""
    settings = get_settings()
    app = create_app(settings)
    settle_collector()
    console.print(f"FactorLink: http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(app, host=host, port=port, **uvicorn_options(settings))


def register(app: typer.Typer) -> None:
    """Adds the `serve` command."""
    app.command("serve")(serve)
