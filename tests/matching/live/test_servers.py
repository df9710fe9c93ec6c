"""Two `factorlink serve` processes on one database and one Milvus: the same matches, and a
listing written through one is found through the other once the sync worker has passed.

A Milvus Lite file opens in one process only (a second `MilvusClient` on it fails with "Open
local milvus failed"), so, as in production with a server, one process serves it
(`milvus-lite server`, Milvus's own gRPC API) and the two web servers and the sync worker reach
it by URL, as they would a Milvus cluster.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from factorlink.config import Settings
from factorlink.db.session import Database
from tests.factories import Actor, MakeActor
from tests.introduction.builders import add_listing

BIN = Path(sys.executable).parent
START_SECONDS = 120
ACHIEVEMENT = {
    "title": "钠离子电池负极硬碳材料制备技术",
    "abstract": "以生物质为前驱体制备硬碳负极,首效大于90%,已完成中试。",
    "keywords": "钠离子电池、硬碳、负极材料",
    "industry": "新能源",
    "trl": "中试",
    "organization": "示例大学",
    "city": "合肥市",
    "contact_name": "李晓明",
    "contact_mobile": "13812345678",
}


_TAKEN: set[int] = set()


def _port() -> int:
    """A free port not handed out before, from this work's range when one is free there."""
    for port in [*range(8300, 8320), 0]:
        if port in _TAKEN:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            _TAKEN.add(int(s.getsockname()[1]))
            return int(s.getsockname()[1])
    raise RuntimeError("no free port")


class Processes:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> None:
        with (self.folder / f"{name}.log").open("ab") as log:
            self.started.append(
                subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
            )

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-2000:] for p in self.folder.glob("*.log"))

    def stop(self) -> None:
        for process in reversed(self.started):
            process.terminate()
        for process in self.started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    running = Processes(tmp_path)
    yield running
    running.stop()


def _wait(url: str, processes: Processes, path: str = "/healthz") -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + path, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if any(p.poll() is not None for p in processes.started):
            break
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not start:\n{processes.log()}")


def _wait_for_milvus(port: int, processes: Processes) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"milvus-lite server did not start:\n{processes.log()}")


def _matches(url: str, demand: int) -> list[tuple[str, int, float]]:
    response = httpx.get(
        f"{url}/api/v1/demands/{demand}/matches", params={"target": "achievement"}, timeout=60
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return [(m["kind"], m["id"], m["score"]) for m in items]


def _milvus(processes: Processes, folder: Path) -> str:
    """A `milvus-lite server` over a file in the folder; its URL."""
    port = _port()
    processes.start(
        "milvus",
        [
            str(BIN / "milvus-lite"), "server", "--data-dir", str(folder / "search.db"),
            "--host", "127.0.0.1", "--port", str(port),
        ],
        dict(os.environ),
    )  # fmt: skip
    _wait_for_milvus(port, processes)
    return f"http://127.0.0.1:{port}"


def _env(settings: Settings, milvus: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTORLINK_")}
    env.update(
        {
            "FACTORLINK_DATA_DIR": str(settings.data_dir),
            "FACTORLINK_MATCHING_ENCODER": "none",
            "FACTORLINK_SEARCH_URL": milvus,
            "FACTORLINK_SEARCH_SYNC_INTERVAL": "0.2",
            "FACTORLINK_LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    if settings.database_url:
        env["FACTORLINK_DATABASE_URL"] = settings.database_url
    return env


def _found_after_sync(url: str, demand: int, new: int, processes: Processes) -> list[Any]:
    """The demand's matches once the new achievement leads them (within a minute)."""
    deadline = time.monotonic() + 60
    found: list[tuple[str, int, float]] = []
    while time.monotonic() < deadline:
        found = _matches(url, demand)
        if found and found[0][1] == new:
            break
        time.sleep(0.3)
    assert found and found[0][:2] == ("achievement", new), processes.log()
    return found


@dataclass(frozen=True)
class Scene:
    """A demand and an achievement in the database, an operator, and a Milvus server."""

    demand: int
    operator: Actor
    milvus: str


@pytest.fixture
def on_postgres(request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("several servers share a PostgreSQL database: run in the PostgreSQL pass")


@pytest.fixture
def on_sqlite(request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--db") == "postgresql":
        pytest.skip("the PostgreSQL pass runs two servers on one database")


@pytest.fixture
def scene(database: Database, make_actor: MakeActor, processes: Processes, tmp_path: Path) -> Scene:
    demand = add_listing(database, "demand", title="钠离子电池负极材料技术需求")
    add_listing(database, "achievement")
    return Scene(demand, make_actor("admin"), _milvus(processes, tmp_path))


@pytest.mark.usefixtures("on_postgres")
def test_two_servers_share_one_milvus(
    settings: Settings, scene: Scene, processes: Processes
) -> None:
    demand, operator = scene.demand, scene.operator
    env = _env(settings, scene.milvus, FACTORLINK_SEARCH_SYNC="off")
    processes.start("sync", [str(BIN / "factorlink"), "search", "sync"], env)
    urls = []
    for name in ("a", "b"):
        port = _port()
        processes.start(name, [str(BIN / "factorlink"), "serve", "--port", str(port)], env)
        urls.append(f"http://127.0.0.1:{port}")
    for url in urls:
        _wait(url, processes)
    a, b = urls
    created = httpx.post(
        f"{a}/api/v1/achievements", json=ACHIEVEMENT, headers=operator.headers, timeout=60
    )
    assert created.status_code == 201, created.text
    new = created.json()["id"]
    found = _found_after_sync(b, demand, new, processes)
    assert _matches(a, demand) == found
    listed = httpx.get(f"{b}/api/v1/achievements", params={"q": "硬碳负极"}, timeout=60)
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["items"]][:1] == [new]


def _workers_of(pid: int) -> list[int]:
    """The worker processes uvicorn's supervisor started (multiprocessing's spawned children)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [
        int(child)
        for child in children
        if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


@pytest.mark.usefixtures("on_sqlite")
def test_serve_with_workers_shares_one_milvus_and_one_sync(
    settings: Settings, scene: Scene, processes: Processes
) -> None:
    """`factorlink serve --workers 2` with the default FACTORLINK_SEARCH_SYNC=background: two
    worker processes on one port, the sync worker in the supervisor, no `search sync` beside."""
    demand, operator = scene.demand, scene.operator
    env = _env(settings, scene.milvus)
    port = _port()
    command = [str(BIN / "factorlink"), "serve", "--port", str(port), "--workers", "2"]
    processes.start("serve", command, env)
    url = f"http://127.0.0.1:{port}"
    _wait(url, processes)
    deadline = time.monotonic() + START_SECONDS
    while len(_workers_of(processes.started[-1].pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    workers = _workers_of(processes.started[-1].pid)
    assert len(workers) == 2, processes.log()
    for worker in workers:  # the workers follow no change log of their own
        environ = Path(f"/proc/{worker}/environ").read_bytes().split(b"\0")
        assert b"FACTORLINK_SEARCH_SYNC=off" in environ
    created = httpx.post(
        f"{url}/api/v1/achievements", json=ACHIEVEMENT, headers=operator.headers, timeout=60
    )
    assert created.status_code == 201, created.text
    found = _found_after_sync(url, demand, created.json()["id"], processes)
    # Every new connection may land on either worker: all give the same answer.
    assert {tuple(_matches(url, demand)) for _ in range(8)} == {tuple(found)}


def test_serve_with_workers_refuses_a_milvus_lite_file(
    settings: Settings, database: Database, tmp_path: Path
) -> None:
    env = _env(settings, str(tmp_path / "search.db"))
    command = [str(BIN / "factorlink"), "serve", "--port", str(_port()), "--workers", "2"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "milvus-lite server" in done.stderr + done.stdout
