"""Benchmark of `factorlink recommend --all`: how time and memory grow with the corpus.

For each size, a corpus of generated listings (`scripts/make_listings.py`: the sample's
vocabulary recombined, BM25 and structured fit only — no passage vectors, see there) in a fresh
SQLite database (or a PostgreSQL database named by --database-url, emptied first), then two
child processes, each measured from outside (wall, CPU, peak RSS via wait4):

1. `factorlink reindex`: the match indexes built from the tables and saved;
2. the recommendation run `factorlink recommend --all` makes (`recommend.units.run`), over the
   first --limit listings (0: all), timing each batch.

Prints one table: listings, queries (one per listing and direction), queries/s and listings/s
(median over batches, and overall), run time, CPU time, peak RSS, stored bytes per row, the
estimated time of a full run at the measured rate, and the per-query cost relative to the
smallest size. A measurement, not a test: the machine is shared, so wall times swing with other
work; CPU times and ratios within one run are the steadier figures.

    .venv/bin/python scripts/bench_recommend.py --sizes 10000,100000 --limit 2000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

RUN = """
import json, sys, time
from sqlalchemy import func, select
from factorlink.config import get_settings
from factorlink.db.session import Database
from factorlink.recommend.models import Recommendation
from factorlink.recommend.repository import RunRepository
from factorlink.recommend.service import SOURCE_KINDS, directions
from factorlink.recommend.units import Options, run
limit, batch = int(sys.argv[1]), int(sys.argv[2])
database = Database(get_settings())
with database.unit_of_work() as session:
    counts = {k: RunRepository(session).count_after(k, 0) for k in SOURCE_KINDS}
total = sum(counts.values())
queries = sum(n * len(directions(k)) for k, n in counts.items())
marks, stored, done, ran = [], [], 0, 0
# Each kind gets its share of the listings run (a run walks kinds in turn: the first --limit
# listings would all be demands).
for kind in SOURCE_KINDS:
    share = counts[kind] if not limit else max(1, round(limit * counts[kind] / total))
    marks.append(time.monotonic())
    stored.append(None)
    def on_batch(status, kind=kind):
        marks.append(time.monotonic())
        stored.append(len(directions(kind)) * (status.done - status.done_at_start))
    status = run(database, Options(kinds=(kind,), limit=share, batch=batch, restart=True), on_batch)
    done += status.done
    ran += len(directions(kind)) * status.done
with database.unit_of_work() as session:
    rows, size = session.execute(
        select(func.count(), func.coalesce(func.sum(func.length(Recommendation.items)), 0))
    ).one()
database.dispose()
print(json.dumps({"done": done, "total": total, "queries": queries, "ran": ran,
    "rows": int(rows),
    "bytes": int(size), "marks": marks, "stored": stored}))
"""


@dataclass(frozen=True)
class Measured:
    wall: float
    cpu: float
    peak_mib: float
    out: str


def _child(args: list[str], env: dict[str, str]) -> Measured:
    started = time.monotonic()
    process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{args[:4]} failed with {process.returncode}")
    return Measured(
        wall=time.monotonic() - started,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_mib=usage.ru_maxrss / 1024,
        out=out,
    )


def _fresh_postgres(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="Listings, comma-separated.")
    parser.add_argument("--limit", type=int, default=2000, help="Listings run per size; 0: all.")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--database-url", default=None, help="A PostgreSQL database to use.")
    parser.add_argument("--keep", type=Path, default=None, help="Keep the corpora here.")
    parser.add_argument(
        "--reuse", action="store_true", help="With --keep: reuse a kept corpus and its index."
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    from make_listings import generate

    from factorlink.config import Settings
    from factorlink.db.session import Database

    console = Console(width=240)
    table = Table(
        "live listings",
        "queries run",
        "index build s",
        "index RSS MiB",
        "q/s median",
        "q/s overall",
        "listings/s",
        "run wall s",
        "run CPU s",
        "CPU ms/query",
        "×",
        "peak RSS MiB",
        "bytes/row",
        "full run, 1 core, h",
        title="factorlink recommend --all (BM25 + fit, no vectors; "
        + ("PostgreSQL" if args.database_url else "SQLite")
        + ")",
    )
    base_cost: float | None = None
    for size in sizes:
        folder = (args.keep or Path(tempfile.mkdtemp(prefix="bench-recommend-"))) / str(size)
        if folder.exists() and args.keep is None:
            shutil.rmtree(folder)
        folder.mkdir(parents=True, exist_ok=True)
        if args.database_url and not args.reuse:
            _fresh_postgres(args.database_url)
        reuse = args.reuse and (folder / "index").is_dir()
        started = time.monotonic()
        if not reuse:
            settings = Settings(
                data_dir=folder, database_url=args.database_url, matching_encoder="none"
            )
            database = Database(settings)
            generate(database, size)
            database.dispose()
        made = time.monotonic() - started
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "FACTORLINK_DATA_DIR": str(folder),
            "FACTORLINK_MATCHING_ENCODER": "none",
        }
        env.pop("FACTORLINK_DATABASE_URL", None)
        if args.database_url:
            env["FACTORLINK_DATABASE_URL"] = args.database_url
        cli = [sys.executable, "-c", "from factorlink.cli.main import app; app()"]
        build = None if reuse else _child([*cli, "reindex"], env)
        run = _child([sys.executable, "-c", RUN, str(args.limit), str(args.batch)], env)
        figures = json.loads(run.out.strip().splitlines()[-1])
        marks, stored = figures["marks"], figures["stored"]
        # Queries per batch over its time (a None starts each kind's run).
        per_batch = [
            (stored[n] - (stored[n - 1] or 0)) / (marks[n] - marks[n - 1])
            for n in range(1, len(stored))
            if stored[n] is not None
        ]
        rows = figures["ran"]
        overall = rows / (marks[-1] - marks[0]) if len(marks) > 1 else 0.0
        listings_per_s = overall * figures["done"] / rows if rows else 0.0
        cost = run.cpu * 1000 / rows if rows else 0.0
        base_cost = base_cost or cost
        # A full run on one core at the measured CPU cost per query.
        full_hours = figures["queries"] * cost / 1000 / 3600
        table.add_row(
            f"{figures['total']:,}",
            f"{rows:,}",
            f"{build.wall:.0f}" if build else "-",
            f"{build.peak_mib:.0f}" if build else "-",
            f"{statistics.median(per_batch):.1f}" if per_batch else "-",
            f"{overall:.1f}",
            f"{listings_per_s:.1f}",
            f"{run.wall:.0f}",
            f"{run.cpu:.0f}",
            f"{cost:.1f}",
            f"{cost / base_cost:.2f}" if base_cost else "-",
            f"{run.peak_mib:.0f}",
            f"{figures['bytes'] / figures['rows']:.0f}" if figures["rows"] else "-",
            f"{full_hours:.2f}",
        )
        console.print(
            f"{size:,}: corpus made in {made:.0f} s; {figures['done']:,} of "
            f"{figures['total']:,} listings recommended",
            highlight=False,
        )
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    console.print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
