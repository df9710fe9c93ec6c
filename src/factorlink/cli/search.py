"""Commands: keep the Milvus search backend in step with the database (`factorlink search …`)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import typer
from rich.progress import Progress
from rich.table import Table

from factorlink.cli.context import console, reports_errors
from factorlink.config import get_settings
from factorlink.db.session import Database
from factorlink.errors import InvalidInput
from factorlink.introduction.models import PartyKind
from factorlink.matching.live.indexes import encoder_of
from factorlink.matching.live.sync import SearchSync

search_app = typer.Typer(
    help="Milvus search backend (FACTORLINK_SEARCH_URL): follow the change log, rebuild, check.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Adds `search sync`, `search rebuild` and `search check`."""
    app.add_typer(search_app, name="search")


@contextmanager
def _sync() -> Iterator[SearchSync]:
    settings = get_settings()
    if not settings.uses_milvus:
        raise InvalidInput(
            "FACTORLINK_SEARCH_URL 为 local: 本地索引无需同步 (请设置 Milvus 地址或 Lite 文件)",
            message_en="FACTORLINK_SEARCH_URL is local: set a Milvus URL or a Lite *.db file",
        )
    database = Database(settings)
    worker = SearchSync(database, encoder_of(database))
    try:
        yield worker
    finally:
        worker.close()
        database.dispose()


@search_app.command("sync")
@reports_errors
def sync(
    once: bool = typer.Option(
        False, "--once", help="Apply the log and encode what waits, then stop."
    ),
    no_encode: bool = typer.Option(
        False, "--no-encode", help="With --once: leave passage encoding to a later run."
    ),
) -> None:
    """Follows the change log into Milvus (upserts and deletes by id, from the stored
    watermark; passages the vector store lacks are encoded here). Runs until stopped (Ctrl-C,
    SIGTERM) unless --once."""
    with _sync() as worker:
        if once:
            worker.catch_up(encode=not no_encode)
        else:
            stop = threading.Event()

            def halt(signum: int, frame: FrameType | None) -> None:
                stop.set()

            signal.signal(signal.SIGTERM, halt)
            signal.signal(signal.SIGINT, halt)
            console.print(f"following the change log from {worker.stored_watermark()}")
            worker.run(stop, get_settings().search_sync_interval)
        console.print(
            f"watermark {worker.stored_watermark()}: upserted {worker.upserted}, "
            f"deleted {worker.deleted}, encoded {worker.encoded}",
            highlight=False,
        )


@search_app.command("rebuild")
@reports_errors
def rebuild() -> None:
    """Reloads every kind's collection from the database (vectors from the vector store;
    run `search sync` to encode what it lacks)."""
    with _sync() as worker:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("rebuilding", total=None)
            sizes = worker.rebuild(progress=lambda n: progress.advance(task, n))
        table = Table("类型 kind", "条目 indexed")
        for kind, size in sizes.items():
            table.add_row(kind.value, str(size))
        console.print(table)


@search_app.command("check")
@reports_errors
def check(
    repair: bool = typer.Option(False, "--repair", help="Repair what differs."),
) -> None:
    """Compares each kind's collection with the database: ids and text fingerprints."""
    with _sync() as worker:
        table = Table(
            "类型 kind",
            "条目 indexed",
            "缺失 missing",
            "多余 extra",
            "过期 stale",
            "重复 duplicates",
        )
        differs = False
        for kind in PartyKind:
            report = worker.check(kind, repair=repair)
            differs |= bool(report.missing or report.extra or report.stale or report.duplicates)
            table.add_row(
                kind.value,
                *map(
                    str,
                    (report.indexed, report.missing, report.extra, report.stale, report.duplicates),
                ),
            )
        console.print(table)
    if differs and not repair:
        raise typer.Exit(1)
