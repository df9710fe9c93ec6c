"""Generated brokerage days: the sizes of issue 16, seeded, skewed, with a fifth unavailable."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import replace

import pytest

from factorlink.event.instances import SHAPES, Shape, generate, late_changes
from factorlink.event.scheduling import greedy, violations


def test_the_two_days_of_the_issue() -> None:
    for name, tables in (("capacity-bound", 60), ("availability-bound", 200)):
        instance = generate(SHAPES[name], seed=0)
        assert len(instance.participants) == 500
        assert len(instance.requests) == 2000
        assert len(instance.slots) == 12
        assert len(instance.tables) == tables
        assert all(t.fixed_to is None for t in instance.tables)


def test_the_same_seed_gives_the_same_day_and_another_seed_another() -> None:
    shape = Shape(participants=60, requests=150, tables=10)
    assert generate(shape, seed=3) == generate(shape, seed=3)
    assert generate(shape, seed=3).requests != generate(shape, seed=4).requests


def test_requests_are_distinct_pairs_of_two_people() -> None:
    instance = generate(SHAPES["capacity-bound"], seed=1)
    pairs = [frozenset((r.a, r.b)) for r in instance.requests]
    assert all(len(p) == 2 for p in pairs)
    assert len(set(pairs)) == len(pairs)
    assert len({r.id for r in instance.requests}) == len(instance.requests)
    people = set(instance.participants)
    assert all(r.a in people and r.b in people for r in instance.requests)


def test_popularity_is_skewed() -> None:
    instance = generate(SHAPES["capacity-bound"], seed=0)
    asked = Counter(r.b for r in instance.requests)
    counts = [asked.get(p, 0) for p in instance.participants]
    # A few are asked by many: the most asked far more than the typical participant.
    assert max(counts) >= 8 * max(1, statistics.median(counts))
    flat = generate(replace(SHAPES["capacity-bound"], zipf=0.0), seed=0)
    flat_asked = Counter(r.b for r in flat.requests)
    assert max(counts) > 2 * max(flat_asked.values())


def test_about_a_fifth_of_the_slots_are_unavailable() -> None:
    instance = generate(SHAPES["availability-bound"], seed=2)
    share = len(instance.unavailable) / (len(instance.participants) * len(instance.slots))
    assert 0.17 < share < 0.23
    none = generate(replace(SHAPES["availability-bound"], unavailable=0.0), seed=2)
    assert none.unavailable == frozenset()


def test_booths_go_to_the_most_asked() -> None:
    shape = Shape(participants=80, requests=300, tables=12, booths=4)
    instance = generate(shape, seed=5)
    owners = [t.fixed_to for t in instance.tables if t.fixed_to is not None]
    assert len(owners) == 4
    asked = Counter(r.b for r in instance.requests)
    typical = statistics.median(asked.get(p, 0) for p in instance.participants)
    assert statistics.mean(asked[p] for p in owners) > typical
    assert violations(instance, greedy(instance)) == []


def test_impossible_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="too many requests"):
        generate(Shape(participants=10, requests=40))
    with pytest.raises(ValueError, match="booths"):
        generate(Shape(participants=10, requests=5, tables=2, booths=3))
    with pytest.raises(ValueError, match="two participants"):
        generate(Shape(participants=1, requests=0))


def test_late_changes_cancel_add_and_carry_the_last_schedule() -> None:
    instance = generate(Shape(participants=100, requests=400, tables=20), seed=0)
    first = greedy(instance)
    later = late_changes(instance, first.meetings, seed=0)
    before = {r.id for r in instance.requests}
    after = {r.id for r in later.requests}
    assert before - after  # some cancelled
    assert after - before  # some added
    assert len(after) == len(later.requests)
    assert later.previous == first.meetings
    assert later.unavailable >= instance.unavailable
    assert violations(later, greedy(later)) == []
