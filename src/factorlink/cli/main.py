"""The `factorlink` command: each domain adds its commands here."""

from __future__ import annotations

import typer

from factorlink import __version__
from factorlink.cli import (
    auctions,
    composite,
    db,
    imports,
    introductions,
    leads,
    matching,
    sample,
    serve,
    stats,
    users,
)

app = typer.Typer(
    name="factorlink",
    help="FactorLink 要素对接平台: registry, imports, leads, introductions, statistics.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (
    auctions,
    composite,
    db,
    imports,
    introductions,
    leads,
    matching,
    sample,
    serve,
    stats,
    users,
):
    module.register(app)


@app.command()
def version() -> None:
    """Prints the FactorLink version."""
    typer.echo(__version__)
