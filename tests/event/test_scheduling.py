"""The meeting scheduler: hand-made days with a known best, and properties on random small days."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from factorlink.event import scheduling
from factorlink.event.scheduling import (
    Instance,
    InstanceError,
    Meeting,
    Request,
    Schedule,
    Table,
    greedy,
    solve,
    violations,
    workers_for,
)

LIMIT = 3.0  # seconds: the small days here are solved to proven optimality well within it


def day(
    requests: list[tuple[int, int]],
    *,
    slots: int = 3,
    tables: int = 2,
    people: int | None = None,
    booths: dict[int, int] | None = None,
    unavailable: set[tuple[int, int]] | None = None,
    cap: int | None = None,
) -> Instance:
    """A day: requests as (a, b) pairs numbered from 1, tables numbered from 1."""
    n = people or max((max(a, b) for a, b in requests), default=1)
    fixed = booths or {}
    return Instance(
        slots=tuple(range(1, slots + 1)),
        tables=tuple(Table(t, fixed.get(t)) for t in range(1, tables + 1)),
        participants=tuple(range(1, n + 1)),
        requests=tuple(Request(i, a, b) for i, (a, b) in enumerate(requests, start=1)),
        unavailable=frozenset(unavailable or set()),
        max_meetings=cap,
    )


def test_star_where_the_popular_person_has_k_slots() -> None:
    # Person 1 is asked by 6 people but has 3 slots: 3 meetings at best, 3 people without.
    instance = day([(p, 1) for p in range(2, 8)], slots=3, tables=5)
    for schedule in (greedy(instance), solve(instance, time_limit=LIMIT, workers=1)):
        assert violations(instance, schedule) == []
        assert schedule.count == 3
        assert len(schedule.without) == 3
    best = solve(instance, time_limit=LIMIT, workers=1)
    assert best.optimal
    assert best.bound == 3
    assert best.covered_bound == 4
    assert best.gap == 0.0


def test_fairness_comes_before_the_number_of_meetings() -> None:
    # One slot, one table: 1–2 or 3–4 and 3–5... any single meeting; but with two slots and
    # one table, meeting 1–2 twice is impossible: 1–2 and 3–4 cover four people, 3–4 and 3–5
    # only three. The solver must pick the fair pair.
    instance = day([(1, 2), (3, 4), (3, 5)], slots=2, tables=1)
    best = solve(instance, time_limit=LIMIT, workers=1)
    assert violations(instance, best) == []
    assert best.count == 2
    assert {m.request for m in best.meetings} in ({1, 2}, {1, 3})
    assert best.covered == 4
    assert len(best.without) == 1


def test_fair_schedule_over_a_greedy_trap() -> None:
    # Person 1 (asked by 2, 3 and 4) is free in slot 1 only; 2 and 3 also meet 5 and 6, who
    # are free in slot 1 only too. Covering everyone needs 1 to meet 4 (who has no one else).
    instance = day(
        [(2, 1), (3, 1), (4, 1), (2, 5), (3, 6)],
        slots=2,
        tables=3,
        unavailable={(1, 2), (5, 2), (6, 2), (4, 2)},
    )
    best = solve(instance, time_limit=LIMIT, workers=1)
    assert violations(instance, best) == []
    assert best.without == ()
    assert best.covered == 6
    assert best.optimal


def test_tables_limit_each_slot() -> None:
    # Six disjoint pairs, two slots, two tables: four meetings at most.
    instance = day([(1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12)], slots=2, tables=2)
    best = solve(instance, time_limit=LIMIT, workers=1)
    assert violations(instance, best) == []
    assert best.count == 4
    assert best.bound == 4
    assert len({(m.slot, m.table) for m in best.meetings}) == 4


def test_a_booth_holds_its_owners_meetings_and_frees_the_ordinary_tables() -> None:
    # Table 1 is 1's booth; 1 meets 2 and 3; 4–5 and 6–7 need the one ordinary table.
    instance = day([(2, 1), (3, 1), (4, 5), (6, 7)], slots=2, tables=2, booths={1: 1})
    best = solve(instance, time_limit=LIMIT, workers=1)
    assert violations(instance, best) == []
    assert best.count == 4
    for m in best.meetings:
        assert (m.table == 1) == (m.request in (1, 2))


def test_two_booth_owners_meet_at_one_of_their_booths() -> None:
    instance = day([(1, 2)], slots=1, tables=3, booths={1: 1, 2: 2})
    best = solve(instance, time_limit=LIMIT, workers=1)
    assert violations(instance, best) == []
    assert [m.table for m in best.meetings] in ([1], [2])


def test_the_cap_limits_everyone() -> None:
    instance = day([(1, p) for p in range(2, 6)], slots=4, tables=4, cap=2)
    best = solve(instance, time_limit=LIMIT, workers=1)
    assert violations(instance, best) == []
    assert best.count == 2


def test_locked_meetings_are_kept_even_against_the_best() -> None:
    # Locking 1–2 in slot 1 at table 1 leaves 1–3 for slot 2 only.
    instance = replace(day([(1, 2), (1, 3)], slots=2, tables=1), locked=(Meeting(1, 1, 1),))
    best = solve(instance, time_limit=LIMIT, workers=1)
    assert violations(instance, best) == []
    assert Meeting(1, 1, 1) in best.meetings
    assert Meeting(2, 2, 1) in best.meetings


def test_locks_that_clash_are_refused_with_the_reason() -> None:
    instance = replace(
        day([(1, 2), (1, 3)], slots=2, tables=2),
        locked=(Meeting(1, 1, 1), Meeting(2, 1, 2)),
    )
    with pytest.raises(InstanceError) as caught:
        greedy(instance)
    assert any("double-booked" in p and "参会者 1" in p for p in caught.value.problems)


def test_broken_instances_are_refused() -> None:
    with pytest.raises(InstanceError, match="no participant 9"):
        greedy(day([(1, 9)], people=2))
    with pytest.raises(InstanceError, match="oneself"):
        greedy(day([(1, 1)], people=2))
    with pytest.raises(ValueError, match="time_limit"):
        solve(day([(1, 2)]), time_limit=0)


def test_violations_names_each_broken_rule() -> None:
    instance = replace(
        day([(1, 2), (3, 4), (1, 3)], slots=2, tables=2, unavailable={(4, 2)}, cap=1),
        locked=(Meeting(1, 1, 1),),
    )
    bad = Schedule(
        meetings=(
            Meeting(1, 2, 1),  # lock not kept
            Meeting(2, 2, 1),  # table double-booked; 4 unavailable in slot 2
            Meeting(3, 2, 2),  # 1 and 3 double-booked; cap of 1 exceeded
            Meeting(3, 1, 2),  # scheduled twice
            Meeting(9, 1, 1),  # not an accepted request
        ),
        method="greedy",
        seconds=0.0,
    )
    found = "\n".join(violations(instance, bad))
    for phrase in (
        "not kept",
        "table 1 double-booked",
        "unavailable in slot 2",
        "participant 1 double-booked",
        "over the cap",
        "scheduled twice",
        "not an accepted request",
    ):
        assert phrase in found


def test_a_booth_broken_either_way_is_a_violation() -> None:
    instance = day([(1, 2), (3, 4)], slots=1, tables=2, booths={1: 1})
    wrong = Schedule((Meeting(1, 1, 2), Meeting(2, 1, 1)), method="greedy", seconds=0.0)
    found = "\n".join(violations(instance, wrong))
    assert "must be held at fixed table 1" in found
    assert "fixed to participant 1" in found


def test_rescheduling_with_nothing_changed_moves_nothing() -> None:
    instance = day([(1, 2), (1, 3), (2, 3), (4, 5), (4, 1)], slots=3, tables=1)
    first = solve(instance, time_limit=LIMIT, workers=1)
    again = solve(replace(instance, previous=first.meetings), time_limit=LIMIT, workers=1)
    assert again.moved == 0
    assert set(again.meetings) == set(first.meetings)


def test_rescheduling_after_a_late_change_keeps_what_it_can() -> None:
    instance = day([(1, 2), (3, 4), (5, 6)], slots=3, tables=1)
    first = solve(instance, time_limit=LIMIT, workers=1)
    assert first.count == 3
    # 3 can no longer come in their slot: only their meeting moves.
    slot_of_3 = next(m.slot for m in first.meetings if m.request == 2)
    later = replace(
        instance,
        unavailable=frozenset({(3, slot_of_3)}),
        previous=first.meetings,
    )
    again = solve(later, time_limit=LIMIT, workers=1)
    assert violations(later, again) == []
    assert again.count == 3
    # One table, three slots, three meetings: 3–4 swaps slots with one other pair, the third
    # pair stays where it was.
    assert again.moved == 2
    assert sum(m in first.meetings for m in again.meetings) == 1


def test_the_solver_reports_progress_starting_with_the_greedy() -> None:
    instance = day([(p, q) for p in range(1, 7) for q in range(p + 1, 7)], slots=4, tables=2)
    seen: list[Schedule] = []
    best = solve(instance, time_limit=LIMIT, workers=1, progress=seen.append)
    assert seen[0].method == "greedy"
    assert {s.method for s in seen} <= {"greedy", "cp-sat"}
    assert [s.key() for s in seen] == sorted(s.key() for s in seen)
    assert best.key() >= seen[-1].key()


def test_never_more_workers_than_cores() -> None:
    import os

    cores = os.cpu_count() or 1
    assert workers_for(None) == cores
    assert workers_for(cores + 5) == cores
    assert workers_for(1) == 1
    assert workers_for(0) == 1


def test_the_scheduler_reads_no_settings_no_tables_and_starts_no_threads() -> None:
    imported: set[str] = set()
    for node in ast.walk(ast.parse(Path(scheduling.__file__).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert not {
        m for m in imported if m.startswith(("factorlink.", "threading")) or m.endswith(".models")
    }


# --- properties on random small days ----------------------------------------------------------


@st.composite
def days(draw: st.DrawFn) -> Instance:
    """A small random day: some booths, some unavailability, maybe a cap, breaks, locks and a
    past."""
    n = draw(st.integers(2, 8))
    slots = tuple(range(1, draw(st.integers(1, 4)) + 1))
    people = tuple(range(1, n + 1))
    pairs = [(a, b) for a in people for b in people if a < b]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=14))
    requests = tuple(
        Request(i, *(pair if draw(st.booleans()) else pair[::-1]))
        for i, pair in enumerate(chosen, start=1)
    )
    owners = draw(st.lists(st.sampled_from(people), unique=True, max_size=2))
    ordinary = draw(st.integers(0, 3))
    tables = tuple(Table(i + 1, owner) for i, owner in enumerate(owners)) + tuple(
        Table(len(owners) + i + 1) for i in range(ordinary)
    )
    cells = [(p, s) for p in people for s in slots]
    unavailable = frozenset(draw(st.lists(st.sampled_from(cells), max_size=len(cells) // 3)))
    cap = draw(st.none() | st.integers(1, 3))
    breaks = frozenset(draw(st.lists(st.sampled_from(slots), max_size=2)))
    instance = Instance(
        slots=slots,
        tables=tables,
        participants=people,
        requests=requests,
        unavailable=unavailable,
        max_meetings=cap,
        breaks=breaks,
    )
    # Locks: some meetings of a feasible schedule (so they never clash); a past schedule:
    # meetings of another day's schedule, which may no longer fit.
    feasible = greedy(instance).meetings
    locked = tuple(m for m in feasible if draw(st.booleans()) and draw(st.booleans()))
    past = draw(
        st.lists(
            st.builds(
                Meeting,
                st.integers(1, len(requests) + 1),
                st.sampled_from(slots),
                st.integers(1, max(1, len(tables))),
            ),
            max_size=4,
        )
    )
    return replace(instance, locked=locked, previous=tuple(past))


QUICK = settings(max_examples=60, deadline=None)
SOLVED = settings(max_examples=20, deadline=None)


@QUICK
@given(days())
def test_greedy_keeps_every_rule(instance: Instance) -> None:
    schedule = greedy(instance)
    assert violations(instance, schedule) == []
    accepted = {r.id for r in instance.requests}
    assert {m.request for m in schedule.meetings} <= accepted
    assert set(instance.locked) <= set(schedule.meetings)


@SOLVED
@given(days())
def test_the_solver_keeps_every_rule_and_is_never_worse_than_greedy(instance: Instance) -> None:
    first = greedy(instance)
    best = solve(instance, time_limit=2.0, workers=1)
    assert violations(instance, best) == []
    assert set(instance.locked) <= set(best.meetings)
    assert best.key() >= first.key()
    assert best.bound is not None and best.count <= best.bound
    assert best.covered_bound is not None and best.covered <= best.covered_bound
    met = {
        p for m in best.meetings for r in instance.requests if r.id == m.request for p in (r.a, r.b)
    }
    asked = {p for r in instance.requests for p in (r.a, r.b)}
    assert set(best.without) == asked - met
    assert best.covered == len(asked & met)


@SOLVED
@given(days())
def test_rescheduling_an_unchanged_day_moves_nothing_and_keeps_the_locks(
    instance: Instance,
) -> None:
    first = solve(replace(instance, previous=()), time_limit=2.0, workers=1)
    again = solve(replace(instance, previous=first.meetings), time_limit=2.0, workers=1)
    assert violations(instance, again) == []
    assert set(instance.locked) <= set(again.meetings)
    if first.optimal:
        assert again.moved == 0
        assert set(again.meetings) == set(first.meetings)
    else:  # the first run may have left room to do better; never worse, all the same
        assert again.key()[:2] >= first.key()[:2]


def test_the_greedy_repair_moves_a_meeting_out_of_the_way() -> None:
    # 1–2 sits in slot 1; 1–3 can only be in slot 1 (3 is away in slot 2): 1–2 moves to slot 2.
    instance = day([(1, 2), (1, 3)], slots=2, tables=2, unavailable={(3, 2)})
    problem = scheduling._Problem(instance)
    state = scheduling._Greedy(problem)
    state.place(1, 1)
    assert state.insert(2)
    assert state.chosen == {1: 2, 2: 1}
    # Nothing to gain where the meeting in the way has nowhere to go: the state is untouched.
    stuck = day([(1, 2), (1, 3)], slots=2, tables=2, unavailable={(3, 2), (2, 2)})
    state = scheduling._Greedy(scheduling._Problem(stuck))
    state.place(1, 1)
    assert not state.insert(2)
    assert state.chosen == {1: 1}
    assert state.busy == {(1, 1), (2, 1)}


@SOLVED
@given(days(), st.randoms(use_true_random=False))
def test_tables_fit_any_slots_the_model_allows(instance: Instance, rng: Random) -> None:
    # The model leaves tables out; for any of its solutions (here: the best one for a random
    # objective) the tables assigned afterwards keep every rule.
    problem = scheduling._Problem(instance)
    model = scheduling._Model(problem)
    model.model.maximize(sum(rng.randint(-1, 3) * var for var in model.x.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 2.0
    assert solver.solve(model.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    chosen = model.chosen(solver.boolean_value)
    schedule = problem.schedule(chosen, method="cp-sat", started=0.0)
    assert violations(instance, schedule) == []
    assert {m.request: m.slot for m in schedule.meetings if m not in instance.locked} == chosen


def test_an_empty_day_and_a_day_the_greedy_already_solves_are_proven() -> None:
    empty = day([], people=3)
    best = solve(empty, time_limit=LIMIT, workers=1)
    assert best.meetings == ()
    assert best.optimal
    assert best.bound == 0
    # Two disjoint pairs, plenty of room: the greedy's schedule meets the LP's bound.
    easy = day([(1, 2), (3, 4)], slots=1, tables=2)
    best = solve(easy, time_limit=LIMIT, workers=1, compact=False)
    assert best.count == 2
    assert best.optimal
    assert best.bound == 2


def test_the_lp_relaxation_bounds_the_meetings_and_guides_the_greedy() -> None:
    # The star: person 1 has three slots, so the LP allows three meetings, not six.
    instance = day([(p, 1) for p in range(2, 8)], slots=3, tables=5)
    problem = scheduling._Problem(instance)
    most, values = scheduling._Model(problem).relaxation(5.0)
    assert most == 3
    assert sum(values.values()) == pytest.approx(3.0)
    guided = scheduling._Greedy(problem).run(prefer=values)
    assert len(guided) == 3
    assert violations(instance, problem.schedule(guided, method="greedy", started=0.0)) == []


def test_a_rerun_never_moves_more_meetings_than_it_gains() -> None:
    # Last time: 1–2 in slot 1, 1–3 in slot 2, 5–6 in slot 3. Now 5–2 is accepted too; 5 is
    # free in slot 1 only (slot 3 is 5–6's, which can go nowhere else). Fitting it needs 1–2
    # out of slot 1 and then 1–3 out of slot 2: two moves for one meeting more. Not worth it.
    instance = day(
        [(1, 2), (1, 3), (5, 6), (5, 2)],
        slots=3,
        tables=3,
        unavailable={(2, 3), (5, 2), (6, 1), (6, 2)},
    )
    previous = (Meeting(1, 1, 1), Meeting(2, 2, 1), Meeting(3, 3, 1))
    again = solve(replace(instance, previous=previous), time_limit=LIMIT, workers=1)
    assert violations(instance, again) == []
    assert again.moved == 0
    assert set(again.meetings) == set(previous)
    assert again.optimal
    # From scratch, all four fit: the re-run's restraint is a choice, not a lack of room.
    assert solve(instance, time_limit=LIMIT, workers=1).count == 4


def test_the_greedy_joins_up_a_day_split_by_a_gap() -> None:
    # 1 meets 2 in slot 1 and 3 in slot 3; 3 is free in slot 2 too: moving 1–3 there joins
    # 1's meetings up (no idle slot between them) and costs 3 nothing.
    instance = day([(1, 2), (1, 3)], slots=3, tables=2, unavailable={(2, 2), (2, 3)})
    state = scheduling._Greedy(scheduling._Problem(instance))
    state.place(1, 1)
    state.place(2, 3)
    state.compact()
    assert state.chosen == {1: 1, 2: 2}
    assert greedy(instance).gaps == 0


def test_a_break_is_no_idle_gap() -> None:
    # Slots 1–2 in the morning, 3–4 in the afternoon (a break before slot 3).
    instance = replace(
        day([(1, 2), (1, 3)], slots=4, tables=2, unavailable={(2, 2), (2, 3), (2, 4)}),
        breaks=frozenset({3}),
    )
    at = Schedule((Meeting(1, 1, 1), Meeting(2, 4, 1)), method="greedy", seconds=0.0)
    problem = scheduling._Problem(instance)
    # Slot 1, then slot 4: idle in slot 2 of the morning, but that's after 1's last morning
    # meeting, and the afternoon starts afresh: no gap. Without the break, one gap.
    assert problem.schedule({1: 1, 2: 4}, method="greedy", started=0.0).gaps == 0
    plain = scheduling._Problem(replace(instance, breaks=frozenset()))
    assert plain.schedule({1: 1, 2: 4}, method="greedy", started=0.0).gaps == 1
    assert violations(instance, at) == []
    best = solve(instance, time_limit=LIMIT, workers=1)
    assert best.count == 2
    assert best.gaps == 0
    with pytest.raises(InstanceError, match="no slot 9 for a break"):
        greedy(replace(instance, breaks=frozenset({9})))


def test_idle_gaps_are_fewest_within_each_block() -> None:
    # 1 meets 2, 3 and 4; two blocks of three slots. 2 is only free in slot 1, 4 only in
    # slot 6; 3 anywhere: with 3 in slot 2 (or 5), no gap in either block.
    away = {(2, s) for s in range(2, 7)} | {(4, s) for s in range(1, 6)}
    instance = replace(
        day([(1, 2), (1, 3), (1, 4)], slots=6, tables=2, unavailable=away),
        breaks=frozenset({4}),
    )
    best = solve(instance, time_limit=LIMIT, workers=1)
    assert best.count == 3
    assert best.gaps == 0
    assert best.optimal
    slot_of_3 = next(m.slot for m in best.meetings if m.request == 2)
    assert slot_of_3 in (2, 5)
