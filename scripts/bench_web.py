"""Benchmark of the web pages on the sample data: median and p95 answer time per page.

Loads the packaged sample into a fresh SQLite database (or the PostgreSQL server named by
--database-url), then requests each page --repeat times through the app in-process (no network),
as a visitor and as an operator. Prints one table. A measurement, not a test: the machines are
shared and noisy; the target is under 300 ms per page.

    .venv/bin/python scripts/bench_web.py [--repeat 30] [--database-url URL]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from rich.console import Console
from rich.table import Table

from factorlink.api.app import create_app
from factorlink.auth.models import Role, User
from factorlink.auth.passwords import hash_password
from factorlink.auth.viewer import Viewer
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.sample.loader import load_sample

ADMIN = Viewer(user_id=0, role=Role.admin)
PASSWORD = "bench-web-password"
TARGET_MS = 300.0

VISITOR_PAGES = (
    "/",
    "/achievements",
    "/achievements?q=材料&city=杭州&sort=price_desc",
    "/demands?industry=新能源汽车&price_min=50&price_max=500",
    "/capital",
    "/carriers?kind=厂房",
    "/experts",
    "/achievements/1",
    "/demands/1",
    "/leads/new",
)
OPERATOR_PAGES = (
    "/workspace/leads",
    "/workspace/leads/1",
    "/workspace/introductions",
    "/workspace/import",
)


def _login(client: TestClient) -> None:
    token = re.search(r'name="csrf_token" value="(\w+)"', client.get("/login").text)
    assert token is not None
    data = {"username": "bench-operator", "password": PASSWORD, "csrf_token": token.group(1)}
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text


def _time(client: TestClient, path: str, repeat: int) -> list[float]:
    client.get(path)  # warm: first use builds indexes and caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=args.database_url)
        database = Database(settings)
        with database.unit_of_work() as session:
            load_sample(session, ADMIN)
            session.add(
                User(
                    username="bench-operator",
                    password_hash=hash_password(PASSWORD),
                    role=Role.operator,
                )
            )
        table = Table(title=f"Web pages on the sample data ({args.repeat} runs each)")
        for column in ("who", "page", "median ms", "p95 ms", f"< {TARGET_MS:.0f} ms"):
            table.add_column(column, justify="right" if "ms" in column else "left")
        with TestClient(create_app(settings, database)) as client:
            for who, pages in (("visitor", VISITOR_PAGES), ("operator", OPERATOR_PAGES)):
                if who == "operator":
                    _login(client)
                for path in pages:
                    times = _time(client, path, args.repeat)
                    median, p95 = statistics.median(times), _p95(times)
                    ok = "yes" if p95 < TARGET_MS else "NO"
                    table.add_row(who, path, f"{median:.1f}", f"{p95:.1f}", ok)
        database.dispose()
    Console().print(table)


if __name__ == "__main__":
    main()
