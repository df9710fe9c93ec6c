"""Failed-login throttling per username, kept in this process's memory (pure).

A simple in-process store: counters reset when the process restarts and are not shared
between worker processes. Enough for one server; a shared store (the database or Redis) is
the step up when FactorLink runs several workers.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass, field

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
# Unknown usernames are throttled too, so the store must not grow without bound.
MAX_TRACKED = 10_000


@dataclass
class LoginThrottle:
    """Refuses logins for a username after too many recent failures."""

    max_failures: int = MAX_FAILURES
    window_seconds: float = WINDOW_SECONDS
    max_tracked: int = MAX_TRACKED
    _failures: dict[str, deque[float]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def retry_after(self, username: str, now: float) -> int | None:
        """Seconds until the username may try again, or None if it may try now."""
        with self._lock:
            times = self._failures.get(_key(username))
            if times is None or len(self._expire(times, now)) < self.max_failures:
                return None
            return max(1, math.ceil(times[0] + self.window_seconds - now))

    def record_failure(self, username: str, now: float) -> None:
        """Counts one failed login."""
        key = _key(username)
        with self._lock:
            if key not in self._failures and len(self._failures) >= self.max_tracked:
                self._prune(now)
            self._expire(
                self._failures.setdefault(key, deque(maxlen=self.max_failures)), now
            ).append(now)

    def reset(self, username: str) -> None:
        """Forgets the failures of a username (after a successful login)."""
        with self._lock:
            self._failures.pop(_key(username), None)

    def _expire(self, times: deque[float], now: float) -> deque[float]:
        while times and times[0] <= now - self.window_seconds:
            times.popleft()
        return times

    def _prune(self, now: float) -> None:
        for key in list(self._failures):
            if not self._expire(self._failures[key], now):
                del self._failures[key]
        while len(self._failures) >= self.max_tracked:
            # Still full of live entries: drop the oldest-tracked one rather than grow.
            del self._failures[next(iter(self._failures))]


def _key(username: str) -> str:
    return username.strip().casefold()
