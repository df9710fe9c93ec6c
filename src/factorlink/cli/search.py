"""Commands: the search backend's workers — encoding passages outside the web process."""

from __future__ import annotations

import typer
from rich.progress import Progress, TaskID
from rich.table import Table

from factorlink.cli.context import console, reports_errors
from factorlink.config import get_settings
from factorlink.db.session import Database
from factorlink.matching.endpoints import TARGET_ALIASES
from factorlink.matching.service import TARGETS

search_app = typer.Typer(
    help="搜索后端 The search backend: workers that run beside the web servers.",
    no_args_is_help=True,
)


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
    from factorlink.matching.live.vectorstore import VectorStore

    index, total = _shard(shard)
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
    store = VectorStore(settings.vector_store_path)
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


def _shard(value: str) -> tuple[int, int]:
    try:
        index, total = (int(part) for part in value.split("/"))
    except ValueError:
        raise typer.BadParameter(
            f"应为 I/N expected I/N, got {value!r}", param_hint="--shard"
        ) from None
    if total < 1 or not 0 <= index < total:
        raise typer.BadParameter(
            f"需 0 <= I < N need 0 <= I < N, got {value!r}", param_hint="--shard"
        )
    return index, total


def register(app: typer.Typer) -> None:
    """Adds the `search` command group."""
    app.add_typer(search_app, name="search")
