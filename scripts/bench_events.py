"""Meeting scheduling on generated brokerage days: a table of greedy against CP-SAT, not a test.

    make bench-events
    .venv/bin/python scripts/bench_events.py --time-limit 60 --workers 2 [--late-changes]

The two days of issue 16 (`factorlink.event.instances.SHAPES`): 500 participants, 2,000
accepted requests, 12 slots, ~20% of (participant, slot) unavailable, skewed popularity; 60
tables (bound by the tables) and 200 tables (bound by who is free when). For each: a
first-come greedy (requests in order, each at its first free slot: the plain baseline), the
scheduler's greedy, then `solve` (greedy, LP-guided greedy, then CP-SAT from the better as a
hint) within the time limit.

Columns: meetings and the proven upper bound on them (the smaller of CP-SAT's and the LP
relaxation's, for schedules at least as fair) with the gap; the participants with a request
left without a meeting and the fewest the solver proved possible; idle gaps between someone's
meetings; and the seconds. With --late-changes, each day is changed a little (2% of requests
cancelled, as many added, someone unavailable in a slot) and re-scheduled from the CP-SAT
schedule: the meetings moved, against a run from scratch.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace
from itertools import pairwise

from rich.console import Console
from rich.table import Table

from factorlink.event.instances import SHAPES, generate, late_changes
from factorlink.event.scheduling import (
    Instance,
    Meeting,
    Schedule,
    greedy,
    solve,
    violations,
)


def first_come(instance: Instance) -> Schedule:
    """The plain greedy a spreadsheet would do: requests in order, each at its first slot
    where both are free and a table is (booths aside; the generated days have none)."""
    started = time.perf_counter()
    busy: set[tuple[int, int]] = set()
    used: dict[int, int] = {}
    tables = [t.id for t in instance.tables if t.fixed_to is None]
    meetings = []
    met: set[int] = set()
    count: dict[int, int] = {}
    cap = instance.max_meetings
    for r in instance.requests:
        if cap is not None and max(count.get(r.a, 0), count.get(r.b, 0)) >= cap:
            continue
        for slot in instance.slots:
            free = all(
                (q, slot) not in busy and (q, slot) not in instance.unavailable for q in (r.a, r.b)
            )
            if free and used.get(slot, 0) < len(tables):
                meetings.append(Meeting(r.id, slot, tables[used.get(slot, 0)]))
                used[slot] = used.get(slot, 0) + 1
                busy.update({(r.a, slot), (r.b, slot)})
                met.update({r.a, r.b})
                count[r.a] = count.get(r.a, 0) + 1
                count[r.b] = count.get(r.b, 0) + 1
                break
    asked = {q for r in instance.requests for q in (r.a, r.b)}
    position = {s: i for i, s in enumerate(instance.slots)}
    pairs = {r.id: (r.a, r.b) for r in instance.requests}
    when: dict[int, list[int]] = {}
    for m in meetings:
        for q in pairs[m.request]:
            when.setdefault(q, []).append(position[m.slot])
    gaps = sum(sum(1 for x, y in pairwise(sorted(v)) if y > x + 1) for v in when.values())
    return Schedule(
        meetings=tuple(meetings),
        method="first-come",
        seconds=time.perf_counter() - started,
        without=tuple(sorted(asked - met)),
        covered=len(asked & met),
        gaps=gaps,
    )


def row(shape: str, what: str, instance: Instance, schedule: Schedule) -> list[str]:
    problems = violations(instance, schedule)
    if problems:  # a benchmark of wrong schedules would be worthless
        raise SystemExit(f"{shape} {what}: {problems[:3]}")
    asked = len({p for r in instance.requests for p in (r.a, r.b)})
    least_without = None if schedule.covered_bound is None else asked - schedule.covered_bound
    return [
        shape,
        what,
        f"{schedule.count:,}",
        "—" if schedule.bound is None else f"{schedule.bound:,}",
        "—" if schedule.gap is None else f"{schedule.gap * 100:.2f}%",
        f"{len(schedule.without)}",
        "—" if least_without is None else f"{least_without}",
        "—" if schedule.fairness_gap is None else f"{schedule.fairness_gap * 100:.2f}%",
        f"{schedule.gaps:,}",
        f"{schedule.moved}" if instance.previous else "—",
        f"{schedule.seconds:.1f}",
        "—" if schedule.method != "cp-sat" else ("yes" if schedule.optimal else "no"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per solve")
    parser.add_argument(
        "--workers",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="CP-SAT workers (never more than the cores)",
    )
    parser.add_argument("--seed", type=int, default=0, help="the generated days' seed")
    parser.add_argument("--shape", choices=sorted(SHAPES), action="append", help="one day only")
    parser.add_argument(
        "--no-compact", action="store_true", help="spend no time on idle gaps (third phase)"
    )
    parser.add_argument(
        "--late-changes", action="store_true", help="also re-schedule after late changes"
    )
    args = parser.parse_args()
    table = Table(
        "day",
        "method",
        "meetings",
        "bound",
        "gap",
        "without",
        "≥ without",
        "fairness gap",
        "idle gaps",
        "moved",
        "seconds",
        "optimal",
        title=f"Meeting scheduling: CP-SAT {args.time_limit:g} s, {args.workers} workers, "
        f"seed {args.seed}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at "
        "the start ('without': participants with a request and no meeting; '≥ without': the "
        "fewest proven possible)",
    )
    console = Console(width=160)
    for name in args.shape or list(SHAPES):
        shape = SHAPES[name]
        instance = generate(shape, seed=args.seed)
        label = f"{shape.tables} tables"
        console.print(
            f"{label} ({name}): {len(instance.participants)} participants, "
            f"{len(instance.requests):,} accepted requests, {len(instance.slots)} slots, "
            f"{len(instance.unavailable) / (len(instance.participants) * len(instance.slots)):.0%}"
            " of (participant, slot) unavailable"
        )
        if not any(t.fixed_to is not None for t in instance.tables):
            table.add_row(*row(label, "first-come", instance, first_come(instance)))
        first = greedy(instance)
        table.add_row(*row(label, "greedy", instance, first))
        best = solve(
            instance,
            time_limit=args.time_limit,
            workers=args.workers,
            compact=not args.no_compact,
        )
        table.add_row(*row(label, "cp-sat", instance, best))
        if args.late_changes:
            later = late_changes(instance, best.meetings, seed=args.seed)
            again = solve(
                later, time_limit=args.time_limit, workers=args.workers, compact=not args.no_compact
            )
            table.add_row(*row(label, "cp-sat re-run after changes", later, again))
            fresh = solve(
                replace(later, previous=()),
                time_limit=args.time_limit,
                workers=args.workers,
                compact=not args.no_compact,
            )
            moved = replace(fresh, moved=_moved(later, fresh))
            table.add_row(*row(label, "cp-sat from scratch after changes", later, moved))
    console.print(table)


def _moved(instance: Instance, schedule: Schedule) -> int:
    """The previous meetings (still accepted) a schedule made without them does not keep."""
    accepted = {r.id for r in instance.requests}
    kept = set(schedule.meetings)
    return sum(1 for m in instance.previous if m.request in accepted and m not in kept)


if __name__ == "__main__":
    main()
