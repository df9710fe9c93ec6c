"""What every command shares: the database, the acting viewer, and error reporting."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from factorlink.auth.viewer import SYSTEM
from factorlink.config import get_settings
from factorlink.db.session import Database
from factorlink.errors import FactorLinkError
from factorlink.kit.timezones import BEIJING

# Piped or captured output gets a wide console, so tables are not cut to 80 columns.
_WIDTH = None if sys.stdout.isatty() else 200
console = Console(width=_WIDTH)
err_console = Console(stderr=True, width=_WIDTH)

# Commands run on the server by whoever administers it, so they act as an admin.
SYSTEM_VIEWER = SYSTEM

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Opens the configured database (migrating it if new) and yields one unit of work."""
    database = Database(get_settings())
    try:
        with database.unit_of_work() as session:
            yield session
    finally:
        database.dispose()


def parse_shard(value: str, option: str = "--shard") -> tuple[int, int]:
    """`I/N` (0-based: 0 <= I < N) of an option that gives a process one of N shares of work."""
    try:
        index, total = (int(part) for part in value.split("/"))
    except ValueError:
        raise typer.BadParameter(
            f"应为 I/N expected I/N, got {value!r}", param_hint=option
        ) from None
    if total < 1 or not 0 <= index < total:
        raise typer.BadParameter(f"需 0 <= I < N need 0 <= I < N, got {value!r}", param_hint=option)
    return index, total


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Prints business errors in Chinese and English and exits 1, instead of a traceback."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except FactorLinkError as exc:
            err_console.print(f"[bold red]错误[/]: {exc.message}", highlight=False)
            if exc.message_en:
                err_console.print(f"[red]error[/]: {exc.message_en}", highlight=False)
            for item in exc.errors[:50]:
                where = item.get("column") or item.get("field") or ""
                err_console.print(f"  - {where}: {item.get('reason', '')}", highlight=False)
            sys.exit(1)

    return wrapper


def fail(message: str, message_en: str) -> typer.Exit:
    """Prints an error in both languages and returns the exit to raise."""
    err_console.print(f"[bold red]错误[/]: {message}\n[red]error[/]: {message_en}", highlight=False)
    return typer.Exit(code=1)


def beijing_time(text: str, option: str) -> datetime:
    """A time typed for `option` (ISO 8601; Beijing time unless it names its zone), in UTC."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise fail(
            f"{option} 时间“{text}”无效,应如 2027-03-01T09:30(北京时间)或带时区",
            f"{option}: invalid time {text!r}; use ISO 8601, e.g. 2027-03-01T09:30 (UTC+8)",
        ) from None
    return (value if value.tzinfo else value.replace(tzinfo=BEIJING)).astimezone(UTC)
