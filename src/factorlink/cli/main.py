"""The `factorlink` command: each domain adds its commands here."""

from __future__ import annotations

import importlib

import typer

from factorlink import __version__

app = typer.Typer(
    name="factorlink",
    help="FactorLink 要素对接平台: registry, imports, leads, introductions, statistics.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module under factorlink.cli adds its commands through register(app).
COMMAND_MODULES = (
    "auctions", "composite", "db", "events", "imports", "introductions", "leads", "matching",
    "news", "recommend", "sample", "serve", "stats", "users",
)  # fmt: skip
for name in COMMAND_MODULES:
    importlib.import_module(f"factorlink.cli.{name}").register(app)


@app.command()
def version() -> None:
    """Prints the FactorLink version."""
    typer.echo(__version__)
