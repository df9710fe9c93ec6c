"""Meeting scheduling on generated brokerage days: a table of greedy against CP-SAT, not a test.

    make bench-events
    .venv/bin/python scripts/bench_events.py --time-limit 60 --workers 2

The two days of issue 16 (`factorlink.event.instances.SHAPES`): 500 participants, 2,000
accepted requests, 12 slots, ~20% of (participant, slot) unavailable, skewed popularity; 60
tables (bound by the tables) and 200 tables (bound by who is free when). For each: the greedy
schedule, then `solve` (greedy, then CP-SAT from its hint) within the time limit. Columns:
meetings and the proven upper bound on them (the smaller of CP-SAT's and the LP relaxation's,
for schedules at least as fair) with the gap; the participants with a request left without a
meeting and the fewest the solver proved possible; idle gaps between someone's meetings; and
the seconds. With --late-changes, each day is changed a little (2% of requests cancelled, as
many added, someone unavailable in a slot) and re-scheduled from the CP-SAT schedule: the
meetings moved, against a run from scratch.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace

from rich.console import Console
from rich.table import Table

from factorlink.event.instances import SHAPES, generate, late_changes
from factorlink.event.scheduling import Instance, Schedule, greedy, solve, violations


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
        schedule.status or "—",
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
        "status",
        title=f"Meeting scheduling: CP-SAT {args.time_limit:g} s, {args.workers} workers, "
        f"seed {args.seed} ('without': participants with a request and no meeting; "
        "'≥ without': the fewest proven possible)",
    )
    console = Console(width=160)
    for name in args.shape or list(SHAPES):
        shape = SHAPES[name]
        instance = generate(shape, seed=args.seed)
        label = f"{name} ({shape.tables} tables)"
        console.print(
            f"{label}: {len(instance.participants)} participants, {len(instance.requests):,} "
            f"accepted requests, {len(instance.slots)} slots, "
            f"{len(instance.unavailable) / (len(instance.participants) * len(instance.slots)):.0%}"
            " of (participant, slot) unavailable"
        )
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
            table.add_row(*row(label, "cp-sat, re-run after changes", later, again))
            fresh = solve(
                replace(later, previous=()),
                time_limit=args.time_limit,
                workers=args.workers,
                compact=not args.no_compact,
            )
            moved = replace(fresh, moved=_moved(later, fresh))
            table.add_row(*row(label, "cp-sat, from scratch after changes", later, moved))
    console.print(table)


def _moved(instance: Instance, schedule: Schedule) -> int:
    """The previous meetings (still accepted) a schedule made without them does not keep."""
    accepted = {r.id for r in instance.requests}
    kept = set(schedule.meetings)
    return sum(1 for m in instance.previous if m.request in accepted and m not in kept)


if __name__ == "__main__":
    main()
