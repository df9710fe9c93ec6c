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
        [--profile DIR]  (with py-spy installed: where the server's time goes, by part of the path)
    .venv/bin/python scripts/bench_auction.py --statements [--idle 5]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import psycopg
import uvicorn
import uvloop
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
    loop_cpu: float = float("nan")  # of which its main thread (the event loop: HTTP, the lane)
    client_cpu: float = float("nan")  # CPU seconds this (the client's) process used meanwhile
    load: float = float("nan")  # the machine's load average (1 minute) at the end of the run
    ceiling: float = float("nan")  # requests/s the same client gets from GET /healthz
    ceiling_cpu: float = float("nan")  # the client's CPU ms per request of GET /healthz
    profile: Counter[str] = field(default_factory=Counter)  # py-spy samples by category

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


# The port the bench's servers listen on (--port); 0: any free one.
PORT = 0


def free_port() -> int:
    if PORT:
        return PORT
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


async def read_events(
    http: aiohttp.ClientSession, lot_id: int, token: str | None, counts: dict[str, int]
) -> None:
    """Follows a lot's event stream until cancelled, counting the lot events that come."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with http.get(f"/api/v1/lots/{lot_id}/events", headers=headers) as stream:
        async for line in stream.content:
            counts["events"] += line.startswith(b"event: lot")


async def hammer(url: str, floor: Floor, seconds: float, readers: int) -> Run:
    """Every client bids one step above its last bid, as fast as answers come, for `seconds`,
    while `readers` listeners (half anonymous, half bidders) follow the lot's events. One
    asyncio process, a connection per bidder and per listener (aiohttp): the client's own cost
    per request stays small beside the server's (see the client ceiling)."""
    latencies: list[float] = []
    acknowledged: list[float] = []
    counts = {"bids": 0, "accepted": 0, "events": 0}
    clients = len(floor.tokens)

    async def client(n: int, stop: float) -> None:
        headers = {"Authorization": f"Bearer {floor.tokens[n]}"}
        path = f"/api/v1/lots/{floor.lot_id}/bids"
        async with connection(url) as http:
            k = 0
            while time.monotonic() < stop:
                k += 1
                amount = 1 + k * clients + n
                key = {"Idempotency-Key": f"{n}-{k}"}
                sent = time.perf_counter()
                async with http.post(
                    path, json={"amount_wan": amount}, headers={**headers, **key}
                ) as response:
                    await response.read()
                took = time.perf_counter() - sent
                counts["bids"] += 1
                latencies.append(took)
                if response.status == 201:
                    counts["accepted"] += 1
                    acknowledged.append(took)

    async with contextlib.AsyncExitStack() as stack:
        followers = []
        for n in range(readers):
            http = await stack.enter_async_context(connection(url))
            token = floor.tokens[n % clients] if n % 2 else None
            followers.append(asyncio.create_task(read_events(http, floor.lot_id, token, counts)))
        await asyncio.sleep(1.0 if readers else 0)  # the listeners attach before the first bid
        started = time.monotonic()
        cpu = time.process_time()
        await asyncio.gather(*(client(n, started + seconds) for n in range(clients)))
        took = time.monotonic() - started
        client_cpu = time.process_time() - cpu
        for task in followers:
            task.cancel()
        await asyncio.gather(*followers, return_exceptions=True)
    run = Run(counts["bids"], counts["accepted"], took, latencies, acknowledged, counts["events"])
    run.client_cpu = client_cpu
    return run


def connection(url: str) -> aiohttp.ClientSession:
    """A client with one connection of its own, kept alive."""
    connector = aiohttp.TCPConnector(limit=1, force_close=False)
    return aiohttp.ClientSession(url, connector=connector, timeout=aiohttp.ClientTimeout(60))


async def ceiling(url: str, clients: int, seconds: float) -> tuple[float, float]:
    """The client's ceiling: requests per second the same clients get from a trivial endpoint
    (GET /healthz, no database) of the same server, and the client's CPU ms per request."""
    done = 0

    async def client(stop: float) -> None:
        nonlocal done
        async with connection(url) as http:
            while time.monotonic() < stop:
                async with http.get("/healthz") as response:
                    await response.read()
                done += 1

    started, cpu = time.monotonic(), time.process_time()
    await asyncio.gather(*(client(started + seconds) for _ in range(clients)))
    return done / (time.monotonic() - started), (time.process_time() - cpu) / done * 1000


def cpu_seconds(pid: int, thread: int | None = None) -> float:
    """CPU seconds (user and system) a process (or one of its threads) has used so far (Linux;
    NaN elsewhere): less sensitive than throughput to what else the machine is doing."""
    path = f"/proc/{pid}/task/{thread}/stat" if thread is not None else f"/proc/{pid}/stat"
    try:
        fields = Path(path).read_text().rpartition(")")[2].split()
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


# Where the server's time goes: each py-spy sample (a stack of the thread holding the GIL) is
# put in the first of these whose pattern a frame has, looking from the innermost frame out, so
# SQLAlchemy's or Pydantic's work counts for whatever of ours called it.
PROFILE = [
    (
        "SSE fan-out (probe, render, send)",
        ("auction/live.py", "PublicViews", "sse_starlette", "events (factorlink/auction/endpoints"),
    ),
    ("authentication (tokens)", ("viewer_for_", "viewers_for_tokens")),
    ("idempotency lookup", ("AnswerRepository", "BidBatch._earlier", "BidBatch._replay")),
    ("lazy closing", ("auction/closing.py",)),
    ("rules", ("auction/rules.py", "auction/terms.py")),
    ("reads: lot, session, bidders, labels", ("BidBatch._lot", "BidBatch._bidder", "_label")),
    ("reads: a batch's prefetch (answers, bidders)", ("BidBatch.prefetch",)),
    ("writes: bids, answers, audit", ("BidBatch.write", "BidBatch._accept", "BidBatch._log")),
    ("writes: answer rows", ("BidBatch._answer",)),
    ("presentation (receipt)", ("present_receipt", "_answer (factorlink/auction/units.py")),
    ("commit (and flush: lot row, tokens' last use)", ("Session.commit", "unit_of_work")),
    ("rest of the batch (begin, lock)", ("place_bids", "BidBatch")),
    ("bid route (endpoint)", ("place_bid (factorlink/auction/endpoints",)),
    ("bid lane (the edge: headers, body, answer)", ("auction/lane.py",)),
    ("writer queue: desk, worker threads", ("auction/desk.py", "anyio/", "concurrent/futures")),
    ("request parsing and validation (FastAPI, Pydantic)", ("fastapi/dependencies",)),
    ("routing and handler (FastAPI, Starlette)", ("fastapi/routing.py", "starlette/routing.py")),
    ("middleware: the app's edge rules", ("factorlink/api/",)),
    ("middleware: Starlette and FastAPI's own", ("starlette/", "fastapi/")),
    ("HTTP server (uvicorn, httptools)", ("uvicorn/", "httptools")),
    ("event loop (asyncio, uvloop)", ("asyncio/", "uvloop")),
]
OTHER = "other"


def py_spy() -> str | None:
    """py-spy, if installed (not a dependency of the project: `pip install py-spy`)."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def profile_of(samples: Path) -> Counter[str]:
    """Samples per PROFILE category from py-spy's raw output (a stack and a count a line)."""
    found: Counter[str] = Counter()
    for line in samples.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")[::-1]
        category = next(
            (
                name
                for frame in frames
                for name, patterns in PROFILE
                if any(p in frame for p in patterns)
            ),
            OTHER,
        )
        found[category] += int(count)
    return found


def run_once(
    settings: Settings, clients: int, seconds: float, readers: int, profile: Path | None = None
) -> Run:
    database = Database(settings)
    try:
        floor = set_up(database, clients)
    finally:
        database.dispose()
    port = free_port()
    process = serve(settings, port)
    url = f"http://127.0.0.1:{port}"
    try:
        # Warm: what the first requests load once (the region file, the mappers' setup).
        httpx.get(f"{url}/api/v1/lots/{floor.lot_id}", timeout=60).raise_for_status()
        top, top_cpu = uvloop.run(ceiling(url, clients, min(seconds, 2.0)))
        spy = None
        if profile is not None and (tool := py_spy()) is not None:
            profile.parent.mkdir(parents=True, exist_ok=True)
            samples = profile
            every = ["--gil", "--rate", "250", "--duration", str(max(1, int(seconds)))]
            spy = subprocess.Popen(
                [
                    tool,
                    "record",
                    "--pid",
                    str(process.pid),
                    *every,
                    "--format",
                    "raw",
                    "-o",
                    str(samples),
                    "--nonblocking",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        before = cpu_seconds(process.pid), cpu_seconds(process.pid, process.pid)
        run = uvloop.run(hammer(url, floor, seconds, readers))
        run.server_cpu = cpu_seconds(process.pid) - before[0]
        run.loop_cpu = cpu_seconds(process.pid, process.pid) - before[1]
        run.load = os.getloadavg()[0]
        run.ceiling, run.ceiling_cpu = top, top_cpu
        if spy is not None and spy.wait(timeout=60) == 0:
            run.profile = profile_of(samples)
        return run
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def bid_runs(
    postgres_url: str | None,
    clients: int,
    seconds: float,
    runs: int,
    readers: int,
    profile: Path | None = None,
) -> list[Run]:
    """`runs` runs, each on a fresh database (SQLite, or PostgreSQL with a URL); with a
    profile folder, each run's samples go to a file in it."""
    results = []
    name = "postgresql" if postgres_url else "sqlite"
    for n in range(runs):
        samples = profile / f"{name}-{n + 1}.txt" if profile is not None else None
        with fresh_database(postgres_url, str(n)) as settings:
            results.append(run_once(settings, clients, seconds, readers, samples))
    return results


def print_profile(columns: dict[str, list[Run]]) -> None:
    """The share of the server's samples (holding the GIL) in each PROFILE category."""
    totals = {
        name: sum((r.profile for r in runs), Counter[str]()) for name, runs in columns.items()
    }
    if not any(totals.values()):
        print("no profile: install py-spy (pip install py-spy) for --profile")
        return
    table = Table(
        "where a bid's time goes (server, py-spy --gil)",
        *(f"{name} ({sum(t.values())} samples)" for name, t in totals.items()),
        title="Server profile during the bid runs: share of samples of the thread holding the "
        "GIL (the database's own C code runs without it, so SQLite/libpq time shows only as "
        "the Python around it)",
    )
    for category in [name for name, _ in PROFILE] + [OTHER]:
        shares = [t[category] / max(1, sum(t.values())) * 100 for t in totals.values()]
        table.add_row(category, *(f"{share:.1f}%" for share in shares))
    Console(width=160).print(table)


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
        f"{med(r.server_cpu / r.bids * 1000 for r in runs):.2f} "
        f"({med(r.loop_cpu / r.bids * 1000 for r in runs):.2f})",
        f"{med(r.client_cpu / r.bids * 1000 for r in runs):.2f}",
        f"{med(r.ceiling for r in runs):,.0f} ({med(r.ceiling_cpu for r in runs):.2f})",
        " ".join(f"{r.load:.1f}" for r in runs),
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
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="sample the server with py-spy during the bid runs, print where the time goes and "
        "keep the samples in DIR (collapsed stacks, one file a run, for a flame graph)",
    )
    parser.add_argument(
        "--port", type=int, default=0, help="the port the servers listen on (default: any free)"
    )
    args = parser.parse_args()
    global PORT
    PORT = args.port
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
        "server CPU ms/bid (event loop)",
        "client CPU ms/bid",
        "client ceiling req/s (ms)",
        "load (1 min)",
        title=f"Bid path: {args.clients} bidders on one lot, {args.readers} readers attached, "
        f"{args.seconds:g} s × {args.runs} runs (medians; load: each run's); yardstick: tiny "
        f"write transactions one Python process commits (SQLite WAL synchronous=FULL: "
        f"{full:,.0f}/s); client ceiling: GET /healthz through the same server and client "
        f"({args.clients} connections), with the client's CPU ms per request; "
        f"{os.cpu_count()} CPUs, load before: {os.getloadavg()[0]:.1f}",
    )
    sqlite_runs = bid_runs(None, args.clients, args.seconds, args.runs, args.readers, args.profile)
    table.add_row(*row("SQLite (WAL, synchronous=NORMAL)", normal, sqlite_runs))
    columns = {"SQLite": sqlite_runs}
    if args.postgres_url:
        pg = med(yardstick_postgres(args.postgres_url, 2) for _ in range(args.runs))
        pg_runs = bid_runs(
            args.postgres_url, args.clients, args.seconds, args.runs, args.readers, args.profile
        )
        table.add_row(*row("PostgreSQL", pg, pg_runs))
        columns["PostgreSQL"] = pg_runs
    Console(width=220).print(table)
    if args.profile is not None:
        print_profile(columns)


if __name__ == "__main__":
    main()
