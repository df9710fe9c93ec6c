"""Commands: database migration."""

from __future__ import annotations

import typer

from factorlink.cli.context import console
from factorlink.config import get_settings
from factorlink.db.engine import make_engine
from factorlink.db.migrate import current_revision, head_revision, upgrade_to_head

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade() -> None:
    """Creates or migrates the database to the newest schema."""
    engine = make_engine(get_settings())
    try:
        upgrade_to_head(engine)
        console.print(f"database at revision {current_revision(engine)}")
    finally:
        engine.dispose()


@db_app.command("status")
def status() -> None:
    """Prints the database's revision and the newest one shipped."""
    engine = make_engine(get_settings())
    try:
        console.print(f"current: {current_revision(engine)}  head: {head_revision()}")
    finally:
        engine.dispose()


def register(app: typer.Typer) -> None:
    """Adds the `db` command group."""
    app.add_typer(db_app, name="db")
