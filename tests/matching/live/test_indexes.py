"""The live match indexes on a real database: changes show without a rebuild, snapshots persist,
and after a crash of any kind the index answers for what the database holds."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import Table, delete, func, select

from factorlink.achievement.models import Achievement
from factorlink.achievement.service import AchievementService
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.demand.service import DemandService
from factorlink.imports.kinds import ImportKind
from factorlink.introduction.models import PartyKind
from factorlink.lead.models import LeadStatus
from factorlink.lead.service import LeadService
from factorlink.matching.live.indexes import IndexRegistry, registry_for
from factorlink.matching.models import MatchChange
from factorlink.organization.service import OrganizationService
from tests.imports.builders import achievement, run_import, write_csv
from tests.introduction.builders import ADMIN, EXAMPLES, add_lead, add_listing
from tests.matching.conftest import OpenDatabase

ACH = PartyKind.achievement
# Two texts that share no character, so a query of one cannot find the other.
GRAPHENE: dict[str, Any] = {
    "title": "高导热石墨烯复合散热膜",
    "abstract": "化学气相沉积与热压复合工艺,面内导热系数1500。",
    "keywords": "石墨烯、散热膜",
    "industry": "新材料",
}
PEROVSKITE: dict[str, Any] = {
    "title": "钙钛矿叠层光伏电池",
    "abstract": "提升光电转换效率,完成组件验证。",
    "keywords": "钙钛矿、光伏",
    "industry": "新能源",
}


def found(registry: IndexRegistry, query: str, kind: PartyKind = ACH) -> set[int]:
    """Every factor of a kind the registry finds for a query, on the current data."""
    return {hit.id for hit in registry.search(kind, query, 50)}


def generation(settings: Settings, kind: PartyKind = ACH) -> str:
    """The name of a kind's live snapshot folder."""
    return (settings.index_dir / kind.value / "CURRENT").read_text(encoding="utf-8").strip()


def change_count(database: Database) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(MatchChange)) or 0)


def achievement_ids(database: Database) -> set[int]:
    with database.unit_of_work() as session:
        return set(session.scalars(select(Achievement.id)))


def update(database: Database, factor_id: int, **cells: Any) -> None:
    with database.unit_of_work() as session:
        AchievementService(session, ADMIN).update(factor_id, cells)


def remove(database: Database, factor_id: int) -> None:
    with database.unit_of_work() as session:
        AchievementService(session, ADMIN).delete(factor_id)


# -- changes through the services ---------------------------------------------------------------
def test_an_added_listing_shows_in_the_next_search_without_a_rebuild(
    database: Database, registry: IndexRegistry, settings: Settings
) -> None:
    first = add_listing(database, "achievement", **GRAPHENE)
    assert found(registry, "石墨烯散热") == {first}
    built = generation(settings)

    second = add_listing(database, "achievement", **{**GRAPHENE, "title": "石墨烯导热垫片"})
    assert found(registry, "石墨烯散热") == {first, second}
    assert found(registry, "导热垫片") >= {second}
    # It came from the change log into the live delta: no snapshot was written.
    assert generation(settings) == built
    # (PostgreSQL re-reads a window of the log, so the first may be re-applied too.)
    assert registry.get(ACH).text.lexical.delta_size >= 1


def test_a_changed_text_moves_the_listing(database: Database, registry: IndexRegistry) -> None:
    factor_id = add_listing(database, "achievement", **GRAPHENE)
    other = add_listing(database, "achievement", **{**GRAPHENE, "title": "石墨烯导电油墨"})
    assert found(registry, "散热膜") == {factor_id, other}

    update(database, factor_id, **PEROVSKITE)
    assert found(registry, "石墨烯散热膜") == {other}
    assert found(registry, "钙钛矿光伏") == {factor_id}


def test_a_deleted_listing_is_gone(database: Database, registry: IndexRegistry) -> None:
    kept = add_listing(database, "achievement", **GRAPHENE)
    gone = add_listing(database, "achievement", **{**GRAPHENE, "title": "石墨烯柔性电极"})
    assert found(registry, "石墨烯") == {kept, gone}
    remove(database, gone)
    assert found(registry, "石墨烯") == {kept}
    assert found(registry, "柔性电极") == set()


def test_an_import_of_several_rows_shows(
    database: Database, registry: IndexRegistry, tmp_path: Path
) -> None:
    assert found(registry, "石墨烯") == set()
    rows = [achievement(f"IMP-{n}") for n in range(1, 6)]
    report = run_import(database, ImportKind.achievement, write_csv(tmp_path / "成果.csv", rows))
    assert report.counts()["created"] == 5
    assert found(registry, "石墨烯散热膜") == achievement_ids(database)
    assert len(achievement_ids(database)) == 5


def test_a_rolled_back_write_leaves_no_trace(database: Database, registry: IndexRegistry) -> None:
    kept = add_listing(database, "achievement", **GRAPHENE)
    assert found(registry, "钙钛矿") == set()
    logged = change_count(database)

    with pytest.raises(RuntimeError), database.unit_of_work() as session:
        created = AchievementService(session, ADMIN).create(
            {**EXAMPLES["achievement"], **PEROVSKITE}
        )
        # Inside the transaction the write is logged, in the writer's own transaction...
        in_tx = session.scalars(
            select(MatchChange.factor_id).where(MatchChange.kind == "achievement")
        )
        assert created.id in set(in_tx)
        raise RuntimeError("the request fails after the flush")

    # ...so the rollback takes the log row with it, and the index never sees the listing.
    assert change_count(database) == logged
    assert found(registry, "钙钛矿光伏") == set()
    assert found(registry, "石墨烯") == {kept}
    assert registry.get(ACH).text.lexical.live_ids() == {kept}


# -- snapshots and other processes --------------------------------------------------------------
def test_a_new_registry_opens_from_the_snapshot_and_replays_later_changes(
    database: Database, registry: IndexRegistry, settings: Settings, other_database: OpenDatabase
) -> None:
    kept = add_listing(database, "achievement", **GRAPHENE)
    changed = add_listing(database, "achievement", **{**GRAPHENE, "title": "石墨烯柔性电极"})
    gone = add_listing(database, "achievement", **{**GRAPHENE, "title": "石墨烯导热垫片"})
    registry.rebuild(ACH)
    live = generation(settings)
    folder = settings.index_dir / "achievement" / live
    assert {"manifest.json", "ids.npy", "lengths.npy", "digests.npy", "bm25"} <= {
        p.name for p in folder.iterdir()
    }
    watermark = json.loads((folder / "manifest.json").read_text("utf-8"))["watermark"]
    assert watermark == top_seq(database)

    added = add_listing(database, "achievement", **PEROVSKITE)
    update(database, changed, title="柔性电极", keywords="柔性、电极", abstract="可拉伸导电薄膜。")
    remove(database, gone)

    fresh = registry_for(other_database())
    assert found(fresh, "石墨烯") == {kept}
    assert found(fresh, "钙钛矿光伏") == {added}
    assert found(fresh, "柔性") == {changed}
    # Read from the snapshot, not rebuilt: the generation is the same, the later writes replayed.
    assert generation(settings) == live
    assert fresh.get(ACH).watermark == top_seq(database)


def test_a_write_by_another_process_shows_in_the_next_search(
    database: Database, registry: IndexRegistry, other_database: OpenDatabase
) -> None:
    mine = add_listing(database, "achievement", **GRAPHENE)
    assert found(registry, "石墨烯") == {mine}
    elsewhere = other_database()

    theirs = add_listing(elsewhere, "achievement", **{**GRAPHENE, "title": "石墨烯柔性电极"})
    assert found(registry, "石墨烯") == {mine, theirs}
    update(elsewhere, mine, **PEROVSKITE)
    remove(elsewhere, theirs)
    assert found(registry, "石墨烯") == set()
    assert found(registry, "钙钛矿光伏") == {mine}


def top_seq(database: Database) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.max(MatchChange.seq))) or 0)


# -- crashes ------------------------------------------------------------------------------------
def _damage(folder: Path, how: str) -> None:
    if how == "no manifest":
        (folder / "manifest.json").unlink()
    elif how == "no bm25":
        shutil.rmtree(folder / "bm25")
    elif how == "no ids":
        (folder / "ids.npy").unlink()
    elif how == "truncated ids":
        data = (folder / "ids.npy").read_bytes()
        (folder / "ids.npy").write_bytes(data[: len(data) // 2])
    elif how == "bm25 half written":
        for path in sorted((folder / "bm25").iterdir())[1:]:
            path.unlink()
    elif how == "no folder":
        shutil.rmtree(folder)


@pytest.mark.parametrize(
    "how",
    ["no manifest", "no bm25", "no ids", "truncated ids", "bm25 half written", "no folder"],
)
def test_a_half_written_current_generation_is_rebuilt(
    database: Database,
    registry: IndexRegistry,
    settings: Settings,
    other_database: OpenDatabase,
    how: str,
) -> None:
    kept = add_listing(database, "achievement", **GRAPHENE)
    registry.rebuild(ACH)
    kind_dir = settings.index_dir / "achievement"
    # A later generation published before its files were all on disk.
    broken = kind_dir / "gen-000002"
    shutil.copytree(kind_dir / generation(settings), broken)
    (kind_dir / "CURRENT").write_text(broken.name, encoding="utf-8")
    _damage(broken, how)
    added = add_listing(database, "achievement", **PEROVSKITE)

    fresh = registry_for(other_database())
    assert found(fresh, "石墨烯") == {kept}
    assert found(fresh, "钙钛矿") == {added}
    # Rebuilt from the database into a new, complete generation; the broken one is gone.
    assert generation(settings) == "gen-000003"
    assert sorted(p.name for p in kind_dir.iterdir()) == ["CURRENT", "LOCK", "gen-000003"]
    again = registry_for(other_database())
    assert found(again, "石墨烯") == {kept}
    assert generation(settings) == "gen-000003"


def test_leftovers_of_an_interrupted_save_are_ignored_then_cleaned(
    database: Database, registry: IndexRegistry, settings: Settings, other_database: OpenDatabase
) -> None:
    kept = add_listing(database, "achievement", **GRAPHENE)
    registry.rebuild(ACH)
    live = generation(settings)
    kind_dir = settings.index_dir / "achievement"
    (kind_dir / "CURRENT.tmp").write_text("gen-0000", encoding="utf-8")
    stray = kind_dir / "gen-000009"
    stray.mkdir()
    (stray / "ids.npy").write_bytes(b"\x93NUMPY")
    added = add_listing(database, "achievement", **PEROVSKITE)

    fresh = registry_for(other_database())
    assert found(fresh, "石墨烯") == {kept}
    assert found(fresh, "钙钛矿") == {added}
    assert generation(settings) == live

    fresh.save(ACH)
    assert generation(settings) != live
    assert sorted(p.name for p in kind_dir.iterdir()) == ["CURRENT", "LOCK", generation(settings)]
    assert found(registry_for(other_database()), "钙钛矿") == {added}


@pytest.mark.parametrize("kept_rows", [1, 0])
def test_a_log_compacted_past_the_snapshot_forces_a_rebuild(
    database: Database,
    registry: IndexRegistry,
    settings: Settings,
    other_database: OpenDatabase,
    kept_rows: int,
) -> None:
    changed = add_listing(database, "achievement", **GRAPHENE)
    registry.rebuild(ACH)
    live = generation(settings)
    update(database, changed, **PEROVSKITE)
    added = add_listing(database, "achievement", **{**GRAPHENE, "title": "石墨烯柔性电极"})
    with database.unit_of_work() as session:
        # Compaction kept only the newest row, or none: the change of `changed` is lost to replay.
        newest = top_seq(database) if kept_rows else top_seq(database) + 1
        session.execute(delete(MatchChange).where(MatchChange.seq < newest))
        assert session.scalar(select(func.count()).select_from(MatchChange)) == kept_rows

    fresh = registry_for(other_database())
    assert found(fresh, "钙钛矿光伏") == {changed}
    assert found(fresh, "石墨烯") == {added}
    assert generation(settings) != live


def _behind_the_back(database: Database, stale: int, dropped: int) -> None:
    """Changes rows with Core statements, as a hand-run SQL fix would: no flush, no log row."""
    table = cast(Table, Achievement.__table__)
    logged = change_count(database)
    with database.unit_of_work() as session:
        session.execute(
            table.update()
            .where(table.c.id == stale)
            .values(title="氢能储运装备", abstract="高压气态储运。", keywords=["储运"])
        )
        session.execute(table.delete().where(table.c.id == dropped))
    assert change_count(database) == logged


def test_opening_repairs_ids_changed_behind_the_index(
    database: Database,
    registry: IndexRegistry,
    other_database: OpenDatabase,
    caplog: pytest.LogCaptureFixture,
) -> None:
    kept = add_listing(database, "achievement", **GRAPHENE)
    dropped = add_listing(database, "achievement", **{**GRAPHENE, "title": "石墨烯导热垫片"})
    registry.rebuild(ACH)
    unlogged = add_listing(database, "achievement", **PEROVSKITE)
    with database.unit_of_work() as session:
        session.execute(delete(MatchChange).where(MatchChange.factor_id == unlogged))
    _behind_the_back(database, kept, dropped)

    with caplog.at_level(logging.WARNING, logger="factorlink.matching.live.indexes"):
        fresh = registry_for(other_database())
        assert found(fresh, "垫片") == set()
        assert found(fresh, "钙钛矿光伏") == {unlogged}
    assert fresh.get(ACH).text.lexical.live_ids() == achievement_ids(database)
    # The listing whose log row was deleted could only be found by comparing ids.
    assert "disagreed with the database (missing 1," in caplog.text
    report = fresh.check(fresh.get(ACH), content=True)
    assert (report.indexed, report.missing, report.extra) == (2, 0, 0)
    assert found(fresh, "储运") == {kept}
    assert found(fresh, "石墨烯") == set()


def test_a_content_check_repairs_stale_text(
    database: Database, registry: IndexRegistry, other_database: OpenDatabase
) -> None:
    stale = add_listing(database, "achievement", **GRAPHENE)
    dropped = add_listing(database, "achievement", **{**GRAPHENE, "title": "石墨烯导热垫片"})
    added = add_listing(database, "achievement", **PEROVSKITE)
    assert found(registry, "石墨烯") == {stale, dropped}
    _behind_the_back(database, stale, dropped)
    # The index cannot see those: it still answers with the old text.
    assert found(registry, "石墨烯散热膜") == {stale, dropped}
    assert found(registry, "储运") == set()

    report = registry.check(registry.get(ACH), content=True)
    assert (report.indexed, report.missing, report.extra, report.stale) == (3, 0, 1, 1)
    assert found(registry, "石墨烯") == set()
    assert found(registry, "储运") == {stale}
    assert found(registry, "钙钛矿") == {added}
    again = registry.check(registry.get(ACH), content=True)
    assert (again.indexed, again.missing, again.extra, again.stale) == (2, 0, 0, 0)
    # The repair was saved: the next process does not load the stale text again.
    fresh = registry_for(other_database())
    assert found(fresh, "储运") == {stale}
    assert found(fresh, "石墨烯") == set()


def test_a_commit_that_lands_behind_the_watermark_is_still_replayed(
    database: Database, registry: IndexRegistry, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite serialises writers: log rows always commit in sequence order")
    assert found(registry, "石墨烯") == set()
    with database.unit_of_work() as slow:
        # Each writer's own organisation and code, so neither waits on the other's new rows.
        cells = {
            **EXAMPLES["achievement"],
            **GRAPHENE,
            "code": "ACH-SLOW",
            "organization": "甲大学",
        }
        early = AchievementService(slow, ADMIN).create(cells).id
        # The slow writer holds the lower sequence number; a quicker one commits first.
        late = add_listing(
            database, "achievement", **PEROVSKITE, code="ACH-QUICK", organization="乙大学"
        )
        assert found(registry, "钙钛矿") == {late}
        assert found(registry, "石墨烯") == set()
        assert registry.get(ACH).watermark == top_seq(database) > 0
    assert found(registry, "石墨烯") == {early}
    assert found(registry, "钙钛矿") == {late}


# -- a real kill -9 -----------------------------------------------------------------------------
ROOT = Path(__file__).resolve().parents[3]
SEEDED = 150


def _writer(settings: Settings, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "FACTORLINK_DATA_DIR": str(settings.data_dir),
        "FACTORLINK_MATCHING_ENCODER": "none",
    }
    env.pop("FACTORLINK_DATABASE_URL", None)
    if settings.database_url:
        env["FACTORLINK_DATABASE_URL"] = settings.database_url
    return subprocess.Popen(
        [sys.executable, "-m", "tests.matching.live.snapshot_writer", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(process: subprocess.Popen[str], line: str) -> None:
    assert process.stdout is not None
    for got in process.stdout:
        if got.strip() == line:
            return
    process.wait(timeout=30)
    raise AssertionError(
        f"writer ended before {line!r}: {process.stderr.read() if process.stderr else ''}"
    )


def _seed(database: Database) -> None:
    with database.unit_of_work() as session:
        service = AchievementService(session, ADMIN)
        for n in range(SEEDED):
            service.create({**EXAMPLES["achievement"], "title": f"石墨烯散热膜样品{n}"})


# Each round starts a writer on the index left by the previous one and kills it: twice at a set
# point of a snapshot (it kills itself), then from outside, a moment after its n-th snapshot.
ROUNDS = [
    ("--die-at", "array"),
    ("--die-at", "publish"),
    ("saved 1", "0.0"),
    ("saved 2", "0.03"),
    ("saved 3", "0.07"),
]


def _leftovers(settings: Settings) -> set[str]:
    """What an interrupted save leaves beside the live generation."""
    folder = settings.index_dir / "achievement"
    return {p.name for p in folder.iterdir()} - {"CURRENT", "LOCK", generation(settings)}


def test_after_a_kill_9_while_saving_the_index_answers_for_the_database(
    database: Database, settings: Settings, other_database: OpenDatabase
) -> None:
    _seed(database)
    for first, second in ROUNDS:
        if first == "--die-at":
            process = _writer(settings, first, second)
            _wait_for(process, "ready")
        else:
            process = _writer(settings)
            _wait_for(process, first)
            time.sleep(float(second))
            process.send_signal(signal.SIGKILL)
        try:
            assert process.wait(timeout=60) == -signal.SIGKILL
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
        if second == "array":
            assert _leftovers(settings) == {"gen-000002"}
        elif second == "publish":
            assert _leftovers(settings) == {"gen-000002", "CURRENT.tmp"}
        in_db = achievement_ids(database)
        assert len(in_db) > SEEDED
        fresh = registry_for(other_database())
        assert {hit.id for hit in fresh.search(ACH, "石墨烯散热膜", 10_000)} == in_db


def test_an_enterprise_is_found_by_its_demands_while_they_last(
    database: Database, registry: IndexRegistry
) -> None:
    org = PartyKind.organization
    enterprise = add_listing(database, "organization")
    demand = add_listing(
        database,
        "demand",
        title="钙钛矿光伏组件封装",
        keywords="钙钛矿、封装",
        organization=EXAMPLES["organization"]["name"],
    )
    assert found(registry, "钙钛矿封装", org) == {enterprise}

    with database.unit_of_work() as session:
        DemandService(session, ADMIN).update(demand, {"title": "柔性电极", "keywords": "电极"})
    assert found(registry, "钙钛矿封装", org) == set()
    assert found(registry, "柔性电极", org) == {enterprise}

    with database.unit_of_work() as session:
        DemandService(session, ADMIN).delete(demand)
    assert found(registry, "柔性电极", org) == set()
    assert found(registry, "新材料", org) == {enterprise}


def test_texts_still_waiting_for_vectors_get_them_after_a_restart(
    database: Database, settings: Settings
) -> None:
    e5 = settings.model_copy(update={"matching_encoder": "e5"})
    first = Database(e5)
    try:
        ids = {
            add_listing(first, "achievement", **GRAPHENE),
            add_listing(first, "achievement", **PEROVSKITE),
        }
        # Rebuilt without encoding (as on a server): the snapshot is saved with both waiting.
        assert set(registry_for(first).rebuild(ACH).pending) == ids
    finally:
        first.dispose()
    second = Database(e5)
    try:
        fresh = registry_for(second)
        # Reopened from that snapshot, both wait again (found by their words alone until
        # encoded, by the background thread on a server; here at once, not to race it)...
        assert set(fresh.get(ACH).pending) == ids
        assert fresh.encode_pending(fresh.get(ACH)) == 2
        # ...and once encoded, both are found by meaning too.
        hits = fresh.search(ACH, "石墨烯散热膜", 10)
        assert {hit.id for hit in hits} == ids
        assert all(hit.cosine is not None for hit in hits)
        best, runner_up = hits[0].semantic, hits[1].semantic
        assert best is not None and runner_up is not None and best > runner_up
        assert not fresh.get(ACH).pending and len(fresh.get(ACH).text.dense) == 2
    finally:
        second.dispose()


def test_two_handles_saving_at_once_do_not_break_each_other(
    database: Database, settings: Settings, other_database: OpenDatabase
) -> None:
    _seed(database)
    # Two handles stand for two processes (a server and `factorlink reindex`): each its own
    # registry, its own open files, the same index folder.
    registries = [registry_for(database), registry_for(other_database())]
    errors: list[Exception] = []

    def rebuild_often(registry: IndexRegistry) -> None:
        for _ in range(12):
            try:
                registry.rebuild(ACH)
            except Exception as exc:  # every failure is the finding
                errors.append(exc)

    threads = [threading.Thread(target=rebuild_often, args=(r,)) for r in registries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _leftovers(settings) == set()
    fresh = registry_for(other_database())
    assert {hit.id for hit in fresh.search(ACH, "石墨烯散热膜", 10_000)} == achievement_ids(
        database
    )
    assert generation(settings) == "gen-000024"


# -- which rows take part -----------------------------------------------------------------------
@pytest.mark.parametrize("ending", ["closed", "consent withdrawn", "erased"])
def test_a_lead_that_ends_leaves_the_index(
    database: Database, registry: IndexRegistry, ending: str
) -> None:
    kept = add_lead(database, need="求购钙钛矿组件厂房", lead_type="载体")
    ended = add_lead(database, need="求购石墨烯生产厂房", lead_type="载体")
    assert found(registry, "厂房", PartyKind.lead) == {kept, ended}
    with database.unit_of_work() as session:
        leads = LeadService(session, ADMIN)
        if ending == "closed":
            leads.set_status(ended, LeadStatus.closed)
        elif ending == "consent withdrawn":
            leads.withdraw_consent(ended)
        else:
            leads.erase_personal_data(ended)
    assert found(registry, "厂房", PartyKind.lead) == {kept}
    assert found(registry, "石墨烯", PartyKind.lead) == set()


def test_an_organisation_that_stops_being_an_enterprise_leaves_the_index(
    database: Database, registry: IndexRegistry
) -> None:
    org = PartyKind.organization
    enterprise = add_listing(database, "organization")
    assert found(registry, "新材料", org) == {enterprise}
    with database.unit_of_work() as session:
        OrganizationService(session, ADMIN).update(enterprise, {"kind": "高校"})
    assert found(registry, "新材料", org) == set()
    with database.unit_of_work() as session:
        OrganizationService(session, ADMIN).update(enterprise, {"kind": "企业"})
    assert found(registry, "新材料", org) == {enterprise}
