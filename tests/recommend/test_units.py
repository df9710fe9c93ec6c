"""A run of `factorlink recommend --all`: whole batches committed, resumed where it stopped,
listings still fresh skipped, listings gone pruned."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, event, func, select
from sqlalchemy.exc import OperationalError

from factorlink.db.factor import ListingState
from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.models import PARTY_MODELS
from factorlink.recommend.models import Recommendation, RecommendationRun
from factorlink.recommend.repository import live_sources
from factorlink.recommend.rules import Share
from factorlink.recommend.service import directions
from factorlink.recommend.units import Options, Status, run
from tests.introduction.builders import ADMIN, SERVICES

CAPITAL = PartyKind.capital
PER_LISTING = len(directions(CAPITAL))  # achievement, organization


def _live(database: Database, kind: PartyKind) -> list[int]:
    with database.unit_of_work() as session:
        model = PARTY_MODELS[kind]
        return list(session.scalars(live_sources(kind).with_only_columns(model.id)))


def _stored(database: Database) -> dict[tuple[int, str], Any]:
    with database.unit_of_work() as session:
        return {
            (r.source_id, r.target_kind): r.computed_at
            for r in session.scalars(select(Recommendation))
        }


@pytest.fixture
def fail_third_write(sample: Database) -> Iterator[list[int]]:
    """The database refuses the third batch's rows once (after their listings' old rows were
    deleted in the same transaction), as a full disk or a lost connection would."""
    writes: list[int] = []

    def refuse(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO RECOMMENDATIONS"):
            writes.append(1)
            if len(writes) == 3:
                raise OperationalError(statement, {}, Exception("disk I/O error"))

    event.listen(sample.engine, "before_cursor_execute", refuse)
    yield writes
    event.remove(sample.engine, "before_cursor_execute", refuse)


def test_a_run_stopped_by_a_failing_batch_resumes_after_its_last_commit(
    sample: Database, fail_third_write: list[int]
) -> None:
    listings = _live(sample, CAPITAL)
    seen: list[Status] = []
    with pytest.raises(OperationalError):
        run(sample, Options(kinds=(CAPITAL,), batch=5), seen.append)
    # Two whole batches stand; the third left nothing behind.
    assert [s.done for s in seen] == [5, 10]
    before = _stored(sample)
    assert {source for source, _ in before} == set(listings[:10])
    assert len(before) == 10 * PER_LISTING
    with sample.unit_of_work() as session:
        stopped = session.scalars(select(RecommendationRun)).one()
        assert stopped.finished_at is None and stopped.done == 10
        assert stopped.cursor == {"capital": listings[9]}

    # The fault struck once; the same command again continues after the last commit.
    resumed = run(sample, Options(kinds=(CAPITAL,), batch=5))
    assert resumed.resumed and resumed.finished and resumed.run_id == stopped.id
    assert (resumed.done_at_start, resumed.done, resumed.total) == (
        10,
        len(listings),
        len(listings),
    )
    after = _stored(sample)
    assert len(after) == len(listings) * PER_LISTING
    # The first two batches were not computed again.
    assert all(after[key] == at for key, at in before.items())
    with sample.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(RecommendationRun)) == 1


def test_a_limit_stops_between_batches_and_the_same_command_continues(sample: Database) -> None:
    listings = _live(sample, CAPITAL)
    first = run(sample, Options(kinds=(CAPITAL,), batch=4, limit=6))
    assert not first.finished and first.done == 6
    second = run(sample, Options(kinds=(CAPITAL,), batch=4, limit=6))
    assert second.resumed and second.run_id == first.run_id and second.done == 12
    rest = run(sample, Options(kinds=(CAPITAL,), batch=4))
    assert rest.finished and rest.done == len(listings)
    assert len(_stored(sample)) == len(listings) * PER_LISTING
    # A finished run is not resumed: the next one starts afresh.
    again = run(sample, Options(kinds=(CAPITAL,), batch=50, limit=1))
    assert not again.resumed and again.run_id != first.run_id


def test_restart_abandons_the_unfinished_run(sample: Database) -> None:
    first = run(sample, Options(kinds=(CAPITAL,), limit=3))
    again = run(sample, Options(kinds=(CAPITAL,), limit=3, restart=True))
    assert not again.resumed and again.run_id != first.run_id and again.done == 3
    with sample.unit_of_work() as session:
        old = session.get(RecommendationRun, first.run_id)
        assert old is not None and old.finished_at is not None


def test_fresh_listings_are_skipped_and_changed_ones_computed_again(sample: Database) -> None:
    listings = _live(sample, CAPITAL)
    run(sample, Options(kinds=(CAPITAL,)))
    before = _stored(sample)
    fresh = run(sample, Options(kinds=(CAPITAL,), fresh_for=timedelta(hours=1)))
    assert fresh.skipped == len(listings) and _stored(sample) == before
    changed = listings[3]
    with sample.unit_of_work() as session:
        SERVICES["capital"](session, ADMIN).update(changed, {"name": "长三角硬科技成长基金"})
    again = run(sample, Options(kinds=(CAPITAL,), fresh_for=timedelta(hours=1)))
    assert again.skipped == len(listings) - 1
    after = _stored(sample)
    assert {key for key in after if after[key] != before[key]} == {
        (changed, t.value) for t in directions(CAPITAL)
    }


def test_a_finished_run_drops_listings_no_longer_shown(sample: Database) -> None:
    listings = _live(sample, CAPITAL)
    run(sample, Options(kinds=(CAPITAL,)))
    gone = listings[0]
    with sample.unit_of_work() as session:
        SERVICES["capital"](session, ADMIN).set_state(gone, ListingState.withdrawn)
    run(sample, Options(kinds=(CAPITAL,)))
    assert {source for source, _ in _stored(sample)} == set(listings) - {gone}


def test_shards_split_a_night_and_together_store_what_one_run_does(sample: Database) -> None:
    listings = _live(sample, CAPITAL)
    whole = run(sample, Options(kinds=(CAPITAL,), batch=4))
    expected = set(_stored(sample))
    with sample.unit_of_work() as session:
        session.execute(delete(Recommendation))
    shares = [Share(i, 3) for i in range(3)]
    # Interleaved, as three processes would: each a run of its own, resumed on its own.
    first = [run(sample, Options(kinds=(CAPITAL,), batch=2, limit=2, share=s)) for s in shares]
    assert len({status.run_id for status in first} | {whole.run_id}) == 4
    rest = [run(sample, Options(kinds=(CAPITAL,), batch=2, share=s)) for s in shares]
    assert all(s.finished and s.resumed for s in rest)
    assert [s.run_id for s in rest] == [s.run_id for s in first]
    assert [s.total for s in rest] == [sum(1 for i in listings if i % 3 == n) for n in range(3)]
    assert sum(s.done for s in rest) == len(listings)
    assert set(_stored(sample)) == expected
    with sample.unit_of_work() as session:
        stored = {(r.shard, r.shards) for r in session.scalars(select(RecommendationRun))}
    assert stored == {(0, 1), (0, 3), (1, 3), (2, 3)}


def test_a_share_must_be_one_of_its_shards() -> None:
    with pytest.raises(ValueError, match="need 0 <= shard < shards"):
        Share(3, 3)
