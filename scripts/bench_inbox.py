"""The operators' inbox on a busy month: a table of timings, not a test.

    .venv/bin/python scripts/bench_inbox.py [--leads 1000 5000] [--database-url URL]

Stores N leads received over 30 days (one in ten a copy of another's mobile, company or need,
written differently) in a temporary database, then times, as an operator of all cities: one
page of the inbox with everything it shows (owner, ages, callback deadline, next step, work log
and the look-alikes, which read the comparison columns of every lead of the period), and the
Excel export of the newest 5000 with the same columns.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.config import Settings
from factorlink.db.base import utcnow
from factorlink.db.session import Database
from factorlink.kit.pagination import PageParams
from factorlink.lead.models import Lead, LeadType
from factorlink.lead.presenter import inbox_file, present_inbox
from factorlink.lead.repository import LeadFilters
from factorlink.lead.service import LeadService

ADMIN = Viewer(user_id=0, role=Role.admin)
NEEDS = ("寻找石墨烯散热膜技术", "需要5000平方米标准厂房", "A轮融资3000万", "电池包轻量化方案")
CITIES = ("songjiang", "jiaxing", "hangzhou", "hefei", "wuhu")


def store(database: Database, n: int) -> None:
    """N leads over the last 30 days; one in ten shares a mobile, company or need."""
    rng = random.Random(7)
    now = utcnow()
    with database.unit_of_work() as session:
        for i in range(n):
            twin = i > 0 and rng.random() < 0.1
            j = rng.randrange(i) if twin else i
            lead = Lead(
                lead_type=rng.choice(list(LeadType)),
                need=f"{NEEDS[j % 4]}(第{j}号){'。' if twin else ''}",
                purpose="扩产",
                company=f"示例公司{j}",
                contact_name="张三",
                contact_mobile=f"139{j:08d}",
                preferred_cities=[rng.choice(CITIES)],
                consent=True,
                consent_at=now,
                source="bench",
            )
            lead.created_at = lead.updated_at = now - timedelta(seconds=rng.randrange(30 * 86400))
            session.add(lead)


def timed(database: Database, work: str) -> float:
    started = time.perf_counter()
    with database.unit_of_work() as session:
        service = LeadService(session, ADMIN)
        if work == "page":
            rows, _ = service.search(LeadFilters(), PageParams(1, 20))
            present_inbox(service, list(rows), 2)
        else:
            inbox_file(service, LeadFilters(), 2)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leads", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    table = Table(title="Operators' inbox (seconds, best of 3)")
    for column in ("leads in 30 days", "inbox page (20)", "export .xlsx (≤5000)"):
        table.add_column(column, justify="right")
    for n in args.leads:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(
                data_dir=Path(tmp), database_url=args.database_url, matching_encoder="none"
            )
            database = Database(settings)
            store(database, n)
            page = min(timed(database, "page") for _ in range(3))
            export = min(timed(database, "export") for _ in range(3))
            table.add_row(f"{n:,}", f"{page:.3f}", f"{export:.2f}")
            database.dispose()
    Console().print(table)


if __name__ == "__main__":
    main()
