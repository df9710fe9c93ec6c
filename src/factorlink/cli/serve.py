"""Commands: the web server."""

from __future__ import annotations

import typer
import uvicorn

from factorlink.api.app import create_app
from factorlink.cli.context import console
from factorlink.config import get_settings


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Starts the FactorLink server (API under /api/v1, docs at /docs)."""
    settings = get_settings()
    app = create_app(settings)
    console.print(f"FactorLink: http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(app, host=host, port=port, log_level=settings.log_level.lower(), access_log=False)


def register(app: typer.Typer) -> None:
    """Adds the `serve` command."""
    app.command("serve")(serve)
