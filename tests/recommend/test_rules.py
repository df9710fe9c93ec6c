"""When a stored recommendation stands in for a search, and a run's pace."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from factorlink.recommend.rules import (
    Stamp,
    Wanted,
    duration_text,
    fingerprint,
    pace,
    still_fresh,
    usable,
)

NOW = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)
STAMP = Stamp(NOW - timedelta(hours=5), k=10, depth=100, method="hybrid", encoder="e5")
WANTED = Wanted(limit=10, depth=100, method="hybrid", encoder="e5", max_age=timedelta(hours=30))


def test_a_young_recommendation_of_the_same_kind_answers() -> None:
    assert usable(STAMP, WANTED, NOW)
    assert usable(STAMP, replace(WANTED, limit=3), NOW)


@pytest.mark.parametrize(
    "wanted",
    [
        replace(WANTED, max_age=timedelta(hours=5)),  # exactly as old as allowed
        replace(WANTED, max_age=timedelta(0)),  # the store switched off
        replace(WANTED, limit=11, depth=110),
        replace(WANTED, depth=200),
        replace(WANTED, method="bm25"),
        replace(WANTED, encoder="none"),
    ],
)
def test_otherwise_it_is_searched(wanted: Wanted) -> None:
    assert not usable(STAMP, wanted, NOW)


def test_a_recommendation_from_the_future_is_not_trusted() -> None:
    assert not usable(replace(STAMP, computed_at=NOW + timedelta(minutes=5)), WANTED, NOW)


def test_still_fresh_for_a_run() -> None:
    assert still_fresh(STAMP, NOW, timedelta(hours=6))
    assert not still_fresh(STAMP, NOW, timedelta(hours=5))


def test_a_fingerprint_changes_with_any_part() -> None:
    base = fingerprint(["石墨烯散热膜", "Profile(kind='achievement')", "3"])
    assert base == fingerprint(["石墨烯散热膜", "Profile(kind='achievement')", "3"])
    assert -(2**63) <= base < 2**63
    assert base != fingerprint(["石墨烯散热膜", "Profile(kind='achievement')", "4"])
    assert base != fingerprint(["石墨烯散热", "膜Profile(kind='achievement')", "3"])


def test_pace_counts_this_invocation_only() -> None:
    got = pace(done=300, total=1000, done_at_start=100, elapsed=10.0)
    assert (got.rate, got.eta_seconds) == (20.0, 35.0)
    assert pace(5, 3, 5, 0.0).total == 5 and pace(5, 3, 5, 0.0).eta_seconds is None


def test_durations_read_as_people_say_them() -> None:
    assert [duration_text(s) for s in (None, 45.4, 723, 11_100)] == [
        "—",
        "45秒",
        "12分03秒",
        "3时05分",
    ]
