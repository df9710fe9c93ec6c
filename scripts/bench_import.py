"""Benchmark of listing imports: first import, re-import (all unchanged) and peak memory.

Builds files of N achievements from the packaged sample (varied codes and titles), in each
format, and imports each into a fresh SQLite database (or the PostgreSQL server named by
--database-url). Prints one table; figures are medians over --repeat runs. A measurement, not a
test: the machines are shared and noisy, so compare ratios within one run.

    .venv/bin/python scripts/bench_import.py [--rows 1000 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from rich.console import Console
from rich.table import Table
from sqlalchemy import text

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.config import Settings
from factorlink.db.base import Base
from factorlink.db.session import Database
from factorlink.imports.kinds import ImportKind
from factorlink.imports.readers import read_table
from factorlink.imports.service import ImportService
from factorlink.sample.loader import DATA_DIR, load_listings

ADMIN = Viewer(user_id=0, role=Role.admin)


def achievement_rows(count: int) -> list[dict[str, Any]]:
    """N achievement rows, cycling over the sample with distinct codes and titles."""
    lines = (DATA_DIR / "achievements.jsonl").read_text(encoding="utf-8").splitlines()
    base = [json.loads(line) for line in lines if line.strip()]
    rows = []
    for i in range(count):
        row = dict(base[i % len(base)])
        row["编号"] = f"BENCH-{i:07d}"
        row["成果名称"] = f"{row['成果名称']}(批次{i // len(base) + 1})"
        rows.append(row)
    return rows


def encode(rows: list[dict[str, Any]], fmt: str) -> bytes:
    """Writes rows as an operator's file of the given format."""
    headers = list(rows[0])
    if fmt == "jsonl":
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode("utf-8")
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows([[r.get(h, "") for h in headers] for r in rows])
        return out.getvalue().encode("gb18030")  # as Excel in China saves it
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headers)
    for r in rows:
        sheet.append([r.get(h, "") for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def timed(action: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def peak_memory(action: Callable[[], object]) -> float:
    """Peak memory (MiB) Python allocates during one call (traced separately: tracing is slow)."""
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


def fresh_database(url: str | None, data_dir: Path) -> Database:
    """An empty, migrated database holding the sample organisations (achievements name them)."""
    database = Database(Settings(data_dir=data_dir, database_url=url))
    if database.engine.dialect.name == "postgresql":
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with database.engine.begin() as conn:
            # The auctions' append-only tables refuse TRUNCATE by trigger; the bench's
            # superuser empties them as a replica, whose triggers do not fire.
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    orgs = data_dir / "orgs"
    orgs.mkdir()
    (orgs / "organizations.jsonl").write_bytes((DATA_DIR / "organizations.jsonl").read_bytes())
    with database.unit_of_work() as session:
        load_listings(session, ADMIN, orgs)
    return database


def import_once(database: Database, name: str, data: bytes) -> None:
    """Reads and imports one file in one unit of work."""
    with database.unit_of_work() as session:
        report = ImportService(session, ADMIN).run(ImportKind.achievement, read_table(name, data))
    assert report.rejected == 0, report


def run(rows: int, fmt: str, repeat: int, url: str | None) -> dict[str, float]:
    """Median figures of `repeat` runs for one size and format."""
    data = encode(achievement_rows(rows), fmt)
    first: list[float] = []
    again: list[float] = []
    for _ in range(repeat + 1):
        with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
            database = fresh_database(url, Path(tmp))
            once = partial(import_once, database, f"bench.{fmt}", data)
            if len(first) < repeat:
                first.append(timed(once))
                again.append(timed(once))
            else:
                memory = peak_memory(once)
            database.dispose()
    median = statistics.median
    return {
        "first": median(first),
        "again": median(again),
        "rows_per_s": rows / median(first),
        "peak_mib": memory,
        "size_kib": len(data) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--formats", nargs="+", default=["csv", "xlsx", "jsonl"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default SQLite)")
    args = parser.parse_args()

    table = Table(title=f"import of achievements (median of {args.repeat})")
    for header in ("rows", "format", "file KiB", "first s", "rows/s", "re-import s", "peak MiB"):
        table.add_column(header, justify="right")
    for rows in args.rows:
        for fmt in args.formats:
            r = run(rows, fmt, args.repeat, args.database_url)
            table.add_row(
                str(rows), fmt, f"{r['size_kib']:.0f}", f"{r['first']:.2f}",
                f"{r['rows_per_s']:.0f}", f"{r['again']:.2f}", f"{r['peak_mib']:.0f}",
            )  # fmt: skip
    Console().print(table)


if __name__ == "__main__":
    main()
