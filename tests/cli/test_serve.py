"""`factorlink serve` as a real process: uvicorn believes X-Forwarded-For as the settings say."""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from factorlink.cli.serve import YOUNG_THRESHOLD, settle_collector
from factorlink.config import Settings
from tests.introduction.builders import LEAD

FACTORLINK = Path(sys.executable).with_name("factorlink")
Serve = Callable[..., str]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def serve(cli_env: Settings) -> Iterator[Serve]:
    """Starts `factorlink serve` with extra settings; stops it at the end."""
    started: list[subprocess.Popen[bytes]] = []

    def start(**env: str) -> str:
        port = _free_port()
        process = subprocess.Popen(
            [str(FACTORLINK), "serve", "--port", str(port)],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    return url
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                _, errors = process.communicate()
                raise RuntimeError(f"serve did not start: {errors!r}")
            time.sleep(0.1)

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=30)
        if process.stderr is not None:
            process.stderr.close()


def _post_leads(url: str, count: int) -> list[str]:
    """Posts leads, each claiming another address in X-Forwarded-For: accepted or limited."""
    with httpx.Client(base_url=url, timeout=30) as client:
        statuses = [
            client.post(
                "/api/v1/leads", json=LEAD, headers={"X-Forwarded-For": f"203.0.113.{i}"}
            ).status_code
            for i in range(1, count + 1)
        ]
    assert set(statuses) <= {200, 201, 429}, statuses  # a repeated lead may answer 200
    return ["limited" if s == 429 else "accepted" for s in statuses]


def test_forwarded_for_cannot_bypass_the_lead_limit_without_a_trusted_proxy(serve: Serve) -> None:
    url = serve(FACTORLINK_TRUSTED_PROXY="false", FACTORLINK_LEAD_RATE_LIMIT="5")
    assert _post_leads(url, 12) == ["accepted"] * 5 + ["limited"] * 7


def test_behind_a_trusted_proxy_each_forwarded_client_counts_alone(serve: Serve) -> None:
    url = serve(FACTORLINK_TRUSTED_PROXY="true", FACTORLINK_LEAD_RATE_LIMIT="5")
    assert _post_leads(url, 12) == ["accepted"] * 12


def test_settle_collector_freezes_start_up_and_enlarges_the_young_generation() -> None:
    before = gc.get_threshold()
    try:
        settle_collector()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_THRESHOLD, before[1], before[2])
        assert YOUNG_THRESHOLD > 700  # Python's default, which promoted requests in flight
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
