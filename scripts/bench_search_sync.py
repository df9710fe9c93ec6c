"""The sync worker killed with SIGKILL in the middle of an import, at full size (10,000 rows).

Imports N achievements into a fresh SQLite database (or the PostgreSQL server named by
--database-url, in a database of its own), starts `factorlink search sync` on a Milvus Lite file,
kills it (kill -9) once it has confirmed about a third, restarts it with --once, and compares
the collection with the database (ids and text fingerprints). Prints one table: a measurement,
not a test (tests/matching/live/test_sync.py runs the same at 600 rows).

    .venv/bin/python scripts/bench_search_sync.py [--rows 10000] [--batch 500]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.imports.kinds import ImportKind
from factorlink.imports.readers import read_table
from factorlink.imports.service import ImportService
from factorlink.introduction.models import PartyKind
from factorlink.matching.live.indexes import digest, factor_documents
from factorlink.matching.live.sync import SearchSync, target_of
from factorlink.matching.models import MatchChange, SearchWatermark
from factorlink.sample.loader import achievements_csv

ADMIN = Viewer(user_id=0, role=Role.admin)
FACTORLINK = Path(sys.executable).with_name("factorlink")


def watermark(database: Database, target: str) -> int:
    with database.unit_of_work() as session:
        row = session.get(SearchWatermark, target)
        return int(row.watermark) if row is not None else 0


def run(rows: int, batch: int, database_url: str | None, folder: Path) -> list[str]:
    settings = Settings(
        data_dir=folder,
        database_url=database_url,
        matching_encoder="none",
        search_url=str(folder / "search.db"),
    )
    database = Database(settings)
    target = target_of(database, None)
    start = time.perf_counter()
    with database.unit_of_work() as session:
        ImportService(session, ADMIN).run(
            ImportKind.achievement, read_table("a.csv", achievements_csv(rows)), source="bench"
        )
    import_s = time.perf_counter() - start
    with database.unit_of_work() as session:
        top = int(session.scalar(select(func.max(MatchChange.seq))) or 0)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTORLINK_")}
    env.update(
        {
            "FACTORLINK_DATA_DIR": str(folder),
            "FACTORLINK_MATCHING_ENCODER": "none",
            "FACTORLINK_SEARCH_URL": settings.search_url,
            "FACTORLINK_SEARCH_SYNC_BATCH": str(batch),
        }
    )
    if database_url:
        env["FACTORLINK_DATABASE_URL"] = database_url
    start = time.perf_counter()
    worker = subprocess.Popen(
        [str(FACTORLINK), "search", "sync"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while watermark(database, target) < top // 3 and worker.poll() is None:
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    killed_at = watermark(database, target)
    first_s = time.perf_counter() - start
    start = time.perf_counter()
    again = subprocess.run(
        [str(FACTORLINK), "search", "sync", "--once"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    resume_s = time.perf_counter() - start
    upserted = int(again.stdout.split("upserted ")[1].split(",")[0])
    sync = SearchSync(database, None)
    try:
        held_ids = [i for i, _, _ in sync.indexes[PartyKind.achievement].entries()]
        held = {i: d for i, d, _ in sync.indexes[PartyKind.achievement].entries()}
        with database.unit_of_work() as session:
            in_db = {
                int(o.id): digest(f) for o, f in factor_documents(session, PartyKind.achievement)
            }
    finally:
        sync.close()
        database.dispose()
    identical = held == in_db
    return [
        f"{rows:,}",
        database.engine.dialect.name,
        f"{import_s:.1f}",
        f"{killed_at:,} / {top:,}",
        f"{first_s:.1f}",
        f"{upserted:,}",
        f"{resume_s:.1f}",
        f"{len(held_ids):,}",
        str(len(held_ids) - len(set(held_ids))),
        "yes" if identical else "NO",
    ]


def _postgres(url: str) -> tuple[str, Any]:
    from sqlalchemy import create_engine

    base = make_url(Settings(database_url=url).effective_database_url)
    name = f"factorlink_bench_sync_{os.getpid()}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return base.set(database=name).render_as_string(hide_password=False), (admin, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000])
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    table = Table(title="search sync killed with SIGKILL mid-import, then restarted (seconds)")
    for column in (
        "rows", "database", "import s", "watermark at kill", "until kill s",
        "upserted on restart", "restart s", "in Milvus", "duplicates", "identical to db",
    ):  # fmt: skip
        table.add_column(column, justify="right")
    for rows in args.rows:
        with tempfile.TemporaryDirectory(prefix="factorlink-bench-sync-") as tmp:
            url, cleanup = (None, None)
            if args.database_url:
                url, cleanup = _postgres(args.database_url)
            try:
                table.add_row(*run(rows, args.batch, url, Path(tmp)))
            finally:
                if cleanup is not None:
                    admin, name = cleanup
                    with admin.connect() as conn:
                        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                    admin.dispose()
    Console().print(table)


if __name__ == "__main__":
    main()
