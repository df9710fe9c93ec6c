"""Scheduling one-to-one meetings of a brokerage event (pure: no database, files or settings).

An `Instance` is one event's agenda problem: slots in time order, tables (some fixed to a
participant, their booth), participants, the accepted requests, who is unavailable when, a cap
on meetings per participant, the meetings the organiser locked and the last schedule. A
`Schedule` puts requests at a slot and a table.

Rules (`violations` checks every one): a meeting is an accepted request, scheduled once; both
people are available in its slot; nobody is in two meetings at once and no table holds two; a
booth hosts only its owner's meetings and its owner meets nowhere else (when both people have
a booth, the meeting is at one of the two); locked meetings are kept exactly; nobody exceeds
the cap.

Objective, lexicographic (each level outweighs everything below it put together):

1. the most participants with a request who get at least one meeting (fairness: nobody left
   without where the capacity allows);
2. then the most meetings less the meetings of `previous` moved (to another slot or table, or
   dropped), then the most meetings. Without a previous schedule: the most meetings. When
   re-scheduling after late changes, a re-run keeps every previous meeting it can and moves
   some only for at least as many meetings more: it never moves more meetings than it gains
   (a swap that lets a displaced meeting stay on the agenda is worth it; moving a thousand
   meetings for seven more is not). With nothing changed, nothing moves;
3. then, with ``compact``, the fewest idle gaps in someone's day: each participant's meetings
   in as few runs of consecutive slots as possible within each block (a break or a night,
   `Instance.breaks`, is no idle gap) — the secondary term of the B2B-scheduling work,
   Pylyavskyy, Jacko & Kheiri, JAIR 2022.

`greedy` answers at once. `solve` starts from it, runs it again guided by the LP relaxation
(GLOP, which also bounds the meetings), and improves the better of the two with OR-Tools CP-SAT
within a time limit, from it as a hint, keeping the best found.

The CP-SAT model has one boolean per (request, slot) where both people are available, not one
per (request, slot, table). Tables are assigned afterwards, slot by slot (`_assign_tables`).
That is always possible, because the model keeps, in every slot, the number of meetings that
need an ordinary table (those where neither person has a booth) at most the number of ordinary
tables not taken by a locked meeting, and:

- a meeting where someone has a booth goes to that booth. The booth is free: any other meeting
  there would be its owner's, and the owner is in one meeting per slot (locked meetings are
  checked against the same rules before anything is scheduled);
- the other meetings need ordinary tables, and all ordinary tables are alike: first the
  meetings kept from `previous` take their old table (distinct, since a valid schedule never
  put two meetings at one table in one slot, and a table a lock holds is not offered), then
  the rest take the free ones in order. Their number fits by the constraint above.
"""

from __future__ import annotations

import math
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from ortools.linear_solver.python import model_builder
from ortools.sat.python import cp_model

GREEDY = "greedy"
CP_SAT = "cp-sat"


@dataclass(frozen=True)
class Table:
    """A table; `fixed_to` a participant's booth: their meetings are held there, nobody else's."""

    id: int
    fixed_to: int | None = None


@dataclass(frozen=True)
class Request:
    """An accepted request between participants `a` (who asked) and `b`."""

    id: int
    a: int
    b: int


@dataclass(frozen=True)
class Meeting:
    """A request held in a slot at a table."""

    request: int
    slot: int
    table: int


@dataclass(frozen=True)
class Instance:
    """One event's scheduling problem."""

    slots: tuple[int, ...]  # slot ids in time order
    tables: tuple[Table, ...]
    participants: tuple[int, ...]
    requests: tuple[Request, ...]
    unavailable: frozenset[tuple[int, int]] = frozenset()  # (participant, slot)
    max_meetings: int | None = None  # cap per participant
    locked: tuple[Meeting, ...] = ()  # must be kept exactly
    previous: tuple[Meeting, ...] = ()  # last schedule: a re-run moves as few as possible
    # Slots that open a new block (after a break, or on another day): the time across one
    # is no idle gap.
    breaks: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Schedule:
    """Meetings at a slot and a table, and how good they are.

    `bound` is the solver's proven upper bound on the number of meetings of any schedule at
    least as fair as this one (as many participants with a meeting); `covered_bound` its
    proven upper bound on the participants with a meeting. Both are None for the greedy.
    """

    meetings: tuple[Meeting, ...]
    method: str  # "greedy" | "cp-sat"
    seconds: float
    bound: int | None = None
    without: tuple[int, ...] = ()  # participants with an accepted request and no meeting
    moved: int = 0  # meetings of `previous` (still accepted) moved or dropped
    covered: int = 0  # participants with an accepted request and at least one meeting
    covered_bound: int | None = None
    gaps: int = 0  # idle gaps: runs of free slots between two meetings of one participant
    # in one block
    optimal: bool = False  # the solver proved no schedule is better
    status: str = ""  # the solver's status name ("OPTIMAL", "FEASIBLE", …); "" for the greedy
    extra: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def count(self) -> int:
        """The number of meetings."""
        return len(self.meetings)

    @property
    def gap(self) -> float | None:
        """How far the meetings may be from the best (0.0 = proven best), where known."""
        if self.bound is None:
            return None
        return 0.0 if self.bound <= 0 else max(0, self.bound - self.count) / self.bound

    @property
    def fairness_gap(self) -> float | None:
        """How far the participants with a meeting may be from the best, where known."""
        if self.covered_bound is None:
            return None
        if self.covered_bound <= 0:
            return 0.0
        return max(0, self.covered_bound - self.covered) / self.covered_bound

    def key(self) -> tuple[int, int, int, int]:
        """The objective, lexicographic: larger is better (see the module's docstring).

        Meetings less moves, then meetings: the meetings plus the previous ones kept, as the
        number of previous meetings (still accepted) is the same for every schedule.
        """
        return (self.covered, self.count - self.moved, self.count, -self.gaps)


class InstanceError(ValueError):
    """The instance itself is wrong (unknown ids, duplicates, locked meetings that clash)."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(problems)


# --- checking ---------------------------------------------------------------------------------


def violations(instance: Instance, schedule: Schedule) -> list[str]:
    """Every broken rule of `schedule` on `instance`, in Chinese with the English; empty if none."""
    return _violations(instance, schedule.meetings, check_locks=True)


def _violations(instance: Instance, meetings: Sequence[Meeting], *, check_locks: bool) -> list[str]:
    problems: list[str] = []
    requests = {r.id: r for r in instance.requests}
    slots = set(instance.slots)
    tables = {t.id: t for t in instance.tables}
    booths = _booths(instance)
    seen_request: set[int] = set()
    person_at: dict[tuple[int, int], int] = {}
    table_at: dict[tuple[int, int], int] = {}
    count: dict[int, int] = defaultdict(int)
    for m in meetings:
        request = requests.get(m.request)
        where = f"请求 {m.request} / request {m.request}"
        if request is None:
            problems.append(f"{where}: 不是已接受的请求 / not an accepted request")
            continue
        if m.request in seen_request:
            problems.append(f"{where}: 排了两次 / scheduled twice")
        seen_request.add(m.request)
        if m.slot not in slots:
            problems.append(f"{where}: 时段 {m.slot} 不存在 / no slot {m.slot}")
        table = tables.get(m.table)
        if table is None:
            problems.append(f"{where}: 桌 {m.table} 不存在 / no table {m.table}")
        for person in (request.a, request.b):
            count[person] += 1
            if (person, m.slot) in instance.unavailable:
                problems.append(
                    f"{where}: 参会者 {person} 在时段 {m.slot} 没空"
                    f" / participant {person} unavailable in slot {m.slot}"
                )
            other = person_at.get((person, m.slot))
            if other is not None:
                problems.append(
                    f"{where}: 参会者 {person} 在时段 {m.slot} 已有请求 {other} 的会面"
                    f" / participant {person} double-booked in slot {m.slot}"
                    f" (with request {other})"
                )
            person_at[(person, m.slot)] = m.request
        other = table_at.get((m.table, m.slot))
        if other is not None:
            problems.append(
                f"{where}: 桌 {m.table} 在时段 {m.slot} 已有请求 {other} 的会面"
                f" / table {m.table} double-booked in slot {m.slot} (with request {other})"
            )
        table_at[(m.table, m.slot)] = m.request
        own = booths.get(request.a, ()) + booths.get(request.b, ())
        if (
            table is not None
            and table.fixed_to is not None
            and table.fixed_to
            not in (
                request.a,
                request.b,
            )
        ):
            problems.append(
                f"{where}: 桌 {m.table} 是参会者 {table.fixed_to} 的固定桌"
                f" / table {m.table} is fixed to participant {table.fixed_to}"
            )
        elif own and m.table not in own:
            problems.append(
                f"{where}: 应在固定桌 {'、'.join(map(str, own))} 举行"
                f" / must be held at fixed table {', '.join(map(str, own))}"
            )
    if check_locks:
        kept = set(meetings)
        for lock in instance.locked:
            if lock not in kept:
                problems.append(
                    f"请求 {lock.request} / request {lock.request}: 锁定的会面"
                    f"(时段 {lock.slot}、桌 {lock.table})没有保留"
                    f" / locked meeting (slot {lock.slot}, table {lock.table}) not kept"
                )
    cap = instance.max_meetings
    if cap is not None:
        for person, n in sorted(count.items()):
            if n > cap:
                problems.append(
                    f"参会者 {person}: {n} 场会面,超过上限 {cap}"
                    f" / participant {person}: {n} meetings, over the cap of {cap}"
                )
    return problems


def _booths(instance: Instance) -> dict[int, tuple[int, ...]]:
    booths: dict[int, tuple[int, ...]] = {}
    for table in instance.tables:
        if table.fixed_to is not None:
            booths[table.fixed_to] = (*booths.get(table.fixed_to, ()), table.id)
    return booths


def _check_instance(instance: Instance) -> None:
    problems: list[str] = []

    def duplicates(kind: str, english: str, ids: Iterable[int]) -> None:
        seen: set[int] = set()
        for i in ids:
            if i in seen:
                problems.append(f"{kind} {i} 重复 / duplicate {english} {i}")
            seen.add(i)

    duplicates("时段", "slot", instance.slots)
    duplicates("桌", "table", (t.id for t in instance.tables))
    duplicates("参会者", "participant", instance.participants)
    duplicates("请求", "request", (r.id for r in instance.requests))
    people = set(instance.participants)
    slots = set(instance.slots)
    for r in instance.requests:
        if r.a == r.b:
            problems.append(f"请求 {r.id}: 不能与自己会面 / request {r.id}: a meeting with oneself")
        for person in (r.a, r.b):
            if person not in people:
                problems.append(
                    f"请求 {r.id}: 参会者 {person} 不存在 / request {r.id}: no participant {person}"
                )
    for t in instance.tables:
        if t.fixed_to is not None and t.fixed_to not in people:
            problems.append(
                f"桌 {t.id}: 固定给的参会者 {t.fixed_to} 不存在"
                f" / table {t.id}: fixed to no participant {t.fixed_to}"
            )
    for slot in sorted(instance.breaks - slots):
        problems.append(f"休息后的时段 {slot} 不存在 / no slot {slot} for a break")
    for person, slot in sorted(instance.unavailable):
        if person not in people or slot not in slots:
            problems.append(
                f"没空的时段 ({person}, {slot}) 不存在 / unknown unavailability ({person}, {slot})"
            )
    if instance.max_meetings is not None and instance.max_meetings < 0:
        problems.append(
            f"每人会面上限 {instance.max_meetings} 不能为负"
            f" / the cap {instance.max_meetings} is negative"
        )
    if not problems:
        problems = [
            f"锁定的会面 / locked meeting: {p}"
            for p in _violations(instance, instance.locked, check_locks=False)
        ]
    if problems:
        raise InstanceError(problems)


# --- the prepared problem ---------------------------------------------------------------------


class _Problem:
    """An instance indexed for scheduling: who may meet when, what the locks hold."""

    def __init__(self, instance: Instance) -> None:
        _check_instance(instance)
        self.instance = instance
        self.slots = instance.slots
        self.position = {s: i for i, s in enumerate(instance.slots)}
        # The block of each slot's position: a new one at each break.
        self.block_of: list[int] = []
        for i, s in enumerate(instance.slots):
            self.block_of.append(0 if i == 0 else self.block_of[-1] + (s in instance.breaks))
        self.booths = _booths(instance)
        self.ordinary = tuple(t.id for t in instance.tables if t.fixed_to is None)
        self.ordinary_set = frozenset(self.ordinary)
        self.cap = instance.max_meetings
        self.requests = {r.id: r for r in instance.requests}
        self.requesters = frozenset(p for r in instance.requests for p in (r.a, r.b))
        self.locked = {m.request: m for m in instance.locked}
        # What the locks hold.
        self.busy: set[tuple[int, int]] = set()  # (participant, slot)
        self.load: dict[int, int] = defaultdict(int)
        self.lock_tables: set[tuple[int, int]] = set()  # (table, slot)
        self.room: dict[int, int] = {s: len(self.ordinary) for s in self.slots}
        for m in instance.locked:
            r = self.requests[m.request]
            for person in (r.a, r.b):
                self.busy.add((person, m.slot))
                self.load[person] += 1
            self.lock_tables.add((m.table, m.slot))
            if m.table in self.ordinary_set:
                self.room[m.slot] -= 1
        # The requests left to schedule and the slots open to each.
        self.open: dict[int, tuple[int, ...]] = {}
        if self.cap != 0:
            for r in instance.requests:
                if r.id in self.locked:
                    continue
                self.open[r.id] = tuple(
                    s
                    for s in self.slots
                    if (r.a, s) not in instance.unavailable
                    and (r.b, s) not in instance.unavailable
                    and (r.a, s) not in self.busy
                    and (r.b, s) not in self.busy
                    and (self.is_booth(r) or self.room[s] > 0)
                )
        self.by_person: dict[int, list[int]] = defaultdict(list)
        for rid in self.open:
            r = self.requests[rid]
            self.by_person[r.a].append(rid)
            self.by_person[r.b].append(rid)
        # Previous meetings that can be kept as they were: still accepted, not locked, the
        # slot still open to both, the table still the right kind and not held by a lock.
        self.keepable: dict[int, Meeting] = {}
        held: set[tuple[int, int]] = set()
        table_ids = {t.id for t in instance.tables}
        for m in instance.previous:
            old = self.requests.get(m.request)
            if old is None or m.request in self.locked or m.request in self.keepable:
                continue
            r = old
            if m.slot not in self.open.get(m.request, ()) or m.table not in table_ids:
                continue
            if (m.table, m.slot) in self.lock_tables or (m.table, m.slot) in held:
                continue
            if self.is_booth(r):
                if m.table not in self.booths.get(r.a, ()) + self.booths.get(r.b, ()):
                    continue
            elif m.table not in self.ordinary_set:
                continue
            held.add((m.table, m.slot))
            self.keepable[m.request] = m

    def is_booth(self, r: Request) -> bool:
        return r.a in self.booths or r.b in self.booths

    def schedule(
        self,
        chosen: dict[int, int],
        *,
        method: str,
        started: float,
        bound: int | None = None,
        covered_bound: int | None = None,
        optimal: bool = False,
        status: str = "",
        extra: dict[str, float] | None = None,
    ) -> Schedule:
        """The schedule of the locks plus `chosen` (request → slot), tables assigned."""
        meetings = (*self.instance.locked, *_assign_tables(self, chosen))
        meetings = tuple(sorted(meetings, key=lambda m: (self.position[m.slot], m.table)))
        met: dict[int, list[int]] = defaultdict(list)
        for m in meetings:
            r = self.requests[m.request]
            met[r.a].append(self.position[m.slot])
            met[r.b].append(self.position[m.slot])
        without = tuple(sorted(p for p in self.requesters if p not in met))
        kept = set(meetings)
        moved = sum(
            1 for m in self.instance.previous if m.request in self.requests and m not in kept
        )
        block = self.block_of
        gaps = sum(
            sum(1 for x, y in pairwise(ps) if y > x + 1 and block[x] == block[y])
            for ps in (sorted(v) for v in met.values())
        )
        return Schedule(
            meetings=meetings,
            method=method,
            seconds=time.perf_counter() - started,
            bound=bound,
            without=without,
            moved=moved,
            covered=len(self.requesters) - len(without),
            covered_bound=covered_bound,
            gaps=gaps,
            optimal=optimal,
            status=status,
            extra=extra or {},
        )


def _assign_tables(problem: _Problem, chosen: dict[int, int]) -> list[Meeting]:
    """Tables for the chosen (request → slot); always possible (see the module's docstring)."""
    by_slot: dict[int, list[int]] = defaultdict(list)
    for rid, slot in chosen.items():
        by_slot[slot].append(rid)
    out: list[Meeting] = []
    for slot, rids in by_slot.items():
        taken = {t for t, s in problem.lock_tables if s == slot}
        ordinary: list[int] = []
        for rid in sorted(rids):
            r = problem.requests[rid]
            old = problem.keepable.get(rid)
            if problem.is_booth(r):
                own = problem.booths.get(r.a, ()) + problem.booths.get(r.b, ())
                if old is not None and old.slot == slot:
                    table = old.table
                else:
                    table = next(t for t in own if t not in taken)
                taken.add(table)
                out.append(Meeting(rid, slot, table))
            elif old is not None and old.slot == slot and old.table not in taken:
                taken.add(old.table)
                out.append(Meeting(rid, slot, old.table))
            else:
                ordinary.append(rid)
        free = (t for t in problem.ordinary if t not in taken)
        for rid in ordinary:
            spare = next(free, None)
            if spare is None:  # the model's capacity constraint makes this unreachable
                raise RuntimeError(f"no free table left in slot {slot}")
            out.append(Meeting(rid, slot, spare))
    return out


# --- greedy -----------------------------------------------------------------------------------


class _Greedy:
    """A fast feasible schedule: locks, then `previous` as it was, then fairness, then more,
    then repair and idle gaps (see `greedy`)."""

    def __init__(self, problem: _Problem) -> None:
        self.p = problem
        self.busy = set(problem.busy)
        self.load = defaultdict(int, problem.load)
        self.room = dict(problem.room)
        self.chosen: dict[int, int] = {}
        self.prefer: dict[tuple[int, int], float] = {}
        self.at: dict[tuple[int, int], int] = {}  # (participant, slot) → request met there
        self.covered = {p for r in problem.locked.values() for p in self._pair(r.request)}
        # How many requests still waiting could use each (participant, slot): a slot wanted
        # by fewer of them is the better one to give away.
        self.demand: dict[tuple[int, int], int] = defaultdict(int)
        for rid, slots in problem.open.items():
            r = problem.requests[rid]
            for s in slots:
                self.demand[(r.a, s)] += 1
                self.demand[(r.b, s)] += 1

    def _pair(self, rid: int) -> tuple[int, int]:
        r = self.p.requests[rid]
        return r.a, r.b

    def fits(self, rid: int, slot: int) -> bool:
        a, b = self._pair(rid)
        cap = self.p.cap
        return (
            (a, slot) not in self.busy
            and (b, slot) not in self.busy
            and (self.p.is_booth(self.p.requests[rid]) or self.room[slot] > 0)
            and (cap is None or (self.load[a] < cap and self.load[b] < cap))
        )

    def place(self, rid: int, slot: int) -> None:
        r = self.p.requests[rid]
        self.chosen[rid] = slot
        for person in (r.a, r.b):
            self.busy.add((person, slot))
            self.at[(person, slot)] = rid
            self.load[person] += 1
            self.covered.add(person)
        if not self.p.is_booth(r):
            self.room[slot] -= 1
        for s in self.p.open[rid]:
            self.demand[(r.a, s)] -= 1
            self.demand[(r.b, s)] -= 1

    def unplace(self, rid: int) -> None:
        r = self.p.requests[rid]
        slot = self.chosen.pop(rid)
        for person in (r.a, r.b):
            self.busy.discard((person, slot))
            del self.at[(person, slot)]
            self.load[person] -= 1
        if not self.p.is_booth(r):
            self.room[slot] += 1
        for s in self.p.open[rid]:
            self.demand[(r.a, s)] += 1
            self.demand[(r.b, s)] += 1

    def movable(self, rid: int, slot: int) -> bool:
        """Whether meeting `rid` (now in `slot`) has another slot open to both, with a table."""
        a, b = self._pair(rid)
        booth = self.p.is_booth(self.p.requests[rid])
        return any(
            s != slot
            and (a, s) not in self.busy
            and (b, s) not in self.busy
            and (booth or self.room[s] > 0)
            for s in self.p.open[rid]
        )

    def insert(self, rid: int) -> bool:
        """Schedule `rid` by moving the meetings in its way to other slots, if they can go."""
        a, b = self._pair(rid)
        cap = self.p.cap
        if cap is not None and (self.load[a] >= cap or self.load[b] >= cap):
            return False
        booth = self.p.is_booth(self.p.requests[rid])
        for slot in self.p.open[rid]:
            if (a, slot) in self.p.busy or (b, slot) in self.p.busy:
                continue  # a locked meeting is in the way
            blockers = {self.at[q, slot] for q in (a, b) if (q, slot) in self.at}
            freed = sum(1 for other in blockers if not self.p.is_booth(self.p.requests[other]))
            if not booth and self.room[slot] + freed <= 0:
                continue  # no table would be free
            if not all(self.movable(other, slot) for other in blockers):
                continue
            moved: list[tuple[int, int]] = []
            for other in sorted(blockers):
                self.unplace(other)
                moved.append((other, slot))
                target = next(
                    (s for s in self.p.open[other] if s != slot and self.fits(other, s)), None
                )
                if target is None:
                    break
                self.place(other, target)
            else:
                if self.fits(rid, slot):
                    self.place(rid, slot)
                    return True
            # Undo: put every moved meeting back where it was.
            for other, old in reversed(moved):
                if other in self.chosen:
                    self.unplace(other)
                self.place(other, old)
        return False

    def best_slot(self, rid: int) -> int | None:
        """The open slot the LP likes best, then next to a meeting of either person, then the
        least wanted one."""
        a, b = self._pair(rid)
        best: tuple[float, int, int, int] | None = None
        chosen = None
        slots = self.p.slots
        for s in self.p.open[rid]:
            if not self.fits(rid, s):
                continue
            i = self.p.position[s]
            near = 0
            for j in (i - 1, i + 1):
                if 0 <= j < len(slots):
                    near += ((a, slots[j]) in self.busy) + ((b, slots[j]) in self.busy)
            liked = -self.prefer.get((rid, s), 0.0)
            score = (liked, -near, self.demand[(a, s)] + self.demand[(b, s)], i)
            if best is None or score < best:
                best, chosen = score, s
        return chosen

    def run(self, prefer: dict[tuple[int, int], float] | None = None) -> dict[int, int]:
        """Locks and `previous` first, then fairness, then as many as fit, then repair.

        `prefer` (request, slot) → the LP relaxation's value: its whole meetings go in right
        after `previous`, and the rest follow its liking.
        """
        p = self.p
        self.prefer = prefer or {}
        for rid, m in p.keepable.items():
            if self.fits(rid, m.slot):
                self.place(rid, m.slot)
        for (rid, where), value in self.prefer.items():
            if value > 0.999 and rid not in self.chosen and self.fits(rid, where):
                self.place(rid, where)
        options = {rid: len(slots) for rid, slots in p.open.items()}
        liked = {rid: 0.0 for rid in p.open}
        for (rid, _), value in self.prefer.items():
            liked[rid] = max(liked[rid], value)
        # Fairness first: each participant without a meeting, fewest options first, meets
        # someone else still without one where possible, else the least busy partner.
        waiting = sorted(
            (q for q in p.by_person if q not in self.covered),
            key=lambda q: (len(p.by_person[q]), sum(options[r] for r in p.by_person[q]), q),
        )
        for q in waiting:
            if q in self.covered:
                continue
            candidates = sorted(
                (r for r in p.by_person[q] if r not in self.chosen),
                key=lambda r: (
                    self._other(r, q) in self.covered,
                    self.load[self._other(r, q)],
                    options[r],
                    r,
                ),
            )
            for rid in candidates:
                slot = self.best_slot(rid)
                if slot is not None:
                    self.place(rid, slot)
                    break
        # Then as many as fit: those the LP likes most, then those with the fewest open slots,
        # then those of the people asked least.
        degree = {q: len(rs) for q, rs in p.by_person.items()}
        rest = sorted(
            (r for r in p.open if r not in self.chosen),
            key=lambda r: (-liked[r], options[r], max(degree[x] for x in self._pair(r)), r),
        )
        for rid in rest:
            slot = self.best_slot(rid)
            if slot is not None:
                self.place(rid, slot)
        # Then a few rounds of repair: a request left out goes in where the meetings in its
        # way (one per person) can move to another slot.
        for _ in range(3):
            added = [rid for rid in rest if rid not in self.chosen and self.insert(rid)]
            if not added:
                break
        self.compact()
        return self.chosen

    def runs(self, person: int, leave: int | None = None, enter: int | None = None) -> int:
        """The idle gaps of `person` (runs of their meetings less blocks they meet in), with
        a meeting moved from the slot at position `leave` to the one at `enter`."""
        slots = self.p.slots
        block = self.p.block_of
        busy = [(person, s) in self.busy for s in slots]
        if leave is not None and enter is not None:
            busy[leave], busy[enter] = False, True
        runs = sum(
            1
            for i, b in enumerate(busy)
            if b and (i == 0 or not busy[i - 1] or block[i] != block[i - 1])
        )
        return runs - len({block[i] for i, b in enumerate(busy) if b})

    def compact(self) -> None:
        """Fewer idle gaps: move a meeting to another free slot where that joins up either
        person's day (never a previous meeting kept where it was, nor a locked one)."""
        p = self.p
        for _ in range(3):
            better = False
            for rid, slot in sorted(self.chosen.items()):
                old = p.keepable.get(rid)
                if old is not None and old.slot == slot:
                    continue
                a, b = self._pair(rid)
                here = p.position[slot]
                now = self.runs(a) + self.runs(b)
                best, target = now, None
                booth = p.is_booth(p.requests[rid])
                for s in p.open[rid]:
                    if s == slot or (a, s) in self.busy or (b, s) in self.busy:
                        continue
                    if not booth and self.room[s] <= 0:
                        continue
                    there = p.position[s]
                    after = self.runs(a, here, there) + self.runs(b, here, there)
                    if after < best:
                        best, target = after, s
                if target is not None:
                    self.unplace(rid)
                    self.place(rid, target)
                    better = True
            if not better:
                break

    def _other(self, rid: int, person: int) -> int:
        a, b = self._pair(rid)
        return b if a == person else a


def greedy(instance: Instance) -> Schedule:
    """A feasible schedule at once (a fraction of a second for a day of 2,000 requests).

    Locks; `previous` where it still fits; then everyone with a request and no meeting yet,
    those with the fewest options first, preferably with someone else still without one; then
    as many more as fit, those with the fewest open slots first, each in a slot next to a
    meeting of either person or else the one fewest waiting requests want; then repair (a
    request left out goes in where the meetings in its way can move) and fewer idle gaps.
    """
    started = time.perf_counter()
    problem = _Problem(instance)
    return problem.schedule(_Greedy(problem).run(), method=GREEDY, started=started)


# --- CP-SAT -----------------------------------------------------------------------------------


class _Model:
    """The CP-SAT model: a boolean per (request, open slot); tables assigned afterwards.

    Solved in up to three phases, each keeping what the one before reached, since one
    weighted objective mixing all levels leaves the solver's bound far too loose to prove
    anything: fairness (the most participants with a meeting), then meetings and previous
    meetings kept, w·(X + K) + X with w = the number of requests + 1, so that X + K (meetings
    less moves, give or take a constant) comes first and X breaks its ties; then, with
    ``compact``, the fewest starts of runs of meetings (with the same people met, fewer
    starts are fewer idle gaps).
    """

    def __init__(self, problem: _Problem) -> None:
        self.p = problem
        m = self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        for rid, slots in problem.open.items():
            for s in slots:
                self.x[(rid, s)] = m.new_bool_var(f"x{rid}_{s}")
        self.per_request: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        self.per_person_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        self.per_person: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        self.per_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for (rid, s), var in self.x.items():
            r = problem.requests[rid]
            self.per_request[rid].append(var)
            for person in (r.a, r.b):
                self.per_person_slot[(person, s)].append(var)
                self.per_person[person].append(var)
            if not problem.is_booth(r):
                self.per_slot[s].append(var)
        for vs in self.per_request.values():
            if len(vs) > 1:
                m.add_at_most_one(vs)
        for vs in self.per_person_slot.values():
            if len(vs) > 1:
                m.add_at_most_one(vs)
        for s, vs in self.per_slot.items():
            if len(vs) > problem.room[s]:
                m.add(sum(vs) <= problem.room[s])
        if problem.cap is not None:
            for person, vs in self.per_person.items():
                left = problem.cap - problem.load[person]
                if len(vs) > left:
                    m.add(sum(vs) <= left)
        # Fairness: y[q] only if q has a meeting.
        locked_people = {q for rid in problem.locked for q in self._pair(rid)}
        self.locked_covered = len(locked_people & problem.requesters)
        self.y: dict[int, cp_model.IntVar] = {}
        for person, vs in self.per_person.items():
            if person in locked_people:
                continue
            y = self.y[person] = m.new_bool_var(f"y{person}")
            m.add_bool_or(vs).only_enforce_if(y)
        self.covered = cp_model.LinearExpr.sum(list(self.y.values()))
        # Stability: the previous meetings kept as they were.
        self.kept = [self.x[(rid, old.slot)] for rid, old in problem.keepable.items()]
        self.w_stable = len(problem.open) + 1
        self.meetings = cp_model.LinearExpr.sum(list(self.x.values()))
        self.main = (
            self.w_stable * (self.meetings + cp_model.LinearExpr.sum(self.kept)) + self.meetings
        )
        self.start_of: dict[tuple[int, int], cp_model.IntVar] = {}
        self.busy_of: dict[tuple[int, int], cp_model.IntVar] = {}
        self.met_in: dict[tuple[int, int], cp_model.IntVar] = {}

    def _pair(self, rid: int) -> tuple[int, int]:
        r = self.p.requests[rid]
        return r.a, r.b

    def covered_of(self, chosen: dict[int, int]) -> int:
        met = {q for rid in chosen for q in self._pair(rid)}
        return sum(1 for q in self.y if q in met)

    def main_of(self, chosen: dict[int, int]) -> int:
        kept = sum(1 for rid, old in self.p.keepable.items() if chosen.get(rid) == old.slot)
        return self.w_stable * (len(chosen) + kept) + len(chosen)

    def most_main(self, meetings: int) -> int:
        """The second objective's best, at most, with at most `meetings` meetings."""
        return self.w_stable * (meetings + len(self.kept)) + meetings

    def fairness(self) -> None:
        """The first phase: the most participants with a meeting."""
        self.model.maximize(self.covered)

    def volume(self, covered: int, proven: bool, most: int | None) -> None:
        """The second phase: as fair as `covered` (exactly, if `proven` best), most meetings.

        `most`, an upper bound on the meetings known from elsewhere, is added as a cut.
        """
        if proven:
            self.model.add(self.covered == covered)
        else:
            self.model.add(self.covered >= covered)
        if most is not None:
            self.model.add(self.meetings <= most)
        self.model.maximize(self.main)

    def compact(self, floor: int) -> None:
        """The third phase: at least `floor` of the second objective, the fewest idle gaps.

        A start is a slot where someone has a meeting and had none the slot before in its
        block; a participant's starts less the blocks they meet in are their idle gaps.
        """
        m = self.model
        m.add(self.main >= floor)
        problem = self.p
        for person in self.per_person:
            if len(problem.by_person[person]) + problem.load[person] < 2:
                continue
            before: cp_model.IntVar | bool = False
            seen: dict[int, list[cp_model.IntVar | bool]] = defaultdict(list)
            for i, s in enumerate(problem.slots):
                if i > 0 and problem.block_of[i] != problem.block_of[i - 1]:
                    before = False  # a new block: its first meeting opens a run, no gap
                vs = self.per_person_slot.get((person, s), [])
                now: cp_model.IntVar | bool
                if (person, s) in problem.busy:
                    now = True
                elif len(vs) > 1:  # busy: one of them (they are at most one)
                    now = self.busy_of[(person, s)] = m.new_bool_var(f"b{person}_{i}")
                    m.add(cp_model.LinearExpr.sum(vs) == now)
                else:
                    now = vs[0] if vs else False
                if now is not False and before is not True:
                    # now ∧ ¬before → start, as one clause.
                    start = self.start_of[(person, s)] = m.new_bool_var(f"st{person}_{i}")
                    clause: list[cp_model.LiteralT] = [start]
                    if now is not True:
                        clause.append(~now)
                    if before is not False:
                        clause.append(before)
                    m.add_bool_or(clause)
                before = now
                seen[problem.block_of[i]].append(now)
            # met[block]: the person meets in the block (so one start there is no gap).
            for block, nows in seen.items():
                if any(v is True for v in nows):
                    continue  # a locked meeting: a constant
                literals = [v for v in nows if not isinstance(v, bool)]
                if literals:
                    met = self.met_in[(person, block)] = m.new_bool_var(f"m{person}_{block}")
                    m.add_bool_or(literals).only_enforce_if(met)
        m.minimize(
            cp_model.LinearExpr.sum(list(self.start_of.values()))
            - cp_model.LinearExpr.sum(list(self.met_in.values()))
        )

    def hint(self, chosen: dict[int, int]) -> None:
        """Start from a schedule: every variable hinted, so the hint is a complete solution."""
        self.model.clear_hints()  # type: ignore[no-untyped-call]  # untyped in OR-Tools
        for (rid, s), var in self.x.items():
            self.model.add_hint(var, chosen.get(rid) == s)
        busy = set(self.p.busy)
        for rid, s in chosen.items():
            busy.update((q, s) for q in self._pair(rid))
        for person, y in self.y.items():
            self.model.add_hint(y, any((person, s) in busy for s in self.p.slots))
        for (person, s), var in self.busy_of.items():
            self.model.add_hint(var, (person, s) in busy)
        block = self.p.block_of
        for (person, s), start in self.start_of.items():
            i = self.p.position[s]
            was = i > 0 and block[i] == block[i - 1] and (person, self.p.slots[i - 1]) in busy
            self.model.add_hint(start, (person, s) in busy and not was)
        for (person, b), met in self.met_in.items():
            self.model.add_hint(
                met, any((person, s) in busy for i, s in enumerate(self.p.slots) if block[i] == b)
            )

    def chosen(self, value: Callable[[cp_model.IntVar], int]) -> dict[int, int]:
        return {rid: s for (rid, s), var in self.x.items() if value(var)}

    def relaxation(self, seconds: float) -> tuple[int, dict[tuple[int, int], float]]:
        """The LP relaxation (GLOP): its bound on the meetings beyond the locks, for any
        schedule, and its value of each (request, slot), a guide for a greedy."""
        lp = model_builder.Model()  # type: ignore[no-untyped-call]  # untyped in OR-Tools
        x = {var.index: lp.new_num_var(0.0, 1.0, f"x{rid}_{s}") for (rid, s), var in self.x.items()}
        groups = [*self.per_request.values(), *self.per_person_slot.values()]
        for vs in groups:
            if len(vs) > 1:
                lp.add(model_builder.LinearExpr.sum([x[v.index] for v in vs]) <= 1)
        for s, vs in self.per_slot.items():
            if len(vs) > self.p.room[s]:
                total = model_builder.LinearExpr.sum([x[v.index] for v in vs])
                lp.add(total <= self.p.room[s])
        if self.p.cap is not None:
            for person, vs in self.per_person.items():
                left = self.p.cap - self.p.load[person]
                if len(vs) > left:
                    lp.add(model_builder.LinearExpr.sum([x[v.index] for v in vs]) <= left)
        # The most meetings; among those, the previous slots (a guide for re-runs).
        w_meet = len(self.kept) + 1
        kept = [x[var.index] for var in self.kept]
        lp.maximize(
            w_meet * model_builder.LinearExpr.sum(list(x.values()))
            + model_builder.LinearExpr.sum(kept)
        )
        solver = model_builder.Solver("glop")
        solver.set_time_limit_in_seconds(max(0.1, seconds))
        if solver.solve(lp) != model_builder.SolveStatus.OPTIMAL:
            return len(self.p.open), {}
        # w_meet·X + K ≤ the LP's optimum, with K ≥ 0.
        most = math.floor(float(solver.objective_value) / w_meet + 1e-6)
        values = {key: float(solver.value(x[var.index])) for key, var in self.x.items()}
        return min(len(self.p.open), most), values


class _Progress(cp_model.CpSolverSolutionCallback):
    """Calls `progress` with each better schedule the solver finds."""

    def __init__(
        self,
        model: _Model,
        started: float,
        best: Schedule,
        progress: Callable[[Schedule], None],
    ) -> None:
        super().__init__()
        self.m = model
        self.started = started
        self.best = best
        self.progress = progress
        self.index = [(key, var.index) for key, var in model.x.items()]

    def on_solution_callback(self) -> None:
        solution = self.response_proto.solution
        chosen = {rid: s for (rid, s), i in self.index if solution[i]}
        self.offer(self.m.p.schedule(chosen, method=CP_SAT, started=self.started))

    def offer(self, found: Schedule) -> None:
        """Report `found` if it is better than all reported so far."""
        if found.key() > self.best.key():
            self.best = found
            self.progress(found)


def workers_for(workers: int | None) -> int:
    """Solver workers: as asked, never more than the machine's cores (all of them if None)."""
    cores = os.cpu_count() or 1
    return max(1, min(cores, workers if workers is not None else cores))


def solve(
    instance: Instance,
    *,
    time_limit: float = 10.0,
    workers: int | None = None,
    progress: Callable[[Schedule], None] | None = None,
    compact: bool = True,
) -> Schedule:
    """The greedy schedule at once, then CP-SAT from it within `time_limit` seconds; the better.

    Phases (see `_Model`): fairness, when the greedy leaves someone without a meeting who has
    a slot open with someone (at most a quarter of the time, less once proven); meetings,
    until four fifths of the time (all of it without ``compact``); then idle gaps. Before the
    meetings, the LP relaxation (GLOP) gives a bound on them, and the greedy runs again guided
    by its solution (its whole meetings first, then the others by their LP value), which on a
    big day is far better than either greedy alone. Each phase starts from the best schedule
    so far as a complete hint, so none can end worse than the greedy. The bound on the
    meetings is the smaller of the solver's and the LP relaxation's.

    `progress` is called with the greedy schedule, then with each better schedule the solver
    finds (from the solver's thread), so a page can show the count rising.
    """
    if not time_limit > 0:
        raise ValueError(f"time_limit must be positive, not {time_limit}")
    started = time.perf_counter()
    deadline = started + time_limit
    problem = _Problem(instance)
    best = problem.schedule(_Greedy(problem).run(), method=GREEDY, started=started)
    if progress is not None:
        progress(best)
    model = _Model(problem)
    chosen = {m.request: m.slot for m in best.meetings if m.request not in problem.locked}
    reporter = _Progress(model, started, best, progress) if progress is not None else None
    extra: dict[str, float] = {"greedy_meetings": best.count, "greedy_without": len(best.without)}
    statuses: list[str] = []
    optimal = True

    def phase(share: float) -> tuple[bool, float | None]:
        """Run the solver from the best so far; (proven optimal, the objective's bound).

        First a full search (a fraction of the phase's time): it proves small days optimal at
        once. Where it cannot, the rest of the time goes to large neighbourhood search alone,
        which improves big days much faster on few workers (the bound then comes from the
        full search and, for the meetings, the LP relaxation).
        """
        nonlocal best, chosen
        budget = (deadline - time.perf_counter()) * share
        end = time.perf_counter() + budget
        proven, bound = False, None
        for lns in (False, True):
            seconds = min(budget, max(2.0, budget * 0.15)) if not lns else end - time.perf_counter()
            if lns and seconds < 0.5:
                break
            model.hint(chosen)
            status, solver = _run(model, seconds, workers, reporter, lns=lns)
            statuses.append(solver.status_name(status))
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                continue
            found_chosen = model.chosen(solver.boolean_value)
            found = problem.schedule(found_chosen, method=CP_SAT, started=started)
            if found.key() >= best.key():
                best, chosen = found, found_chosen
            if not lns:
                proven, bound = status == cp_model.OPTIMAL, solver.best_objective_bound
            if proven:
                break
        return proven, bound

    # Fairness.
    most_covered = len(model.y)
    covered = model.covered_of(chosen)
    proven = covered >= most_covered
    if not proven:
        model.fairness()
        proven, bound = phase(0.25)
        if bound is not None:
            most_covered = min(most_covered, math.floor(bound + 1e-6))
        covered = model.covered_of(chosen)
        proven = proven or covered >= most_covered
        optimal = proven
    # Meetings, and the previous ones kept.
    lp_seconds = (deadline - time.perf_counter()) / 2
    most, values = model.relaxation(lp_seconds) if model.x else (0, {})
    extra["lp_bound"] = most + len(problem.locked)
    # The greedy again, guided by the LP: often far better on a big day.
    guided_chosen = _Greedy(problem).run(prefer=values) if values else {}
    guided = problem.schedule(guided_chosen, method=GREEDY, started=started)
    extra["lp_greedy_meetings"] = guided.count
    if guided.key() > best.key():
        best, chosen = guided, guided_chosen
        if reporter is not None:
            reporter.offer(guided)
    model.volume(covered, proven, most)
    if model.main_of(chosen) < model.most_main(most):
        done, bound = phase(0.8 if compact else 1.0)
        optimal = optimal and done
        if bound is not None:
            # B ≥ w·(X + K) + X ≥ (w + 1)·X, with K ≥ 0.
            most = min(most, math.floor(bound + 1e-6) // (model.w_stable + 1))
    # else: as many meetings as the LP allows, every previous one kept: nothing to gain.
    # Idle gaps.
    if compact and model.x and deadline - time.perf_counter() > 0.05:
        model.compact(model.main_of(chosen))
        done, bound = phase(1.0)
        optimal = optimal and done
        if bound is not None:
            extra["starts_bound"] = bound
    elif compact and model.x:
        optimal = False  # no time was left for the idle gaps
    return replace(
        best,
        seconds=time.perf_counter() - started,
        bound=len(problem.locked) + max(most, best.count - len(problem.locked)),
        covered_bound=model.locked_covered + most_covered,
        optimal=optimal,
        status="/".join(statuses),
        extra={**extra, "variables": len(model.x)},
    )


def _run(
    model: _Model,
    seconds: float,
    workers: int | None,
    reporter: _Progress | None,
    *,
    lns: bool = False,
) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = workers_for(workers)
    solver.parameters.log_search_progress = False
    # One presolve round: the full rounds take seconds on a big day and gain nothing here.
    solver.parameters.max_presolve_iterations = 1
    solver.parameters.use_lns_only = lns
    return solver.solve(model.model, reporter), solver
