"""Loads the packaged sample listings (marked source="sample"), organisations first."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from factorlink.auth.viewer import Viewer
from factorlink.imports.kinds import ImportKind
from factorlink.imports.readers import read_table
from factorlink.imports.report import ImportReport
from factorlink.imports.service import ImportService
from factorlink.sample.activity import ActivityReport, load_activity

DATA_DIR = Path(__file__).with_name("data")
SOURCE = "sample"

# In loading order: the other kinds name organisations, so those come first.
LISTING_FILES: dict[ImportKind, str] = {
    ImportKind.organization: "organizations.jsonl",
    ImportKind.achievement: "achievements.jsonl",
    ImportKind.demand: "demands.jsonl",
    ImportKind.capital: "capital.jsonl",
    ImportKind.carrier: "carriers.jsonl",
    ImportKind.expert: "experts.jsonl",
}


def load_listings(
    session: Session, viewer: Viewer, data_dir: Path = DATA_DIR
) -> dict[ImportKind, ImportReport]:
    """Imports every sample listing file there is, all-or-nothing; returns a report per kind."""
    service = ImportService(session, viewer)
    reports: dict[ImportKind, ImportReport] = {}
    for kind, name in LISTING_FILES.items():
        path = data_dir / name
        if path.is_file():
            table = read_table(name, path.read_bytes())
            reports[kind] = service.run(kind, table, source=SOURCE)
    return reports


def load_sample(
    session: Session, viewer: Viewer, data_dir: Path = DATA_DIR
) -> tuple[dict[ImportKind, ImportReport], ActivityReport]:
    """Loads the listings, then the leads and introductions that refer to them."""
    reports = load_listings(session, viewer, data_dir)
    return reports, load_activity(session, viewer, data_dir)


def achievements_csv(count: int, code_prefix: str = "SYNC") -> bytes:
    """An import file (CSV, FactorLink's Chinese headers) of `count` achievements: the sample's
    repeated, each with a code and title of its own — bulk imports for benchmarks and tests."""
    lines = (DATA_DIR / "achievements.jsonl").read_text(encoding="utf-8").splitlines()
    base = [json.loads(line) for line in lines if line.strip()]
    out = io.StringIO()
    writer: Any = None
    for i in range(count):
        row = dict(base[i % len(base)])
        row["编号"] = f"{code_prefix}-{i:07d}"
        row["成果名称"] = f"{row['成果名称']}(批次{i // len(base) + 1})"
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row))
            writer.writeheader()
        writer.writerow(row)
    return out.getvalue().encode()
