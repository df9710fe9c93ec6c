"""The per-client sliding window on lead intake: the limiter itself, and through HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from factorlink.api.app import create_app
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.lead.ratelimit import SlidingWindowLimiter, retry_after_header
from tests.introduction.builders import LEAD


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limiter_allows_the_limit_then_says_how_long_to_wait() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(3, 60, clock)
    assert [limiter.hit("a") for _ in range(3)] == [None, None, None]
    clock.now += 10
    assert limiter.hit("a") == pytest.approx(50)
    assert limiter.hit("b") is None


def test_the_window_slides() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(2, 60, clock)
    limiter.hit("a")
    clock.now += 30
    limiter.hit("a")
    clock.now += 29
    assert limiter.hit("a") == pytest.approx(1)
    clock.now += 1  # the first hit has left the window
    assert limiter.hit("a") is None
    assert limiter.hit("a") == pytest.approx(30)


def test_retry_after_is_whole_seconds_at_least_one() -> None:
    assert retry_after_header(0.2) == "1"
    assert retry_after_header(49.1) == "50"


@pytest.fixture
def limited_app(settings: Settings, database: Database) -> Iterator[FastAPI]:
    """An app allowing 3 leads per client per hour."""
    app = create_app(
        settings.model_copy(update={"lead_rate_limit": 3, "lead_rate_window_seconds": 3600}),
        database,
    )
    with TestClient(app):
        yield app


def test_over_the_limit_is_429_with_retry_after_and_others_are_unaffected(
    limited_app: FastAPI,
) -> None:
    one = TestClient(limited_app, client=("203.0.113.7", 50000))
    other = TestClient(limited_app, client=("198.51.100.9", 50000))
    for _ in range(3):
        assert one.post("/api/v1/leads", json=LEAD).status_code == 201
    refused = one.post("/api/v1/leads", json=LEAD)
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert 3590 <= int(refused.headers["retry-after"]) <= 3600
    assert refused.json()["type"] == "/problems/rate-limited"
    assert other.post("/api/v1/leads", json=LEAD).status_code == 201


def test_only_accepted_leads_count(limited_app: FastAPI) -> None:
    # Four typos do not lock the visitor out: refused leads are not counted.
    client = TestClient(limited_app, client=("203.0.113.8", 50000))
    for _ in range(4):
        assert client.post("/api/v1/leads", json={"need": "x"}).status_code == 422
        assert client.post("/api/v1/leads", json={**LEAD, "consent": False}).status_code == 422
    for n in range(3):
        assert client.post("/api/v1/leads", json={**LEAD, "need": f"需求{n}"}).status_code == 201
    assert client.post("/api/v1/leads", json={**LEAD, "need": "又一个"}).status_code == 429


def test_a_refused_lead_is_taken_back_from_the_window() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(2, 60, clock)
    assert limiter.hit("a") is None
    clock.now += 1
    assert limiter.hit("a") is None
    limiter.unhit("a")
    assert limiter.hit("a") is None
    assert limiter.hit("a") == pytest.approx(59)
    limiter.unhit("nobody")  # nothing to take back


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(limited_app: FastAPI) -> None:
    client = TestClient(limited_app, client=("203.0.113.9", 50000))
    for n in range(3):
        spoofed = {"X-Forwarded-For": f"10.0.0.{n}"}
        assert client.post("/api/v1/leads", json=LEAD, headers=spoofed).status_code == 201
    fresh = {"X-Forwarded-For": "10.0.0.99"}
    assert client.post("/api/v1/leads", json=LEAD, headers=fresh).status_code == 429


@pytest.fixture
def proxied(settings: Settings, database: Database) -> Iterator[TestClient]:
    """A client reaching an app, allowing 2 leads per client, through a trusted proxy."""
    trusted = settings.model_copy(update={"lead_rate_limit": 2, "trusted_proxy": True})
    with TestClient(create_app(trusted, database), client=("127.0.0.1", 1)) as proxy:
        yield proxy


def test_behind_a_trusted_proxy_the_hop_the_proxy_appended_is_the_client(
    proxied: TestClient,
) -> None:
    # The proxy appends the address it saw; whatever comes before it is the client's to write.
    for n in range(2):
        spoofed = {"X-Forwarded-For": f"10.0.0.{n}, 198.51.100.1"}
        assert proxied.post("/api/v1/leads", json=LEAD, headers=spoofed).status_code == 201
    again = {"X-Forwarded-For": "10.9.9.9, 172.16.0.1, 198.51.100.1"}
    assert proxied.post("/api/v1/leads", json=LEAD, headers=again).status_code == 429
    plain = {"X-Forwarded-For": "198.51.100.1"}
    assert proxied.post("/api/v1/leads", json=LEAD, headers=plain).status_code == 429
    other = {"X-Forwarded-For": "10.0.0.0, 198.51.100.2"}
    assert proxied.post("/api/v1/leads", json=LEAD, headers=other).status_code == 201


def test_a_proxy_adding_its_own_header_line_is_read_after_the_clients(
    proxied: TestClient,
) -> None:
    # Some proxies (HAProxy's forwardfor) add a header line rather than extend the client's.
    for n in range(2):
        lines = [("X-Forwarded-For", f"10.0.1.{n}"), ("X-Forwarded-For", "198.51.100.3")]
        assert proxied.post("/api/v1/leads", json=LEAD, headers=lines).status_code == 201
    lines = [("X-Forwarded-For", "10.0.1.7"), ("X-Forwarded-For", "198.51.100.3")]
    assert proxied.post("/api/v1/leads", json=LEAD, headers=lines).status_code == 429


def test_without_a_forwarded_header_the_proxy_peer_is_counted(proxied: TestClient) -> None:
    for _ in range(2):
        assert proxied.post("/api/v1/leads", json=LEAD).status_code == 201
    blank = {"X-Forwarded-For": " "}
    assert proxied.post("/api/v1/leads", json=LEAD, headers=blank).status_code == 429
