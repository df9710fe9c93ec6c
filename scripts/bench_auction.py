"""Benchmark of the bid path: answered bids per second and latency, beside the database's own
yardstick.

First the yardstick: how many tiny write transactions (BEGIN; one INSERT; COMMIT) one Python
process commits per second, on SQLite in WAL mode (synchronous=FULL, and NORMAL as the app sets
it) and on PostgreSQL. Then the app: a real server (`factorlink serve`, one process) on a fresh
SQLite database and, when --postgres-url or FACTORLINK_TEST_POSTGRES_URL is given, on a fresh
PostgreSQL database; one open lot with --clients approved bidders, each posting a bid as soon as
its last was answered, for --seconds, while --readers listeners follow the lot's event stream.
A bid is acknowledged once committed, so latency is request to committed answer: "ack" over the
accepted bids (201), "all" over every answer (refusals too: a bid outbid before it was decided).
Prints one table, medians over --runs, with the app's answered bids as a share of the yardstick.
A measurement, not a test.

With --statements it counts SQL statements instead (SQLAlchemy's before_cursor_execute): the
session pages (web and API, anonymous, bidder and operator) for sessions of 5 and 20 lots, and
what one idle listener of a lot's event stream costs per second, on a server in this process.

    .venv/bin/python scripts/bench_auction.py [--clients 50] [--readers 20] [--seconds 5] [--runs 3]
    .venv/bin/python scripts/bench_auction.py --statements [--idle 5]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import uvicorn
from fastapi.testclient import TestClient
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from factorlink.achievement.service import AchievementService
from factorlink.api.app import create_app
from factorlink.auction import units
from factorlink.auction.clock import system_clock
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
    latencies: list[float]  # every answer
    acknowledged: list[float]  # the accepted bids' (201)
    events: int  # lot events the readers received
    server_cpu: float = float("nan")  # CPU seconds the server process used meanwhile

    @property
    def rate(self) -> float:
        return self.bids / self.seconds

    @staticmethod
    def percentile(values: list[float], q: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def user_with_token(
    session: Session, username: str, role: Role, organization_id: int | None = None
) -> tuple[int, str]:
    """A user with an API token (also good as a page's session cookie): (user id, token)."""
    user = User(username=username, password_hash="!", role=role, organization_id=organization_id)
    session.add(user)
    session.flush()
    token = new_token()
    session.add(AuthToken(digest=digest(token), user_id=user.id, kind=TokenKind.api, name="bench"))
    return user.id, token


def approved_bidder(session: Session, session_id: int, n: int) -> str:
    """A member of a new organisation, registered and approved in a session; their token."""
    org = Organization(
        code=f"ORG-B{n:04d}",
        name=f"压测机构{n}",
        kind=OrganizationKind.enterprise,
        city="songjiang",
    )
    session.add(org)
    session.flush()
    user_id, token = user_with_token(session, f"bidder{n}", Role.member, org.id)
    member = Viewer(user_id=user_id, role=Role.member, organization_id=org.id)
    bidder = AuctionService(session, member).register(session_id)
    AuctionService(session, ADMIN).decide(session_id, bidder.id, ApprovalIn())
    return token


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
        tokens = [approved_bidder(session, auction.id, n) for n in range(clients)]
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
        # The match index's one-time encoding at start-up is no part of the bid path.
        "FACTORLINK_MATCHING_ENCODER": "none",
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


def read_events(url: str, lot_id: int, token: str | None, stop: threading.Event) -> int:
    """Follows a lot's event stream until `stop`; how many lot events came."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    seen = 0
    timeout = httpx.Timeout(10, read=1)
    with httpx.Client(base_url=url, timeout=timeout) as http:
        while not stop.is_set():
            try:
                with http.stream("GET", f"/api/v1/lots/{lot_id}/events", headers=headers) as s:
                    for line in s.iter_lines():
                        seen += line.startswith("event: lot")
                        if stop.is_set():
                            break
            except httpx.ReadTimeout:
                continue  # nothing for a second: look at `stop`, then follow again
    return seen


def hammer(url: str, floor: Floor, seconds: float, readers: int) -> Run:
    """Every client bids one step above its last bid, as fast as answers come, for `seconds`,
    while `readers` listeners (half anonymous, half bidders) follow the lot's events."""
    latencies: list[float] = []
    acknowledged: list[float] = []
    counts = {"bids": 0, "accepted": 0, "events": 0}
    lock = threading.Lock()
    clients = len(floor.tokens)
    listening = threading.Event()

    def reader(n: int) -> None:
        token = floor.tokens[n % clients] if n % 2 else None
        got = read_events(url, floor.lot_id, token, listening)
        with lock:
            counts["events"] += got

    def client(n: int, stop: float) -> None:
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
                    latencies.append(took)
                    if response.status_code == 201:
                        counts["accepted"] += 1
                        acknowledged.append(took)

    followers = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
    for t in followers:
        t.start()
    time.sleep(1.0 if readers else 0)  # the listeners are attached before the first bid
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n, started + seconds)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - started
    listening.set()
    for t in followers:
        t.join()
    return Run(counts["bids"], counts["accepted"], took, latencies, acknowledged, counts["events"])


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user and system) a process has used so far (Linux; NaN elsewhere): less
    sensitive than throughput to what else the machine is doing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def yardstick_sqlite(seconds: float, synchronous: str) -> float:
    """Tiny write transactions per second of one Python process on a SQLite file in WAL mode."""
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "yardstick.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={synchronous}")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)")
        n, stop = 0, time.perf_counter() + seconds
        while time.perf_counter() < stop:
            conn.execute("BEGIN")
            conn.execute("INSERT INTO t (v) VALUES (?)", (n,))
            conn.execute("COMMIT")
            n += 1
        conn.close()
        return n / seconds


def yardstick_postgres(postgres_url: str, seconds: float) -> float:
    """Tiny write transactions per second of one Python process on PostgreSQL (psycopg)."""
    with fresh_database(postgres_url, "yardstick") as settings:
        assert settings.database_url is not None
        url = make_url(settings.database_url)
        with psycopg.connect(
            host=url.host,
            port=url.port,
            user=url.username,
            password=url.password,
            dbname=url.database,
        ) as conn:
            conn.execute("CREATE TABLE t (id SERIAL PRIMARY KEY, v INTEGER NOT NULL)")
            conn.commit()
            n, stop = 0, time.perf_counter() + seconds
            while time.perf_counter() < stop:
                conn.execute("INSERT INTO t (v) VALUES (%s)", (n,))
                conn.commit()
                n += 1
        return n / seconds


@contextlib.contextmanager
def fresh_database(postgres_url: str | None, name: str, **more: Any) -> Iterator[Settings]:
    """Settings (with `more`) of an empty database: SQLite in a temporary folder, or a new
    PostgreSQL database on the server of `postgres_url` (dropped afterwards)."""
    with tempfile.TemporaryDirectory() as tmp:
        if postgres_url is None:
            yield Settings(data_dir=Path(tmp), **more)
            return
        url = make_url(Settings(database_url=postgres_url).effective_database_url)
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        db_name = f"factorlink_bench_auction_{os.getpid()}_{name}"
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{db_name}"'))
            try:
                db_url = url.set(database=db_name).render_as_string(hide_password=False)
                yield Settings(data_dir=Path(tmp), database_url=db_url, **more)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        finally:
            admin.dispose()


def run_once(settings: Settings, clients: int, seconds: float, readers: int) -> Run:
    database = Database(settings)
    try:
        floor = set_up(database, clients)
    finally:
        database.dispose()
    port = free_port()
    process = serve(settings, port)
    try:
        before = cpu_seconds(process.pid)
        run = hammer(f"http://127.0.0.1:{port}", floor, seconds, readers)
        run.server_cpu = cpu_seconds(process.pid) - before
        return run
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def bid_runs(
    postgres_url: str | None, clients: int, seconds: float, runs: int, readers: int
) -> list[Run]:
    """`runs` runs, each on a fresh database (SQLite, or PostgreSQL with a URL)."""
    results = []
    for n in range(runs):
        with fresh_database(postgres_url, str(n)) as settings:
            results.append(run_once(settings, clients, seconds, readers))
    return results


class StatementCounter:
    """Counts the SQL statements an engine sends (SQLAlchemy's before_cursor_execute)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.count = 0
        self._lock = threading.Lock()
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: Any) -> None:
        with self._lock:
            self.count += 1

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


@dataclass
class Cast:
    """A session to look at and who looks: tokens of a bidder and of an operator (admin)."""

    session_id: int
    open_lot_id: int
    bidder: str
    operator: str


def populate(database: Database, lots: int) -> Cast:
    """An open session of `lots` lots and `lots - 1` other sessions of one lot (the list pages
    grow too). One approved bidder has bid on every lot of the first session; every other lot
    of it has closed since, sold to them."""
    now = datetime.now(UTC)
    with database.unit_of_work() as session:
        service = AuctionService(session, ADMIN)
        achievements = AchievementService(session, ADMIN)
        offered = [
            achievements.create({**ACHIEVEMENT, "title": f"{ACHIEVEMENT['title']}{n}"}).id
            for n in range(lots)
        ]
        sessions = [
            service.create_session(
                SessionIn(
                    title=f"计数场{n}",
                    starts_at=now - timedelta(minutes=1),
                    ends_at=now + timedelta(hours=6),
                    bands=[BandIn(from_wan=0, step_wan=1)],
                )
            ).id
            for n in range(lots)
        ]
        lot_ids = []
        for n, achievement_id in enumerate(offered):
            closes = now + timedelta(minutes=30) if n % 2 else None
            body = LotIn(achievement_id=achievement_id, start_price_wan=1, closes_at=closes)
            lot_ids.append(service.add_lot(sessions[0], body).id)
        for other in sessions[1:]:
            service.add_lot(other, LotIn(achievement_id=offered[0], start_price_wan=1))
        for session_id in sessions:
            service.open_session(session_id)
        bidder = approved_bidder(session, sessions[0], 0)
        _, operator = user_with_token(session, "operator", Role.admin)
    for lot_id in lot_ids:
        units.place_bid(database, bidder, lot_id, 10_000, f"count-{lot_id}", system_clock)
    later = now + timedelta(minutes=31)
    for lot_id in lot_ids[1::2]:
        units.close_lot_if_due(database, lot_id, lambda: later, None)
    return Cast(sessions[0], lot_ids[0], bidder, operator)


PAGES = {
    "web: session page": "/auctions/{id}",
    "API: GET /auctions/{id}": "/api/v1/auctions/{id}",
    "web: session list": "/auctions",
    "API: GET /auctions": "/api/v1/auctions",
}


def viewers(cast: Cast) -> dict[str, dict[str, str]]:
    """Request headers of each kind of viewer (the token as the pages' session cookie)."""
    return {
        "anonymous": {},
        "bidder": {"Cookie": f"factorlink_session={cast.bidder}"},
        "operator": {"Cookie": f"factorlink_session={cast.operator}"},
    }


@contextlib.contextmanager
def served(app: Any) -> Iterator[str]:
    """The app on a uvicorn server in a thread of this process (so its statements are seen)."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise SystemExit("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def idle_listener(
    url: str, lot_id: int, headers: dict[str, str], counter: StatementCounter, seconds: float
) -> float:
    """Statements per second of one listener of a lot's events while nothing happens."""
    with (
        httpx.Client(base_url=url, timeout=30) as http,
        http.stream("GET", f"/api/v1/lots/{lot_id}/events", headers=headers) as stream,
    ):
        lines = stream.iter_lines()  # kept: an iterator dropped closes the stream
        for line in lines:
            if line.startswith("data:"):
                break  # the first event: the listener is settled
        time.sleep(0.5)
        before = counter.count
        time.sleep(seconds)
        return (counter.count - before) / seconds


def count_statements(settings: Settings, lots: int, idle: float) -> dict[tuple[str, str], str]:
    """Statements of each page for each viewer, and per second of an idle event listener."""
    database = Database(settings)
    counts: dict[tuple[str, str], str] = {}
    try:
        cast = populate(database, lots)
        counter = StatementCounter(database.engine)
        with TestClient(create_app(settings, database)) as client:
            for page, path in PAGES.items():
                for viewer, headers in viewers(cast).items():
                    before = counter.count
                    answer = client.get(path.format(id=cast.session_id), headers=headers)
                    assert answer.status_code == 200, answer.text
                    counts[page, viewer] = str(counter.count - before)
        with served(create_app(settings, database)) as url:
            for viewer, headers in viewers(cast).items():
                per_second = idle_listener(url, cast.open_lot_id, headers, counter, idle)
                counts["event stream: one idle listener, per second", viewer] = f"{per_second:.1f}"
                time.sleep(1.5)  # the stream's end reaches the server before the next one
        counter.close()
    finally:
        database.dispose()
    return counts


def statements(postgres_url: str | None, idle: float) -> None:
    """Prints the statement counts, for sessions of 5 and 20 lots, per database."""
    sizes = (5, 20)
    databases = [("SQLite", None)] + ([("PostgreSQL", postgres_url)] if postgres_url else [])
    columns: list[dict[tuple[str, str], str]] = []
    headers = []
    for name, url in databases:
        for lots in sizes:
            with fresh_database(url, f"statements_{lots}", matching_encoder="none") as settings:
                columns.append(count_statements(settings, lots, idle))
            headers.append(f"{name}, {lots} lots")
    table = Table(
        "what",
        "viewer",
        *headers,
        title="SQL statements (before_cursor_execute): per request, or per second of an idle "
        f"listener (measured over {idle:g} s); N lots in the session, N sessions in the list",
    )
    for key in columns[0]:
        table.add_row(*key, *(column[key] for column in columns))
    Console(width=160).print(table)


def row(name: str, yardstick: float, runs: list[Run]) -> list[str]:
    med = statistics.median
    answered = med(r.rate for r in runs)
    return [
        name,
        f"{yardstick:,.0f}",
        f"{answered:,.0f}",
        f"{answered / yardstick * 100:.1f}%",
        f"{med(r.accepted / r.seconds for r in runs):,.0f}",
        f"{med(Run.percentile(r.acknowledged, 0.50) for r in runs):,.1f}",
        f"{med(Run.percentile(r.acknowledged, 0.99) for r in runs):,.1f}",
        f"{med(Run.percentile(r.latencies, 0.99) for r in runs):,.1f}",
        f"{med(r.events / r.seconds for r in runs):,.0f}",
        f"{med(r.server_cpu / r.bids * 1000 for r in runs):.2f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent bidders")
    parser.add_argument("--readers", type=int, default=20, help="listeners of the lot's events")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each run")
    parser.add_argument("--runs", type=int, default=3, help="runs per database (medians)")
    parser.add_argument("--postgres-url", default=os.environ.get("FACTORLINK_TEST_POSTGRES_URL"))
    parser.add_argument(
        "--statements",
        action="store_true",
        help="count SQL statements of the session pages and of an idle event listener instead",
    )
    parser.add_argument(
        "--idle", type=float, default=5.0, help="seconds an idle listener is watched"
    )
    args = parser.parse_args()
    if args.statements:
        statements(args.postgres_url, args.idle)
        return
    med = statistics.median
    full = med(yardstick_sqlite(2, "FULL") for _ in range(args.runs))
    normal = med(yardstick_sqlite(2, "NORMAL") for _ in range(args.runs))
    table = Table(
        "database",
        "yardstick tx/s",
        "bids/s answered",
        "of yardstick",
        "bids/s accepted",
        "ack p50 ms",
        "ack p99 ms",
        "all p99 ms",
        "events/s",
        "server CPU ms/bid",
        title=f"Bid path: {args.clients} bidders on one lot, {args.readers} readers attached, "
        f"{args.seconds:g} s × {args.runs} runs (medians); yardstick: tiny write transactions "
        f"one Python process commits (SQLite WAL synchronous=FULL: {full:,.0f}/s)",
    )
    sqlite_runs = bid_runs(None, args.clients, args.seconds, args.runs, args.readers)
    table.add_row(*row("SQLite (WAL, synchronous=NORMAL)", normal, sqlite_runs))
    if args.postgres_url:
        pg = med(yardstick_postgres(args.postgres_url, 2) for _ in range(args.runs))
        pg_runs = bid_runs(args.postgres_url, args.clients, args.seconds, args.runs, args.readers)
        table.add_row(*row("PostgreSQL", pg, pg_runs))
    Console(width=180).print(table)


if __name__ == "__main__":
    main()
