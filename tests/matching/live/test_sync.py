"""The sync worker: the change log into Milvus (a real Lite file), resumable, idempotent,
checked against the database; killed with SIGKILL in the middle of an import and restarted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.imports.kinds import ImportKind
from factorlink.imports.readers import read_table
from factorlink.imports.service import ImportService
from factorlink.introduction.models import PartyKind
from factorlink.matching.live.indexes import digest, factor_documents, indexes_for
from factorlink.matching.live.milvus import MilvusIndex
from factorlink.matching.live.remote import RemoteRegistry
from factorlink.matching.live.sync import SearchSync, target_of
from factorlink.matching.live.warmup import warm
from factorlink.matching.models import MatchChange, SearchWatermark
from factorlink.matching.retrieval.engine import Method
from factorlink.sample.loader import achievements_csv
from tests.introduction.builders import add_listing

ADMIN = Viewer(user_id=0, role=Role.admin)
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def milvus_settings(settings: Settings, tmp_path: Path) -> Settings:
    """The test's settings with a Milvus Lite file of its own."""
    return settings.model_copy(
        update={"search_url": str(tmp_path / "sync.db"), "search_sync": "off"}
    )


@pytest.fixture
def milvus_db(milvus_settings: Settings, database: Database) -> Iterator[Database]:
    """Another handle on the test's database (emptied afterwards by `database`)."""
    handle = Database(milvus_settings)
    yield handle
    handle.dispose()


@pytest.fixture
def worker(milvus_db: Database) -> Iterator[SearchSync]:
    sync = SearchSync(milvus_db, None)
    yield sync
    sync.close()


def _held(sync: SearchSync, kind: PartyKind) -> dict[int, int]:
    return {i: d for i, d, _ in sync.indexes[kind].entries()}


def _in_db(database: Database, kind: PartyKind) -> dict[int, int]:
    with database.unit_of_work() as session:
        return {int(o.id): digest(f) for o, f in factor_documents(session, kind)}


def test_sync_follows_writes_updates_and_deletes(milvus_db: Database, worker: SearchSync) -> None:
    first = add_listing(milvus_db, "achievement")
    second = add_listing(milvus_db, "achievement", title="锂电池正极材料", keywords="正极")
    assert worker.step() > 0 and worker.step() == 0
    kind = PartyKind.achievement
    assert _held(worker, kind) == _in_db(milvus_db, kind)
    assert worker.stored_watermark() == worker.watermark
    found = worker.indexes[kind].search("石墨烯散热膜", 5, Method.bm25)
    assert found[0].id == first
    from factorlink.achievement.models import Achievement

    with milvus_db.unit_of_work() as session:
        row = session.get(Achievement, second)
        assert row is not None
        row.title = "钠离子电池负极材料"
    worker.step()
    assert _held(worker, kind) == _in_db(milvus_db, kind)
    assert worker.indexes[kind].search("钠离子", 1, Method.bm25)[0].id == second
    with milvus_db.unit_of_work() as session:
        session.delete(session.get(Achievement, first))
    worker.step()
    assert set(_held(worker, kind)) == {second}


def test_a_new_worker_resumes_from_the_stored_watermark(milvus_db: Database) -> None:
    add_listing(milvus_db, "achievement")
    add_listing(milvus_db, "expert")
    one = SearchSync(milvus_db, None)
    one.catch_up()
    assert one.upserted == 2
    one.close()
    add_listing(milvus_db, "achievement", title="工业机器人视觉检测")
    two = SearchSync(milvus_db, None)
    try:
        two.catch_up()
        # Only the new write: what the first worker confirmed is neither read nor indexed again.
        assert two.upserted == 1
        assert two.check(PartyKind.achievement, repair=False).indexed == 2
    finally:
        two.close()


def test_a_schema_change_rebuilds_from_the_database_and_drops_the_old_collections(
    milvus_db: Database, worker: SearchSync
) -> None:
    """Collections of an older schema (no version in their names, a watermark of their own)
    followed the log, which no longer reaches back to every factor: the new version's worker
    reloads every kind from the database and drops what the older version left."""
    first = add_listing(milvus_db, "achievement")
    second = add_listing(milvus_db, "expert")
    old = MilvusIndex(worker.client, "factorlink_achievement_words", None)
    old.upsert(first, [("旧的文本", 1)], None)
    base = target_of(milvus_db, None).rsplit("#", 1)[0]
    with milvus_db.unit_of_work() as session:
        top = int(session.scalar(select(func.max(MatchChange.seq))) or 0)
        session.add(SearchWatermark(target=base, watermark=top))
        session.execute(delete(MatchChange))  # the log was pruned since
    worker.catch_up()
    assert _held(worker, PartyKind.achievement) == _in_db(milvus_db, PartyKind.achievement)
    assert set(_held(worker, PartyKind.expert)) == {second}
    assert not old.exists()
    with milvus_db.unit_of_work() as session:
        targets = set(session.scalars(select(SearchWatermark.target)))
    assert targets == {target_of(milvus_db, None)}
    worker.watermark = None  # a restart resumes from the new watermark, with no rebuild
    worker.upserted = 0
    worker.catch_up()
    assert worker.upserted == 0


def test_replaying_the_log_indexes_nothing_twice(milvus_db: Database, worker: SearchSync) -> None:
    add_listing(milvus_db, "achievement")
    worker.catch_up()
    with milvus_db.unit_of_work() as session:
        session.execute(delete(SearchWatermark))
    again = SearchSync(milvus_db, None, client=worker.client)
    again.catch_up()
    assert again.upserted == 0 and again.stored_watermark() == worker.watermark


def test_check_finds_and_repairs_missing_extra_and_stale(
    milvus_db: Database, worker: SearchSync
) -> None:
    kind = PartyKind.achievement
    kept = add_listing(milvus_db, "achievement")
    lost = add_listing(milvus_db, "achievement", title="锂电池正极材料")
    worker.catch_up()
    index = worker.indexes[kind]
    index.remove([lost])
    index.upsert(kept, [("过期的文本", 1)], None)
    index.upsert(999, [("数据库里没有", 1)], None)
    report = worker.check(kind, repair=False)
    assert (report.missing, report.extra, report.stale, report.duplicates) == (1, 1, 1, 0)
    worker.check(kind, repair=True)
    assert _held(worker, kind) == _in_db(milvus_db, kind)
    assert worker.check(kind, repair=False).missing == 0


def test_rebuild_reloads_from_the_database(milvus_db: Database, worker: SearchSync) -> None:
    add_listing(milvus_db, "carrier")
    add_listing(milvus_db, "capital")
    sizes = worker.rebuild()
    assert sizes[PartyKind.carrier] == 1 and sizes[PartyKind.capital] == 1
    with milvus_db.unit_of_work() as session:
        top = session.scalar(select(func.max(MatchChange.seq)))
    assert worker.stored_watermark() == top
    before = worker.upserted
    worker.catch_up()
    assert worker.upserted == before  # what the rebuild read is not indexed again


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTORLINK_")}
    env.update(
        {
            "FACTORLINK_DATA_DIR": str(settings.data_dir),
            "FACTORLINK_MATCHING_ENCODER": "none",
            "FACTORLINK_SEARCH_URL": settings.search_url,
            "FACTORLINK_SEARCH_SYNC_BATCH": "50",
            "FACTORLINK_SEARCH_SYNC_INTERVAL": "0.2",
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    if settings.database_url:
        env["FACTORLINK_DATABASE_URL"] = settings.database_url
    return env


def test_sync_killed_mid_import_resumes_to_the_database_s_state(
    milvus_db: Database, milvus_settings: Settings
) -> None:
    """kill -9 of `factorlink search sync` while it applies an import, then a restart: the
    collection ends identical to the database (ids and text fingerprints), one row per id.
    600 rows here; scripts/bench_search_sync.py runs the same at 10,000."""
    rows = 600
    with milvus_db.unit_of_work() as session:
        ImportService(session, ADMIN).run(
            ImportKind.achievement, read_table("a.csv", achievements_csv(rows)), source="test"
        )
    command = [str(Path(sys.executable).parent / "factorlink"), "search", "sync"]
    env = _env(milvus_settings)
    worker = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # The watermark's row (no client here: the worker's process holds the Lite file).
    target = target_of(milvus_db, None)
    try:
        deadline = time.monotonic() + 120
        seen = 0
        while time.monotonic() < deadline and seen == 0 and worker.poll() is None:
            time.sleep(0.05)
            with milvus_db.unit_of_work() as session:
                row = session.get(SearchWatermark, target)
                seen = int(row.watermark) if row is not None else 0
        assert worker.poll() is None, worker.stderr.read() if worker.stderr else ""
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        for stream in (worker.stdout, worker.stderr):
            if stream is not None:
                stream.close()
    with milvus_db.unit_of_work() as session:
        top = int(session.scalar(select(func.max(MatchChange.seq))) or 0)
        stored = session.get(SearchWatermark, target)
        assert stored is not None and 0 < stored.watermark < top  # killed in the middle
    again = subprocess.run(
        [*command, "--once"], env=env, capture_output=True, text=True, timeout=300, check=True
    )
    upserted = int(again.stdout.split("upserted ")[1].split(",")[0])
    assert 0 < upserted < rows  # resumed: what the killed worker confirmed is not redone
    check = subprocess.run(
        [command[0], "search", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    final = SearchSync(milvus_db, None)
    try:
        ids = [i for i, _, _ in final.indexes[PartyKind.achievement].entries()]
        assert len(ids) == len(set(ids)) == rows
        assert _held(final, PartyKind.achievement) == _in_db(milvus_db, PartyKind.achievement)
    finally:
        final.close()


def test_the_server_s_thread_follows_the_log(milvus_settings: Settings, database: Database) -> None:
    """`FACTORLINK_SEARCH_SYNC=background`: the server's warm-up starts the sync worker in a
    thread, and a write shows in the next searches without anyone syncing by hand."""
    settings = milvus_settings.model_copy(
        update={"search_sync": "background", "search_sync_interval": 0.1}
    )
    handle = Database(settings)
    try:
        warm(handle)
        remote = indexes_for(handle)
        assert isinstance(remote, RemoteRegistry) and remote._thread is not None
        new = add_listing(handle, "achievement")
        deadline = time.monotonic() + 60
        found: list[int] = []
        while time.monotonic() < deadline and new not in found:
            found = [h.id for h in remote.search(PartyKind.achievement, "石墨烯散热膜", 5)]
            time.sleep(0.1)
        assert new in found
        assert remote.waiting(PartyKind.achievement) == 0  # no encoder: nothing waits
    finally:
        handle.dispose()
