"""An event's scheduling through the database, end to end: a table, not a test.

    .venv/bin/python scripts/bench_event_db.py [--shape capacity-bound] [--time-limit 10]
        [--workers 2] [--database-url postgresql://…]

A generated brokerage day (`factorlink.event.instances`, 500 participants, 2,000 accepted
requests, 12 slots) is stored as an event — one 20-minute block per slot, so each person's
unavailable slots are blocks they cannot make — in a fresh SQLite file (or the PostgreSQL
database given, which must be empty). Then the organiser's path is timed: the run
(`event.units.run`: instance read from the database, greedy + CP-SAT within the limit, meetings
stored), every participant's agenda, the grid, and a second run that keeps the meetings.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

from factorlink.auth.viewer import SYSTEM
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.event import units
from factorlink.event.instances import SHAPES, generate
from factorlink.event.models import (
    Event,
    EventBlock,
    EventParticipant,
    EventRequest,
    EventTable,
)
from factorlink.event.service import EventService
from factorlink.event.vocab import EventKind, ParticipantRole, RequestStatus

START = datetime(2027, 3, 1, 1, 0, tzinfo=UTC)


def store(database: Database, shape: str) -> tuple[int, int, int]:
    """Stores the generated day; returns the event id and the numbers of people and requests."""
    instance = generate(SHAPES[shape])
    with database.unit_of_work() as session:
        event = Event(
            title=f"bench {shape}",
            kind=EventKind.matchmaking,
            venue="bench",
            slot_minutes=20,
            registration_opens_at=START - timedelta(days=30),
            registration_closes_at=START - timedelta(days=1),
            published=True,
        )
        for n, _ in enumerate(instance.slots):
            at = START + timedelta(minutes=20 * n)
            event.blocks.append(EventBlock(starts_at=at, ends_at=at + timedelta(minutes=20)))
        session.add(event)
        session.flush()
        blocks = [b.id for b in sorted(event.blocks, key=lambda b: b.starts_at)]
        slot_index = {s: i for i, s in enumerate(instance.slots)}
        missed: dict[int, list[int]] = {}
        for person, slot in instance.unavailable:
            missed.setdefault(person, []).append(blocks[slot_index[slot]])
        ids: dict[int, int] = {}
        for person in instance.participants:
            p = EventParticipant(
                event_id=event.id,
                organization_name=f"机构{person}",
                contact_name=f"参会人{person}",
                role=ParticipantRole.enterprise,
                guest=True,
                unavailable_blocks=sorted(missed.get(person, [])),
            )
            session.add(p)
            session.flush()
            ids[person] = p.id
        for table in instance.tables:
            fixed = ids[table.fixed_to] if table.fixed_to is not None else None
            session.add(EventTable(event_id=event.id, number=table.id, fixed_participant_id=fixed))
        for r in instance.requests:
            session.add(
                EventRequest(
                    event_id=event.id,
                    sender_id=ids[r.a],
                    recipient_id=ids[r.b],
                    status=RequestStatus.accepted,
                )
            )
        return event.id, len(instance.participants), len(instance.requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=sorted(SHAPES), default="capacity-bound")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp), database_url=args.database_url, matching_encoder="none"
        )
        database = Database(settings)
        clock = lambda: START + timedelta(days=2)  # noqa: E731  (after the day: all marked)
        rows: list[tuple[str, str, float]] = []
        try:
            t = time.perf_counter()
            event_id, people, requests = store(database, args.shape)
            rows.append(("store the day", f"{people} people, {requests} requests", _since(t)))
            t = time.perf_counter()
            first = units.run(database, SYSTEM, event_id, args.time_limit, clock, args.workers)
            rows.append(
                (
                    "schedule (read, solve, store)",
                    f"{first['meetings']} meetings, bound {first['bound']}, "
                    f"{first['without']} without, solver {first['seconds']} s",
                    _since(t),
                )
            )
            t = time.perf_counter()
            with database.unit_of_work() as session:
                service = EventService(session, SYSTEM, clock)
                count = sum(len(service.agenda(p)) for p in service.participant_list(event_id))
            rows.append(("every agenda", f"{count} agenda lines", _since(t)))
            t = time.perf_counter()
            with database.unit_of_work() as session:
                grid = EventService(session, SYSTEM, clock).grid(event_id)
            rows.append(("the grid", f"{len(grid[2])} meetings", _since(t)))
            t = time.perf_counter()
            again = units.run(database, SYSTEM, event_id, args.time_limit, clock, args.workers)
            rows.append(
                (
                    "schedule again",
                    f"{again['meetings']} meetings, {again['moved']} moved",
                    _since(t),
                )
            )
        finally:
            database.dispose()
    table = Table(
        "step",
        "result",
        "seconds",
        title=f"{args.shape}, limit {args.time_limit} s, "
        f"{args.workers} workers, {'PostgreSQL' if args.database_url else 'SQLite'}",
    )
    for step, result, seconds in rows:
        table.add_row(step, result, f"{seconds:.2f}")
    Console().print(table)


def _since(t: float) -> float:
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
