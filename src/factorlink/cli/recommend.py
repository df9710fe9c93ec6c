"""Command: compute every live listing's recommendations ahead (nightly), resumably."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from factorlink.cli.context import console, err_console, fail, parse_shard, reports_errors
from factorlink.config import get_settings
from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.kit.timezones import BEIJING
from factorlink.matching.endpoints import TARGET_ALIASES
from factorlink.matching.service import MAX_LIMIT
from factorlink.recommend import rules
from factorlink.recommend.repository import RecommendationRepository, RunRepository
from factorlink.recommend.service import DEFAULT_K, SOURCE_KINDS
from factorlink.recommend.units import DEFAULT_BATCH, Options, RunClaimed, Status, run

KINDS = ", ".join(k.value for k in SOURCE_KINDS)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([dhm]?)\s*$", re.IGNORECASE)
_UNIT = {"d": 24.0, "h": 1.0, "": 1.0, "m": 1 / 60}
# Without a terminal (cron, a log file): one progress line at most this often.
LINE_EVERY = 10.0


def register(app: typer.Typer) -> None:
    """Adds recommend."""
    app.command("recommend")(recommend)


def _kinds(values: list[str] | None) -> tuple[PartyKind, ...]:
    if not values:
        return SOURCE_KINDS
    chosen: list[PartyKind] = []
    for value in (v.strip().lower() for text in values for v in text.split(",")):
        if not value:
            continue
        kind = TARGET_ALIASES.get(value, value)
        if kind not in {k.value for k in SOURCE_KINDS}:
            raise fail(
                f"--kind “{value}” 不是可推荐的要素类型,应为 {KINDS} 之一",
                f"--kind {value!r}: not a kind that gets recommendations; one of {KINDS}",
            )
        if PartyKind(kind) not in chosen:
            chosen.append(PartyKind(kind))
    # Walked in the one order a run keeps, whatever order they were named in.
    return tuple(k for k in SOURCE_KINDS if k in chosen)


def _duration(text: str | None) -> timedelta | None:
    if text is None:
        return None
    found = _DURATION.match(text)
    if found is None:
        raise fail(
            f"--fresh-for “{text}” 无效,应如 20h、90m、2d(小时、分钟、天)",
            f"--fresh-for {text!r}: invalid; use e.g. 20h, 90m or 2d",
        )
    return timedelta(hours=float(found.group(1)) * _UNIT[found.group(2).lower()])


def _line(status: Status) -> str:
    pace = status.pace
    share = pace.done / pace.total if pace.total else 1.0
    return (
        f"已完成 done {pace.done}/{pace.total} ({share:.1%}) · "
        f"{pace.rate:.1f} 个/秒 listings/s · "
        f"预计剩余 ETA {rules.duration_text(pace.eta_seconds)}"
    )


@reports_errors
def recommend(
    all_listings: bool = typer.Option(
        False, "--all", help="Every live listing of the kinds (all kinds unless --kind)."
    ),
    kind: list[str] | None = typer.Option(
        None, "--kind", help=f"Only these listing kinds (repeat, or comma-separated): {KINDS}."
    ),
    limit: int | None = typer.Option(
        None,
        "--limit",
        min=1,
        help="At most this many listings now; the run stays open and the same command continues.",
    ),
    k: int = typer.Option(
        DEFAULT_K, "--k", min=1, max=MAX_LIMIT, help="Counterparts stored per direction."
    ),
    batch: int = typer.Option(
        DEFAULT_BATCH,
        "--batch",
        min=1,
        max=10_000,
        help="Listings per batch: ranked together, committed together.",
    ),
    fresh_for: str | None = typer.Option(
        None,
        "--fresh-for",
        help="Skip listings whose stored recommendations are younger than this (20h, 90m, 2d) "
        "and unchanged since.",
    ),
    restart: bool = typer.Option(
        False, "--restart", help="Start a new run instead of resuming an unfinished one."
    ),
    shard: str = typer.Option(
        "0/1",
        "--shard",
        help="I/N: only the listings whose id % N == I (0-based), so N processes (on N "
        "machines) share a night's run; each share is a run of its own, resumed on its own.",
    ),
    show_status: bool = typer.Option(
        False, "--status", help="Show the last runs and the stored rows, and do nothing else."
    ),
) -> None:
    """Computes and stores every live listing's top-k counterparts of each kind it is matched
    with (demand → achievement, expert; achievement → demand, organization, capital; …; leads
    are always matched live), in batches, each committed with the run's position: stopped
    anywhere (Ctrl-C, a crash), the same command continues where it stopped. Pages and the API
    show stored recommendations while younger than FACTORLINK_RECOMMEND_MAX_AGE_HOURS and
    unchanged; otherwise they search live."""
    settings = get_settings()
    if show_status:
        _show_status(Database(settings))
        return
    if not all_listings:
        raise fail(
            "请加 --all:为全部在架要素计算推荐(可用 --kind 限定类型)",
            "add --all: recommendations for every live listing (--kind narrows the kinds)",
        )
    options = Options(
        kinds=_kinds(kind),
        k=k,
        batch=batch,
        limit=limit,
        fresh_for=_duration(fresh_for),
        restart=restart,
        share=rules.Share(*parse_shard(shard)),
    )
    database = Database(settings)
    interactive = console.is_terminal
    last_line = 0.0
    reached: list[Status] = []
    try:
        with Progress(
            TextColumn("推荐 recommend"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} 个/秒 · 剩余 {task.fields[eta]}"),
            console=console,
            transient=True,
            disable=not interactive,
        ) as progress:
            task = progress.add_task("recommend", total=None, rate="—", eta="—")

            def on_batch(status: Status) -> None:
                nonlocal last_line
                reached.append(status)
                pace = status.pace
                progress.update(
                    task,
                    completed=pace.done,
                    total=pace.total,
                    rate=f"{pace.rate:.1f}",
                    eta=rules.duration_text(pace.eta_seconds),
                )
                now = time.monotonic()
                if not interactive and now - last_line >= LINE_EVERY:
                    last_line = now
                    console.print(_line(status), highlight=False)

            final = run(database, options, on_batch)
    except KeyboardInterrupt:
        where = _line(reached[-1]) if reached else "尚未完成一批 no batch committed yet"
        err_console.print(
            f"[yellow]已中断 interrupted[/]: {where}\n"
            "再次运行同一命令将从中断处继续 run the same command again to continue",
            highlight=False,
        )
        raise typer.Exit(code=130) from None
    except RunClaimed:
        raise fail(
            "另一个 factorlink recommend 正在运行同一批推荐,本次已停止",
            "another factorlink recommend is running the same run: stopped",
        ) from None
    finally:
        database.dispose()
    _summary(final)


def _summary(status: Status) -> None:
    pace = status.pace
    table = Table("项 item", "值 value", title=f"推荐计算 recommendation run {status.run_id}")
    if status.share != rules.WHOLE:
        table.add_row("份 shard", str(status.share))
    table.add_row("状态 state", "已完成 finished" if status.finished else "未完成 open (run again)")
    table.add_row("续跑 resumed", "是 yes" if status.resumed else "否 no")
    table.add_row("要素 listings", f"{pace.done}/{pace.total}")
    table.add_row("本次 this time", str(pace.done - status.done_at_start))
    table.add_row("跳过(仍新鲜) skipped fresh", str(status.skipped))
    table.add_row("写入行 rows stored", str(status.stored))
    table.add_row("用时 elapsed", rules.duration_text(status.elapsed))
    table.add_row("速度 rate", f"{pace.rate:.1f} 个/秒 listings/s")
    console.print(table)


def _show_status(database: Database) -> None:
    try:
        with database.unit_of_work() as session:
            runs = RunRepository(session).latest(10)
            counts = RecommendationRepository(session).count_by_kind()
            table = Table(
                "运行 run",
                "类型 kinds",
                "份 shard",
                "k",
                "开始 started",
                "结束 finished",
                "要素 listings",
                "写入行 rows",
                title="推荐计算 recommendation runs (北京时间 UTC+8)",
            )
            for r in runs:
                table.add_row(
                    str(r.id),
                    ",".join(r.kinds),
                    f"{r.shard}/{r.shards}",
                    str(r.k),
                    r.started_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M"),
                    r.finished_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
                    if r.finished_at
                    else "未完成 open",
                    str(r.done),
                    str(r.stored),
                )
        console.print(table)
        stored = Table("类型 kind", "行 rows", title="已存推荐 stored recommendations")
        for name, n in sorted(counts.items()):
            stored.add_row(name, str(n))
        console.print(stored)
    finally:
        database.dispose()
