"""When a stored recommendation may stand in for a live search, and a run's pace (pure)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Share:
    """One of `shards` shares of the listings, those whose id % shards == shard: N processes
    (on N machines) each run one share of a night's recommendations (`--shard I/N`)."""

    shard: int = 0
    shards: int = 1

    def __post_init__(self) -> None:
        if self.shards < 1 or not 0 <= self.shard < self.shards:
            raise ValueError(f"share {self.shard}/{self.shards}: need 0 <= shard < shards")

    def __str__(self) -> str:
        return f"{self.shard}/{self.shards}"


WHOLE = Share()


@dataclass(frozen=True)
class Stamp:
    """How a stored recommendation was computed."""

    computed_at: datetime
    k: int
    depth: int
    method: str
    encoder: str


@dataclass(frozen=True)
class Wanted:
    """What a page or the API asks for, and under which settings it is served."""

    limit: int
    depth: int
    method: str
    encoder: str
    max_age: timedelta


def usable(stamp: Stamp, wanted: Wanted, now: datetime) -> bool:
    """Whether a stored recommendation answers a request as a live search would (but for
    changes since, which the caller checks by fingerprint): young enough, computed by the
    same method and encoder, holding at least the matches asked for, from the same candidate
    pool (the pool grows with the limit past 10, and a deeper pool may rank differently)."""
    if wanted.max_age <= timedelta(0):
        return False
    age = now - stamp.computed_at
    return (
        timedelta(0) <= age < wanted.max_age
        and wanted.limit <= stamp.k
        and wanted.depth == stamp.depth
        and wanted.method == stamp.method
        and wanted.encoder == stamp.encoder
    )


def still_fresh(stamp: Stamp, now: datetime, fresh_for: timedelta) -> bool:
    """Whether a run may skip a listing whose recommendation is this young (`--fresh-for`)."""
    return timedelta(0) <= now - stamp.computed_at < fresh_for


def fingerprint(parts: Sequence[str]) -> int:
    """A signed 64-bit fingerprint of a factor's parts (its text, its facts, its owner): what
    ranking read of it, so any change that could move it changes the fingerprint."""
    raw = "\x1e".join(parts).encode()
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "little", signed=True)


@dataclass(frozen=True)
class Pace:
    """How fast a run goes in this invocation, and how long the rest will take."""

    done: int
    total: int
    rate: float
    eta_seconds: float | None


def pace(done: int, total: int, done_at_start: int, elapsed: float) -> Pace:
    """Listings per second since this invocation started, and the time the rest needs."""
    total = max(total, done)
    rate = (done - done_at_start) / elapsed if elapsed > 0 else 0.0
    eta = (total - done) / rate if rate > 0 else None
    return Pace(done, total, rate, eta)


def duration_text(seconds: float | None) -> str:
    """A duration as people read it: 45秒, 12分03秒, 3时05分."""
    if seconds is None:
        return "—"
    s = round(seconds)
    if s < 60:
        return f"{s}秒"
    if s < 3600:
        return f"{s // 60}分{s % 60:02d}秒"
    return f"{s // 3600}时{s % 3600 // 60:02d}分"
