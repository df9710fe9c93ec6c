"""Benchmark of the bid path: sustained bids per second and acknowledgement latency.

Starts a real server (`factorlink serve`, one process) on a fresh SQLite database and, when
--postgres-url or FACTORLINK_TEST_POSTGRES_URL is given, on a fresh PostgreSQL database; sets up
one open lot with --clients approved bidders; then each client posts bids as fast as answers
come back for --seconds. A bid is acknowledged once committed, so latency is request to
committed answer. Prints one table, medians over --runs. A measurement, not a test.

    .venv/bin/python scripts/bench_auction.py [--clients 20] [--seconds 5] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from factorlink.achievement.service import AchievementService
from factorlink.auction.schemas import ApprovalIn, BandIn, LotIn, SessionIn
from factorlink.auction.service import AuctionService
from factorlink.auth.models import AuthToken, Role, TokenKind, User
from factorlink.auth.tokens import digest, new_token
from factorlink.auth.viewer import Viewer
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.organization.models import Organization, OrganizationKind

ADMIN = Viewer(user_id=0, role=Role.admin)
ACHIEVEMENT = {
    "title": "高导热石墨烯复合散热膜制备技术",
    "abstract": "采用化学气相沉积与热压复合工艺,已完成中试。",
    "industry": "新材料",
    "organization": "示例大学",
    "city": "杭州",
    "price_wan": "300",
}


@dataclass
class Floor:
    lot_id: int
    tokens: list[str]


@dataclass
class Run:
    bids: int
    accepted: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.bids / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def set_up(database: Database, clients: int) -> Floor:
    """One open lot, 1万 steps, and `clients` approved bidders with API tokens."""
    now = datetime.now(UTC)
    with database.unit_of_work() as session:
        achievement = AchievementService(session, ADMIN).create(dict(ACHIEVEMENT))
        service = AuctionService(session, ADMIN)
        auction = service.create_session(
            SessionIn(
                title="压测场",
                starts_at=now - timedelta(minutes=1),
                ends_at=now + timedelta(hours=6),
                bands=[BandIn(from_wan=0, step_wan=1)],
            )
        )
        lot = service.add_lot(auction.id, LotIn(achievement_id=achievement.id, start_price_wan=1))
        service.open_session(auction.id)
        tokens = []
        for n in range(clients):
            org = Organization(
                code=f"ORG-B{n:04d}",
                name=f"压测机构{n}",
                kind=OrganizationKind.enterprise,
                city="songjiang",
            )
            session.add(org)
            session.flush()
            user = User(
                username=f"bidder{n}", password_hash="!", role=Role.member, organization_id=org.id
            )
            session.add(user)
            session.flush()
            token = new_token()
            session.add(
                AuthToken(digest=digest(token), user_id=user.id, kind=TokenKind.api, name="bench")
            )
            member = Viewer(user_id=user.id, role=Role.member, organization_id=org.id)
            bidder = AuctionService(session, member).register(auction.id)
            service.decide(auction.id, bidder.id, ApprovalIn())
            tokens.append(token)
        return Floor(lot.id, tokens)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "FACTORLINK_DATA_DIR": str(settings.data_dir),
        "FACTORLINK_LOG_LEVEL": "WARNING",
    }
    if settings.database_url:
        env["FACTORLINK_DATABASE_URL"] = settings.database_url
    code = "from factorlink.cli.main import app; app()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def hammer(url: str, floor: Floor, seconds: float) -> Run:
    """Every client bids one step above its last bid, as fast as answers come, for `seconds`."""
    latencies: list[float] = []
    counts = {"bids": 0, "accepted": 0}
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    clients = len(floor.tokens)

    def client(n: int) -> None:
        headers = {"Authorization": f"Bearer {floor.tokens[n]}"}
        with httpx.Client(base_url=url, timeout=60) as http:
            k = 0
            while time.monotonic() < stop:
                k += 1
                amount = 1 + k * clients + n
                sent = time.perf_counter()
                response = http.post(
                    f"/api/v1/lots/{floor.lot_id}/bids",
                    json={"amount_wan": amount},
                    headers={**headers, "Idempotency-Key": f"{n}-{k}"},
                )
                took = time.perf_counter() - sent
                with lock:
                    counts["bids"] += 1
                    counts["accepted"] += response.status_code == 201
                    latencies.append(took)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Run(counts["bids"], counts["accepted"], time.monotonic() - started, latencies)


def run_once(settings: Settings, clients: int, seconds: float) -> Run:
    database = Database(settings)
    try:
        floor = set_up(database, clients)
    finally:
        database.dispose()
    port = free_port()
    process = serve(settings, port)
    try:
        return hammer(f"http://127.0.0.1:{port}", floor, seconds)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def sqlite_runs(clients: int, seconds: float, runs: int) -> list[Run]:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            results.append(run_once(Settings(data_dir=Path(tmp)), clients, seconds))
    return results


def postgres_runs(base_url: str, clients: int, seconds: float, runs: int) -> list[Run]:
    url = make_url(Settings(database_url=base_url).effective_database_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    results = []
    try:
        for n in range(runs):
            name = f"factorlink_bench_auction_{os.getpid()}_{n}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                db_url = url.set(database=name).render_as_string(hide_password=False)
                with tempfile.TemporaryDirectory() as tmp:
                    settings = Settings(data_dir=Path(tmp), database_url=db_url)
                    results.append(run_once(settings, clients, seconds))
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
    return results


def row(name: str, runs: list[Run]) -> list[str]:
    med = statistics.median
    return [
        name,
        f"{med(r.rate for r in runs):.0f}",
        f"{med(r.accepted / r.seconds for r in runs):.0f}",
        f"{med(r.percentile(0.50) for r in runs):.1f}",
        f"{med(r.percentile(0.99) for r in runs):.1f}",
        f"{med(r.bids for r in runs):.0f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent bidders")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each run")
    parser.add_argument("--runs", type=int, default=3, help="runs per database (medians)")
    parser.add_argument("--postgres-url", default=os.environ.get("FACTORLINK_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    table = Table(
        "database",
        "bids/s answered",
        "bids/s accepted",
        "p50 ms",
        "p99 ms",
        "bids per run",
        title=f"Bid path: {args.clients} bidders on one lot, "
        f"{args.seconds:g} s × {args.runs} runs (medians)",
    )
    table.add_row(*row("SQLite (WAL)", sqlite_runs(args.clients, args.seconds, args.runs)))
    if args.postgres_url:
        table.add_row(
            *row(
                "PostgreSQL",
                postgres_runs(args.postgres_url, args.clients, args.seconds, args.runs),
            )
        )
    Console().print(table)


if __name__ == "__main__":
    main()
