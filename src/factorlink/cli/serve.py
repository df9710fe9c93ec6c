"""Commands: the web server."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
import uvicorn
from fastapi import FastAPI

from factorlink.api.app import create_app
from factorlink.cli.context import console, reports_errors
from factorlink.config import Settings, get_settings
from factorlink.errors import InvalidInput

# How long uvicorn's supervisor waits for a worker's answer to its health ping before it kills
# and replaces the worker. Its default (5 s) killed workers here while they loaded the encoder
# and built their indexes on a busy machine (the ping is answered by a Python thread, which
# waits for the interpreter lock): start-up is long by nature, an unanswered minute is not.
WORKER_HEALTHCHECK_SECONDS = 60


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


def worker_app() -> FastAPI:
    """The app of one worker process of `serve --workers N` (uvicorn calls it in each worker)."""
    app = create_app(get_settings())
    settle_collector()
    return app


@contextmanager
def _search_sync(settings: Settings) -> Iterator[None]:
    """With Milvus and `FACTORLINK_SEARCH_SYNC=background`, N workers share one sync worker: it
    runs here, in the supervising process (a thread), and the workers run none of their own, so
    passages are encoded once and never in a request handler."""
    if not (settings.uses_milvus and settings.search_sync == "background"):
        yield
        return
    from factorlink.cli.search import sync_worker

    os.environ["FACTORLINK_SEARCH_SYNC"] = "off"  # read by the workers, started after this
    stop = threading.Event()
    with sync_worker() as worker:
        thread = threading.Thread(
            target=worker.run, args=(stop, settings.search_sync_interval),
            name="factorlink-search-sync", daemon=True,
        )  # fmt: skip
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=30)


@reports_errors
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(
        1,
        min=1,
        max=64,
        help="Worker processes on the one port. With Milvus (FACTORLINK_SEARCH_URL http://…) they "
        "hold no index and one sync worker runs beside them; with local indexes each worker keeps "
        "its own copy (memory × N).",
    ),
) -> None:
    """Starts the FactorLink server (API under /api/v1, docs at /docs)."""
    settings = get_settings()
    if workers == 1:
        app = worker_app()
        console.print(f"FactorLink: http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
        uvicorn.run(app, host=host, port=port, **uvicorn_options(settings))
        return
    if settings.uses_milvus and settings.search_url.endswith(".db"):
        raise InvalidInput(
            "Milvus Lite 文件只能由一个进程打开: 多个工作进程请用 `milvus-lite server` 提供服务",
            message_en="a Milvus Lite file opens in one process only: for --workers, serve it "
            "with `milvus-lite server --data-dir FILE` and set FACTORLINK_SEARCH_URL to its URL",
        )
    with _search_sync(settings):
        console.print(f"FactorLink: http://{host}:{port}/  ({workers} worker processes)")
        uvicorn.run(
            "factorlink.cli.serve:worker_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
            **uvicorn_options(settings),
        )


def register(app: typer.Typer) -> None:
    """Adds the `serve` command."""
    app.command("serve")(serve)
