"""Commands: the search backend's workers (`factorlink search …`): keep Milvus in step with the
database, and encode passages outside the web process."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import typer
from rich.progress import Progress, TaskID
from rich.table import Table

from factorlink.cli.context import console, parse_shard, reports_errors
from factorlink.config import get_settings
from factorlink.db.session import Database
from factorlink.errors import InvalidInput
from factorlink.introduction.models import PartyKind
from factorlink.matching.endpoints import TARGET_ALIASES
from factorlink.matching.live.indexes import encoder_of
from factorlink.matching.live.sync import SearchSync
from factorlink.matching.service import TARGETS

search_app = typer.Typer(
    help="搜索后端 The search backend's workers: follow the change log into Milvus "
    "(FACTORLINK_SEARCH_URL), rebuild, check; encode passages beside the web servers.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Adds `search sync`, `search rebuild`, `search check` and `search encode`."""
    app.add_typer(search_app, name="search")


@contextmanager
def sync_worker() -> Iterator[SearchSync]:
    """The sync worker of the configured database and Milvus, closed afterwards."""
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
    with sync_worker() as worker:
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
    with sync_worker() as worker:
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
    with sync_worker() as worker:
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


@search_app.command("encode")
@reports_errors
def encode(
    kinds: list[str] = typer.Option(
        [],
        "--kind",
        help="Only this kind (repeatable), e.g. achievement; default every matchable kind.",
    ),
    threads: int = typer.Option(
        0, "--threads", min=0, max=64, help="Encoder threads; 0 = every core of this machine."
    ),
    shard: str = typer.Option(
        "0/1",
        "--shard",
        help="I/N: this worker encodes the I-th of N shares of the texts (0-based), so N "
        "workers on N machines split the work without coordinating.",
    ),
    limit: int = typer.Option(
        0, "--limit", min=0, help="Stop after encoding this many passages a kind (0 = all)."
    ),
) -> None:
    """Encodes every passage the vector store lacks, with the configured encoder
    (FACTORLINK_MATCHING_ENCODER), into the vector store that servers read. Resumable: stopped
    at any point and started again, it goes on where it was (vectors are stored every 16
    passages). Servers take the vectors from the store instead of encoding them."""
    from factorlink.matching.live.e5int8 import cpu_count
    from factorlink.matching.live.encoders import get_encoder
    from factorlink.matching.live.encoding import encode_kind
    from factorlink.matching.live.vectorstore import open_vector_store

    index, total = parse_shard(shard)
    settings = get_settings()
    if settings.matching_encoder == "none":
        raise typer.BadParameter(
            "未配置语义编码器 no encoder configured (FACTORLINK_MATCHING_ENCODER=none)",
            param_hint="FACTORLINK_MATCHING_ENCODER",
        )
    chosen = []
    for name in kinds or [k.value for k in TARGETS]:
        value = TARGET_ALIASES.get(name.strip().lower(), name.strip().lower())
        found = [k for k in TARGETS if k.value == value]
        if not found:
            known = ", ".join(k.value for k in TARGETS)
            raise typer.BadParameter(
                f"未知类型 unknown kind {name!r} ({known})", param_hint="--kind"
            )
        chosen.append(found[0])
    encoder = get_encoder(
        settings.matching_encoder, settings.matching_query_threads, threads or cpu_count()
    )
    database = Database(settings)
    store = open_vector_store(settings)
    table = Table(
        "类型 kind",
        "文本 passages",
        "已有 stored",
        "新编码 encoded",
        "秒 s",
        "条/秒 passages/s",
        title=f"{encoder.name} shard {index}/{total}",
    )
    try:
        for kind in chosen:
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task(kind.value, total=None)

                def advance(n: int, task: TaskID = task, progress: Progress = progress) -> None:
                    progress.advance(task, n)

                report = encode_kind(
                    database,
                    encoder,
                    store,
                    kind,
                    shard=index,
                    shards=total,
                    limit=limit or None,
                    progress=advance,
                )
            table.add_row(
                report.kind,
                str(report.passages),
                str(report.stored),
                str(report.encoded),
                f"{report.seconds:.1f}",
                f"{report.rate:.1f}",
            )
    finally:
        store.close()
        database.dispose()
    console.print(table)
