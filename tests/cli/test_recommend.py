"""`factorlink recommend`, run for real: as a process killed with SIGKILL mid-run and started
again, and its options and errors through the CLI runner."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from typer.testing import CliRunner

from factorlink.cli.main import app
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.models import PARTY_MODELS
from factorlink.recommend.models import Recommendation, RecommendationRun
from factorlink.recommend.repository import live_sources
from factorlink.recommend.service import directions
from factorlink.sample.loader import load_sample
from tests.introduction.builders import ADMIN

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner(env={"COLUMNS": "250"})


def _env(settings: Settings) -> dict[str, str]:
    env = {
        **os.environ,
        "FACTORLINK_DATA_DIR": str(settings.data_dir),
        "FACTORLINK_MATCHING_ENCODER": "none",
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("FACTORLINK_DATABASE_URL", None)
    if settings.database_url:
        env["FACTORLINK_DATABASE_URL"] = settings.database_url
    return env


def _command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from factorlink.cli.main import app; app()", "recommend", *args]


def _progress(database: Database) -> tuple[int, int, dict[tuple[int, str], Any]]:
    with database.unit_of_work() as session:
        done = session.scalar(select(func.coalesce(func.max(RecommendationRun.done), 0)))
        runs = session.scalar(select(func.count()).select_from(RecommendationRun))
        rows = {
            (r.source_id, r.target_kind): r.computed_at
            for r in session.scalars(select(Recommendation))
        }
    return int(done or 0), int(runs or 0), rows


def test_a_killed_run_continues_where_it_stopped(settings: Settings, database: Database) -> None:
    with database.unit_of_work() as session:
        load_sample(session, ADMIN)
        model = PARTY_MODELS[PartyKind.capital]
        listings = list(
            session.scalars(live_sources(PartyKind.capital).with_only_columns(model.id))
        )
    per_listing = len(directions(PartyKind.capital))
    args = ("--all", "--kind", "capital", "--batch", "3")
    process = subprocess.Popen(
        _command(*args),
        cwd=ROOT,
        env=_env(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while _progress(database)[0] < 3:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "no batch committed in two minutes"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
        if process.stderr is not None:
            process.stderr.close()
    done, runs, before = _progress(database)
    assert runs == 1 and 3 <= done < len(listings), "killed after the end: nothing to resume"
    # Only whole batches were committed: every listing done has all its directions.
    assert done % 3 == 0 and len(before) == done * per_listing
    assert {source for source, _ in before} == set(listings[:done])

    finished = subprocess.run(
        _command(*args), cwd=ROOT, env=_env(settings), capture_output=True, text=True, timeout=300
    )
    assert finished.returncode == 0, finished.stderr
    assert "续跑 resumed" in finished.stdout and "是 yes" in finished.stdout
    assert f"{len(listings)}/{len(listings)}" in finished.stdout
    done, runs, after = _progress(database)
    assert (done, runs) == (len(listings), 1)
    assert len(after) == len(listings) * per_listing
    # What was committed before the kill was not computed again.
    assert all(after[key] == at for key, at in before.items())


def test_without_all_it_says_what_to_add(cli_env: Settings, database: Database) -> None:
    result = runner.invoke(app, ["recommend"])
    assert result.exit_code == 1
    assert "请加 --all" in result.stderr and "add --all" in result.stderr


def test_unknown_kinds_and_durations_are_refused(cli_env: Settings, database: Database) -> None:
    result = runner.invoke(app, ["recommend", "--all", "--kind", "capital,lead"])
    assert result.exit_code == 1 and "--kind “lead” 不是可推荐的要素类型" in result.stderr
    result = runner.invoke(app, ["recommend", "--all", "--fresh-for", "3 weeks"])
    assert result.exit_code == 1 and "--fresh-for “3 weeks” 无效" in result.stderr
    for bad in ("2/2", "1of2", "0/0"):
        result = runner.invoke(app, ["recommend", "--all", "--shard", bad])
        assert result.exit_code == 2 and "--shard" in result.stderr, bad


def test_a_shard_runs_its_share_and_says_so(cli_env: Settings, database: Database) -> None:
    with database.unit_of_work() as session:
        load_sample(session, ADMIN)
    result = runner.invoke(app, ["recommend", "--all", "--kind", "experts", "--shard", "1/2"])
    assert result.exit_code == 0, result.output
    with database.unit_of_work() as session:
        model = PARTY_MODELS[PartyKind.expert]
        experts = list(session.scalars(live_sources(PartyKind.expert).with_only_columns(model.id)))
        sources = set(session.scalars(select(Recommendation.source_id)))
    assert sources == {i for i in experts if i % 2 == 1}
    assert f"{len(sources)}/{len(sources)}" in result.stdout and "1/2" in result.stdout
    status = runner.invoke(app, ["recommend", "--status"])
    assert status.exit_code == 0 and "1/2" in status.stdout


def test_a_small_run_prints_its_summary_and_status(cli_env: Settings, database: Database) -> None:
    with database.unit_of_work() as session:
        load_sample(session, ADMIN)
    result = runner.invoke(
        app, ["recommend", "--all", "--kind", "experts", "--k", "5", "--limit", "4"]
    )
    assert result.exit_code == 0, result.output
    assert "未完成 open (run again)" in result.stdout and "4/28" in result.stdout
    status = runner.invoke(app, ["recommend", "--status"])
    assert status.exit_code == 0, status.output
    assert "expert" in status.stdout and "未完成 open" in status.stdout
    with database.unit_of_work() as session:
        ks = set(session.scalars(select(Recommendation.k)))
    assert ks == {5}
