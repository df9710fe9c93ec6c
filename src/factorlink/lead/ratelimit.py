"""A sliding-window limit on leads per client.

The window lives in this process's memory (one limiter per app, built in `create_app`): each
server process counts on its own, and a restart forgets. With N worker processes a client may post
up to N times the limit; a shared store (Redis, the database) would be needed to count across
processes.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi import Request

from factorlink.config import Settings
from factorlink.errors import RateLimited

Clock = Callable[[], float]


class SlidingWindowLimiter:
    """Allows each key at most `limit` hits in any `window` seconds."""

    def __init__(self, limit: int, window: float, clock: Clock = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._calls = 0

    def hit(self, key: str) -> float | None:
        """Counts one hit; returns None if allowed, else the seconds to wait before retrying."""
        now = self._clock()
        with self._lock:
            self._sweep(now)
            hits = self._hits.setdefault(key, deque())
            self._drop_old(hits, now)
            if len(hits) >= self.limit:
                return max(hits[0] + self.window - now, 0.0)
            hits.append(now)
            return None

    def unhit(self, key: str) -> None:
        """Takes back the latest hit of a key: an attempt that was not accepted after all."""
        with self._lock:
            hits = self._hits.get(key)
            if hits:
                hits.pop()

    def _drop_old(self, hits: deque[float], now: float) -> None:
        while hits and hits[0] <= now - self.window:
            hits.popleft()

    def _sweep(self, now: float) -> None:
        # Forget idle clients now and then, so memory follows the active clients only.
        self._calls += 1
        if self._calls % 1000:
            return
        for key in list(self._hits):
            self._drop_old(self._hits[key], now)
            if not self._hits[key]:
                del self._hits[key]


def retry_after_header(seconds: float) -> str:
    """Whole seconds for the Retry-After header, at least 1."""
    return str(max(1, math.ceil(seconds)))


def client_address(request: Request, settings: Settings) -> str:
    """The client's address: the last X-Forwarded-For hop behind a trusted proxy, else the peer.

    A proxy appends the address it received the request from; the entries before it came
    from the client, who can write anything there. Several header lines read as one list.
    """
    if settings.trusted_proxy:
        forwarded = ",".join(request.headers.getlist("x-forwarded-for"))
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.client.host if request.client else "unknown"


def check_lead_rate(limiter: SlidingWindowLimiter, request: Request, settings: Settings) -> None:
    """Counts one attempt of a client at sending a lead (API or web form); over the limit is
    RateLimited (429) with Retry-After."""
    _check(limiter, client_address(request, settings))


@contextmanager
def counted_lead(
    limiter: SlidingWindowLimiter, request: Request, settings: Settings
) -> Iterator[None]:
    """Counts the lead the block stores against its client (RateLimited over the limit, before
    the block runs); a lead the block refuses (a bad field, a failed commit) is taken back, so
    only accepted leads count and a visitor correcting a typo is never locked out."""
    key = client_address(request, settings)
    _check(limiter, key)
    try:
        yield
    except BaseException:
        limiter.unhit(key)
        raise


def _check(limiter: SlidingWindowLimiter, key: str) -> None:
    wait = limiter.hit(key)
    if wait is not None:
        seconds = retry_after_header(wait)
        raise RateLimited(
            f"提交过于频繁,请{seconds}秒后再试",
            message_en=f"Too many leads from this client; retry after {seconds} s",
            headers={"Retry-After": seconds},
        )
