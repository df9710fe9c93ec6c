"""A scheduling run in its own units of work: claimed (the event marked running, the instance
read), solved outside any transaction with its progress written as it improves, and stored.

The organiser's button runs it in a background thread and the page polls the event's schedule
state; the command line and `?wait=true` run it in the caller's thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from factorlink.auth.viewer import Viewer
from factorlink.db.base import utcnow
from factorlink.db.session import Database
from factorlink.errors import FactorLinkError, InvalidInput
from factorlink.event import scheduling
from factorlink.event.models import Event
from factorlink.event.service import Clock, EventService

log = logging.getLogger(__name__)
# Progress is written at most this often (seconds): each write is a small unit of work.
PROGRESS_EVERY = 0.5
MAX_TIME_LIMIT = 600.0


def summary(schedule: scheduling.Schedule, stage: str, time_limit: float) -> dict[str, Any]:
    """What the page shows of a schedule found so far (or the final one)."""
    return {
        "stage": stage,
        "time_limit": time_limit,
        "method": schedule.method,
        "meetings": len(schedule.meetings),
        "bound": schedule.bound,
        "without": len(schedule.without),
        "covered": schedule.covered,
        "moved": schedule.moved,
        "gaps": schedule.gaps,
        "optimal": schedule.optimal,
        "seconds": round(schedule.seconds, 2),
    }


def check_time_limit(time_limit: float) -> float:
    """A time limit between 0.1 and MAX_TIME_LIMIT seconds."""
    if not 0.1 <= time_limit <= MAX_TIME_LIMIT:
        raise InvalidInput(
            f"排期时限须在0.1到{MAX_TIME_LIMIT:.0f}秒之间",
            message_en=f"time_limit must be between 0.1 and {MAX_TIME_LIMIT:.0f} seconds",
            errors=[{"field": "time_limit", "reason": "超出范围", "reason_en": "out of range"}],
        )
    return time_limit


def claim(
    database: Database, viewer: Viewer, event_id: int, time_limit: float, clock: Clock = utcnow
) -> scheduling.Instance:
    """Marks the event as being scheduled and reads its instance (409 if a run is going)."""
    check_time_limit(time_limit)
    with database.unit_of_work(immediate=True) as session:
        service = EventService(session, viewer, clock)
        instance: scheduling.Instance = service.start_schedule(event_id)
        event = service.events.get(event_id)
        assert event is not None
        event.schedule_progress = {**(event.schedule_progress or {}), "time_limit": time_limit}
        return instance


def finish(
    database: Database,
    viewer: Viewer,
    event_id: int,
    instance: scheduling.Instance,
    time_limit: float,
    clock: Clock = utcnow,
    workers: int | None = None,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Solves a claimed instance, writing progress, and stores the schedule."""
    last = [0.0]

    def progress(found: scheduling.Schedule) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY:
            return
        last[0] = now
        shown = summary(found, "solving", time_limit)
        with database.unit_of_work() as session:
            event = session.get(Event, event_id)
            if event is not None:
                event.schedule_progress = shown
        if on_progress is not None:
            on_progress(shown)

    try:
        schedule = scheduling.solve(
            instance, time_limit=time_limit, workers=workers, progress=progress
        )
        problems = scheduling.violations(instance, schedule)
        if problems:  # a bug of the solver: nothing is stored
            raise RuntimeError("; ".join(problems[:3]))
        with database.unit_of_work(immediate=True) as session:
            service = EventService(session, viewer, clock)
            meetings, moved = service.store_schedule(event_id, schedule)
            result = {**summary(schedule, "done", time_limit), "meetings": meetings, "moved": moved}
            event = service.events.get(event_id)
            assert event is not None
            event.schedule_progress = result
            return result
    except BaseException as exc:
        reason = exc.message if isinstance(exc, FactorLinkError) else str(exc)
        with database.unit_of_work() as session:
            EventService(session, viewer, clock).fail_schedule(event_id, reason[:500])
        raise


def run(
    database: Database,
    viewer: Viewer,
    event_id: int,
    time_limit: float,
    clock: Clock = utcnow,
    workers: int | None = None,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Claims, solves and stores in the caller's thread."""
    instance = claim(database, viewer, event_id, time_limit, clock)
    return finish(database, viewer, event_id, instance, time_limit, clock, workers, on_progress)


def start(
    database: Database, viewer: Viewer, event_id: int, time_limit: float, clock: Clock = utcnow
) -> threading.Thread:
    """Claims now (so a second run is refused at once) and solves in a background thread."""
    instance = claim(database, viewer, event_id, time_limit, clock)

    def work() -> None:
        try:
            finish(database, viewer, event_id, instance, time_limit, clock)
        except Exception:  # recorded on the event as failed; the page shows it
            log.exception("scheduling event %s failed", event_id)

    thread = threading.Thread(target=work, name=f"schedule-event-{event_id}", daemon=True)
    thread.start()
    return thread
