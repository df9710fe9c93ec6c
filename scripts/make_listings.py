"""Generates a corpus of N listings from the sample data's vocabulary, for `recommend` at scale.

    python scripts/make_listings.py 100000 --data-dir var/bench/100k
    python scripts/make_listings.py 100000 --database-url postgresql://…/factorlink_bench

Loads the packaged sample (organisations, achievements, demands, capital, carriers, experts), then
adds listings of each kind in the sample's proportions until there are N in all. Each new listing
is a sample listing of its kind (its structured facts: industry, city, prices, areas, stages…)
with its text recombined from two: the title sometimes led by a keyword of the other, the body the
first sentence of one and a few of either, the keywords a draw from both. Codes, enterprise names
and credit codes are made unique; owners are drawn from the enterprises. Rows go in with bulk
inserts (no change-log rows: the match indexes are built from the tables on first use).

No passage vectors are made: encoding runs at ~5 passages/s here, so a generated corpus is
matched by BM25 and structured fit alone (FACTORLINK_MATCHING_ENCODER=none).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Text, func, insert, inspect, select

from factorlink.auth.viewer import SYSTEM
from factorlink.config import Settings
from factorlink.db.base import utcnow
from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.models import PARTY_MODELS
from factorlink.organization.models import OrganizationKind
from factorlink.sample.loader import load_listings

KINDS = (
    PartyKind.organization,
    PartyKind.achievement,
    PartyKind.demand,
    PartyKind.capital,
    PartyKind.carrier,
    PartyKind.expert,
)
TITLE = {"achievement": "title", "demand": "title"}  # the others are called by their name
LISTS = ("keywords", "fields")
SENTENCE = re.compile(r"[^。；;!?！？]+[。；;!?！？]?")
CHUNK = 5_000


def _rows(database: Database, kind: PartyKind) -> list[dict[str, Any]]:
    model = PARTY_MODELS[kind]
    columns = [c.key for c in inspect(model).columns if c.key != "id"]
    with database.unit_of_work() as session:
        return [{c: getattr(obj, c) for c in columns} for obj in session.scalars(select(model))]


def _body_columns(kind: PartyKind) -> list[str]:
    model = PARTY_MODELS[kind]
    return [c.key for c in inspect(model).columns if isinstance(c.type, Text)]


def _sentences(text: str | None) -> list[str]:
    return [s for s in SENTENCE.findall(text or "") if len(s.strip()) > 4]


def _variant(
    kind: PartyKind,
    n: int,
    one: dict[str, Any],
    other: dict[str, Any],
    owners: list[int],
    rng: random.Random,
) -> dict[str, Any]:
    row = dict(one)
    now = utcnow()
    row.update(code=f"GEN-{kind.value[:3].upper()}-{n:08d}", source="generated")
    row.update(created_at=now, updated_at=now)
    for column in _BODIES[kind]:
        mine, theirs = _sentences(one.get(column)), _sentences(other.get(column))
        if mine:
            extra = rng.sample(mine[1:] + theirs, k=min(len(mine[1:] + theirs), rng.randint(1, 3)))
            row[column] = "".join([mine[0], *extra])
    for column in LISTS:
        if column in row:
            pool = list(dict.fromkeys([*(one[column] or []), *(other[column] or [])]))
            row[column] = rng.sample(pool, k=min(len(pool), rng.randint(2, 5)))
    title = TITLE.get(kind.value)
    words = [*(other.get("keywords") or []), *(other.get("fields") or [])]
    if title is not None and words and rng.random() < 0.5:
        row[title] = f"{rng.choice(words)}{one[title]}"[:200]
    if kind == PartyKind.organization:
        name = str(one["name"])
        cut = name.rfind("有限") if "有限" in name else len(name)
        row["name"] = f"{name[:cut]}{n}{name[cut:]}"[:200]
        row["credit_code"] = f"GEN{n:015d}"
    elif "organization_id" in row and owners and rng.random() < 0.7:
        row["organization_id"] = rng.choice(owners)
    return row


_BODIES = {kind: _body_columns(kind) for kind in KINDS}


def generate(database: Database, total: int, seed: int = 7) -> dict[str, int]:
    """Loads the sample and adds generated listings until there are `total`; counts per kind."""
    rng = random.Random(seed)
    with database.unit_of_work() as session:
        if not session.scalar(
            select(func.count()).select_from(PARTY_MODELS[PartyKind.achievement])
        ):
            load_listings(session, SYSTEM)
    templates = {kind: _rows(database, kind) for kind in KINDS}
    have = sum(len(rows) for rows in templates.values())
    share = {kind: len(rows) / have for kind, rows in templates.items()}
    wanted = {kind: max(0, round(total * share[kind]) - len(templates[kind])) for kind in KINDS}
    n = 0
    for kind in KINDS:
        model = PARTY_MODELS[kind]
        enterprises = [
            r
            for r in templates[kind]
            if kind != PartyKind.organization or r["kind"] == OrganizationKind.enterprise
        ]
        with database.unit_of_work() as session:
            owners = list(
                session.scalars(
                    select(PARTY_MODELS[PartyKind.organization].id).where(
                        PARTY_MODELS[PartyKind.organization].kind == OrganizationKind.enterprise
                    )
                )
            )
        for chunk in _chunks(wanted[kind]):
            rows = []
            for _ in range(chunk):
                n += 1
                one, other = rng.choice(enterprises), rng.choice(enterprises)
                rows.append(_variant(kind, n, one, other, owners, rng))
            with database.engine.begin() as connection:
                connection.execute(insert(model), rows)
    counts = {}
    with database.unit_of_work() as session:
        for kind in KINDS:
            counts[kind.value] = int(
                session.scalar(select(func.count()).select_from(PARTY_MODELS[kind])) or 0
            )
    return counts


def _chunks(total: int) -> Iterator[int]:
    while total > 0:
        yield min(CHUNK, total)
        total -= CHUNK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("listings", type=int, help="Listings in all (sample included).")
    parser.add_argument("--data-dir", type=Path, default=Path("var/bench/listings"))
    parser.add_argument("--database-url", default=None, help="Default: SQLite in --data-dir.")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    settings = Settings(
        data_dir=args.data_dir, database_url=args.database_url, matching_encoder="none"
    )
    database = Database(settings)
    started = time.perf_counter()
    try:
        counts = generate(database, args.listings, args.seed)
    finally:
        database.dispose()
    print(
        f"{sum(counts.values())} listings in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{k} {v}" for k, v in counts.items()),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
