"""Commands: events (对接会) — create, list, import participants, schedule, the grid, statistics."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from factorlink.cli.context import (
    SYSTEM_VIEWER,
    beijing_time,
    console,
    fail,
    reports_errors,
    unit_of_work,
)
from factorlink.config import get_settings
from factorlink.db.session import Database
from factorlink.event import units
from factorlink.event.columns import import_participants
from factorlink.event.presenter import present_event
from factorlink.event.schemas import BlockIn, EventIn
from factorlink.event.service import EventService
from factorlink.event.vocab import EventKind, RequestMode
from factorlink.imports.readers import limits_of, too_large
from factorlink.kit.ids import MAX_ID
from factorlink.kit.pagination import PageParams
from factorlink.kit.timezones import BEIJING

event_app = typer.Typer(
    help="Factor-linkage events (对接会): setup, participants, scheduling, outcomes.",
    no_args_is_help=True,
)
EventId = typer.Argument(..., min=1, max=MAX_ID, help="The event's id.")


def _block(text: str) -> BlockIn:
    start, sep, end = text.partition("/")
    if not sep:
        raise fail(
            f"时段“{text}”应写作 开始/结束,如 2027-03-01T09:00/2027-03-01T11:00",
            f"--block {text!r} must be START/END, e.g. 2027-03-01T09:00/2027-03-01T11:00",
        )
    return BlockIn(starts_at=beijing_time(start, "--block"), ends_at=beijing_time(end, "--block"))


@contextmanager
def _database() -> Iterator[Database]:
    database = Database(get_settings())
    try:
        yield database
    finally:
        database.dispose()


@event_app.command("create")
@reports_errors
def create(
    title: str = typer.Option(..., "--title", help="The event's title."),
    kind: EventKind = typer.Option(EventKind.matchmaking, "--kind"),
    block: list[str] = typer.Option(
        ..., "--block", help="A meeting block START/END (Beijing time); repeat for more."
    ),
    opens: str = typer.Option(..., "--opens", help="Registration opens, e.g. 2027-02-01T09:00."),
    closes: str = typer.Option(..., "--closes", help="Registration closes (requests expire)."),
    slot: int = typer.Option(20, "--slot", min=5, max=240, help="Minutes per meeting."),
    tables: int = typer.Option(10, "--tables", min=1, max=500, help="Tables numbered 1…N."),
    venue: str | None = typer.Option(None, "--venue"),
    online: str | None = typer.Option(None, "--online", help="Online meeting link."),
    city: str | None = typer.Option(None, "--city", help="The city it is run in, e.g. 松江."),
    mode: RequestMode = typer.Option(RequestMode.opt_in, "--mode"),
    cap: int | None = typer.Option(None, "--cap", min=1, max=100, help="Meetings per person."),
    organiser: str | None = typer.Option(None, "--organiser", help="主办单位."),
) -> None:
    """Creates a published event."""
    body = EventIn(
        title=title,
        kind=kind,
        blocks=[_block(b) for b in block],
        registration_opens_at=beijing_time(opens, "--opens"),
        registration_closes_at=beijing_time(closes, "--closes"),
        slot_minutes=slot,
        tables=tables,
        venue=venue,
        online_url=online,
        city=city,
        request_mode=mode,
        max_meetings=cap,
        organiser_name=organiser,
    )
    with unit_of_work() as session:
        event = EventService(session, SYSTEM_VIEWER).create_event(body)
        console.print(f"对接会 event #{event.id} {event.title}", highlight=False)


@event_app.command("list")
@reports_errors
def list_() -> None:
    """Lists events, newest first."""
    with unit_of_work() as session:
        service = EventService(session, SYSTEM_VIEWER)
        rows, total = service.list_events(PageParams(1, 200))
        counts = service.events.participant_counts(r.id for r in rows)
        table = Table("id", "对接会 title", "类型 kind", "城市 city", "开始 starts (UTC+8)", "人数")
        for row in rows:
            out = present_event(row, service, counts.get(row.id, 0))
            starts = out["starts_at"].astimezone(BEIJING) if out["starts_at"] else None
            table.add_row(
                str(out["id"]),
                out["title"],
                out["kind_label"],
                out["city_name"] or "-",
                f"{starts:%Y-%m-%d %H:%M}" if starts else "-",
                str(out["participants"]),
            )
    console.print(table, highlight=False)
    console.print(f"共 {total} 场 total {total}", highlight=False)


@event_app.command("schedule")
@reports_errors
def schedule(
    event_id: int = EventId,
    time_limit: float = typer.Option(
        10.0, "--time-limit", min=0.1, max=units.MAX_TIME_LIMIT, help="Solver seconds."
    ),
) -> None:
    """Turns accepted requests into meetings (greedy at once, then CP-SAT within the limit);
    current meetings move as little as possible, locked ones stay."""
    with _database() as database:

        def shown(found: dict[str, Any]) -> None:
            console.print(
                f"  {found['method']}: {found['meetings']} 场会面 meetings, "
                f"{found['without']} 人无会面 without, 上界 bound {found['bound']}",
                highlight=False,
            )

        result = units.run(database, SYSTEM_VIEWER, event_id, time_limit, on_progress=shown)
        console.print(
            f"已排期 scheduled: {result['meetings']} 场会面 meetings, "
            f"调整 moved {result['moved']}, 用时 {result['seconds']} s",
            highlight=False,
        )


@event_app.command("grid")
@reports_errors
def grid(event_id: int = EventId) -> None:
    """Prints the grid of slots × tables."""
    with unit_of_work() as session:
        service = EventService(session, SYSTEM_VIEWER)
        event, slots, meetings, requests, people = service.grid(event_id)
        numbers = {t.id: t.number for t in event.tables}
        at = {(m.slot, numbers[m.table_id]): m for m in meetings}
        used = sorted({n for _, n in at})
        table = Table("时间 time (UTC+8)", *[f"{n}号桌" for n in used])
        for s in slots:
            cells = []
            for n in used:
                m = at.get((s.index, n))
                if m is None:
                    cells.append("")
                    continue
                r = requests[m.request_id]
                a, b = people[r.sender_id], people[r.recipient_id]
                cells.append(f"{a.organization_name} × {b.organization_name}")
            table.add_row(f"{s.starts_at.astimezone(BEIJING):%m-%d %H:%M}", *cells)
    console.print(table, highlight=False)


@event_app.command("stats")
@reports_errors
def stats(event_id: int = EventId) -> None:
    """Participants, requests, meetings held, introductions and signed deals of an event."""
    with unit_of_work() as session:
        s = EventService(session, SYSTEM_VIEWER).stats(event_id)
    console.print(
        f"参会 participants {s.participants} (签到 checked in {s.checked_in})\n"
        f"约见 requests {s.requests} (接受 accepted {s.accepted})\n"
        f"会面 meetings {s.meetings} (已会面 held {s.held}, 未到场 no-show {s.no_show})\n"
        f"对接 introductions {s.introductions}, 签约 signed {s.signed}, "
        f"金额 {s.signed_amount_wan:g} 万元",
        highlight=False,
    )


@event_app.command("import")
@reports_errors
def import_(
    event_id: int = EventId,
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help=".xlsx or .csv file."),
) -> None:
    """Imports participants from a spreadsheet with Chinese headers (单位名称, 姓名, 手机号, 身份,
    同意, …): every row or none."""
    settings = get_settings()
    data = path.read_bytes()[: settings.import_max_bytes + 1]
    if len(data) > settings.import_max_bytes:
        raise too_large(path.name, settings.import_max_bytes)
    with unit_of_work() as session:
        count = import_participants(
            session, SYSTEM_VIEWER, event_id, path.name, data, limits_of(settings)
        )
    console.print(f"已导入 imported {count} 名参会人 participants", highlight=False)


def register(app: typer.Typer) -> None:
    """Adds the `event` command group."""
    app.add_typer(event_app, name="event")
