"""Generated scheduling instances shaped like real brokerage days (pure, seeded).

Popularity is skewed as at b2match-style matchmaking days: whom people ask follows a Zipf law
(a few exhibitors and investors are asked by many, most people by few), who asks is spread
evenly. About a fifth of every participant's slots are unavailable: some arrive late or leave
early (a run of slots at the start or the end of the day), the others miss single slots.

`SHAPES` are the two days of issue 16: 500 participants, 2,000 accepted requests, 12 slots,
with 60 tables (bound by the tables: 720 places for 2,000 requests) or 200 tables (bound by
who is available when).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from factorlink.event.scheduling import Instance, Meeting, Request, Table


@dataclass(frozen=True)
class Shape:
    """The size of a generated day."""

    participants: int = 500
    requests: int = 2000
    slots: int = 12
    tables: int = 60
    booths: int = 0  # of the tables, how many are fixed to a participant (an exhibitor's booth)
    unavailable: float = 0.2  # the share of (participant, slot) unavailable
    zipf: float = 0.5  # the exponent of the popularity of whom people ask
    activity: float = 0.4  # the exponent of how many requests people send
    max_meetings: int | None = None


SHAPES: dict[str, Shape] = {
    "capacity-bound": Shape(tables=60),
    "availability-bound": Shape(tables=200),
}


def generate(shape: Shape, seed: int = 0) -> Instance:
    """A brokerage day of `shape`; the same seed gives the same day."""
    if shape.participants < 2 or shape.slots < 1 or shape.tables < 0:
        raise ValueError(f"a day needs two participants and a slot: {shape}")
    if not 0 <= shape.booths <= min(shape.tables, shape.participants):
        raise ValueError(f"booths must be between 0 and the tables and people: {shape}")
    pairs = shape.participants * (shape.participants - 1) // 2
    if shape.requests > pairs // 2:
        raise ValueError(f"too many requests for {shape.participants} participants: {shape}")
    rng = random.Random(seed)
    people = tuple(range(1, shape.participants + 1))
    slots = tuple(range(1, shape.slots + 1))
    # Popularity: a random order of people, the k-th asked with weight 1/k^zipf; activity
    # alike in another order: a few send many requests, most send one or two.
    ranked = list(people)
    rng.shuffle(ranked)
    weights = [1.0 / (k**shape.zipf) for k in range(1, len(ranked) + 1)]
    active = list(people)
    rng.shuffle(active)
    activity = [1.0 / (k**shape.activity) for k in range(1, len(active) + 1)]
    requests: list[Request] = []
    seen: set[frozenset[int]] = set()
    while len(requests) < shape.requests:
        a = rng.choices(active, activity)[0]
        b = rng.choices(ranked, weights)[0]
        pair = frozenset((a, b))
        if a == b or pair in seen:
            continue
        seen.add(pair)
        requests.append(Request(len(requests) + 1, a, b))
    unavailable: set[tuple[int, int]] = set()
    for person in people:
        missed = sum(rng.random() < shape.unavailable for _ in slots)
        if missed == 0:
            continue
        if rng.random() < 0.5:  # arrives late or leaves early
            run = slots[:missed] if rng.random() < 0.5 else slots[-missed:]
        else:
            run = tuple(rng.sample(slots, missed))
        unavailable.update((person, s) for s in run)
    # Booths go to the most asked people (the exhibitors); the other tables are ordinary.
    booth_owners = ranked[: shape.booths]
    tables = tuple(
        Table(i + 1, booth_owners[i] if i < shape.booths else None) for i in range(shape.tables)
    )
    return Instance(
        slots=slots,
        tables=tables,
        participants=people,
        requests=tuple(requests),
        unavailable=frozenset(unavailable),
        max_meetings=shape.max_meetings,
    )


def late_changes(instance: Instance, previous: tuple[Meeting, ...], *, seed: int = 0) -> Instance:
    """The day after late changes: a few requests cancelled, a few added, someone unavailable.

    The previous schedule rides along, so a re-run can be asked to move as few as possible.
    """
    rng = random.Random(seed)
    requests = list(instance.requests)
    cancelled = set(rng.sample([r.id for r in requests], max(1, len(requests) // 50)))
    requests = [r for r in requests if r.id not in cancelled]
    people = instance.participants
    pairs = {frozenset((r.a, r.b)) for r in requests}
    next_id = max((r.id for r in instance.requests), default=0) + 1
    for _ in range(max(1, len(requests) // 50)):
        a, b = rng.sample(people, 2)
        if frozenset((a, b)) not in pairs:
            pairs.add(frozenset((a, b)))
            requests.append(Request(next_id, a, b))
            next_id += 1
    away = rng.choice(people)
    unavailable = set(instance.unavailable) | {(away, rng.choice(instance.slots))}
    return replace(
        instance,
        requests=tuple(requests),
        unavailable=frozenset(unavailable),
        previous=previous,
    )
