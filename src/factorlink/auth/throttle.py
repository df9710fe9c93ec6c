"""Failed-login throttling per client and per account, kept in this process's memory (pure).

The design follows OWASP's Authentication and Credential Stuffing cheat sheets: slow guessing
down without handing strangers a way to lock somebody else out. Three counters of failures
within a sliding window (15 minutes), all fed by every failed login, known username or not:

- per client and account (the client's address with the folded username): after 5 failures
  that client may not try that account again until the oldest failure leaves the window. This
  is the lock people know, but it only ever locks the client that failed: five wrong passwords
  from address A leave the right password from address B working.
- per client, across usernames: after 20 failures that client may not log in at all until the
  window moves on. One password sprayed over many usernames (or a list of stolen pairs tried
  one each) is caught here, where the per-account counters never reach their limit.
- per account, across clients: 10 failures mean the account is being guessed at from several
  places. It is *not* locked: a client that has not failed on it logs in as usual, so the
  owner keeps getting in. A client that has failed on it must now wait between its attempts,
  30 seconds after its first failure, doubling with each one (30 s, 60 s, 120 s, 240 s) until
  the per-client-and-account limit is reached: a delay, never a lock, and only for clients
  that guessed wrong while the account is under attack.

A success clears the failures of that client on that account, nothing else: logging in to
one's own account must not wipe a sprayer's count, and an attacked account stays on alert.

What this cannot do alone: an attacker with very many addresses gets a few guesses from each.
The cheat sheets' next steps are a second factor, a challenge (CAPTCHA) once an account is on
alert, and remembering devices that logged in before. The counters live in this process: they
reset on restart and are not shared between worker processes; a shared store (the database or
Redis) is the step up when FactorLink runs several workers. The client's address is whatever
`lead.ratelimit.client_address` says (the peer, or the last X-Forwarded-For entry behind a
trusted proxy).
"""

from __future__ import annotations

import enum
import itertools
import math
import threading
from collections import deque
from dataclasses import dataclass, field

WINDOW_SECONDS = 15 * 60
PAIR_FAILURES = 5
CLIENT_FAILURES = 20
ACCOUNT_ALERT = 10
ATTACK_DELAY_SECONDS = 30.0
# Unknown usernames and addresses are counted too, so each store must not grow without bound.
MAX_TRACKED = 10_000


class Reason(enum.StrEnum):
    """Why a login attempt has to wait."""

    account = "account"  # this client failed too often on this account
    client = "client"  # this client failed too often, across accounts
    attack = "attack"  # the account is under attack and this client has failed on it


@dataclass(frozen=True)
class Wait:
    """A refused attempt: how many seconds to wait, and why."""

    seconds: int
    reason: Reason


@dataclass
class _Store:
    """Failure times by key, each kept to the last `keep` within the window, bounded in size."""

    keep: int
    max_tracked: int
    window: float
    times: dict[str, deque[float]] = field(default_factory=dict)

    def live(self, key: str, now: float) -> deque[float]:
        found = self.times.get(key)
        return self._expire(found, now) if found is not None else deque()

    def add(self, key: str, now: float) -> None:
        if key not in self.times and len(self.times) >= self.max_tracked:
            self._prune(now)
        self._expire(self.times.setdefault(key, deque(maxlen=self.keep)), now).append(now)

    def forget(self, key: str) -> None:
        self.times.pop(key, None)

    def _expire(self, times: deque[float], now: float) -> deque[float]:
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def _prune(self, now: float) -> None:
        for key in list(self.times):
            if not self._expire(self.times[key], now):
                del self.times[key]
        # Still nearly full of live entries: drop the oldest-tracked tenth rather than grow, so
        # the next full pass comes only after as many new keys (a flood costs O(1) per key).
        excess = len(self.times) - self.max_tracked * 9 // 10
        for key in list(itertools.islice(self.times, max(0, excess))):
            del self.times[key]


@dataclass
class LoginThrottle:
    """Refuses or delays logins after recent failures, per client and account, per client, and
    (as a delay for clients that failed) per account under attack."""

    pair_failures: int = PAIR_FAILURES
    client_failures: int = CLIENT_FAILURES
    account_alert: int = ACCOUNT_ALERT
    attack_delay_seconds: float = ATTACK_DELAY_SECONDS
    window_seconds: float = WINDOW_SECONDS
    max_tracked: int = MAX_TRACKED
    _pairs: _Store = field(init=False, repr=False)
    _clients: _Store = field(init=False, repr=False)
    _accounts: _Store = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        window, bound = self.window_seconds, self.max_tracked
        self._pairs = _Store(self.pair_failures, bound, window)
        self._clients = _Store(self.client_failures, bound, window)
        self._accounts = _Store(self.account_alert, bound, window)

    def retry_after(self, client: str, username: str, now: float) -> Wait | None:
        """How long this client must wait before trying this account, or None to go ahead."""
        with self._lock:
            spray = self._clients.live(client, now)
            if len(spray) >= self.client_failures:
                return self._until_expiry(spray, now, Reason.client)
            pair = self._pairs.live(_pair(client, username), now)
            if len(pair) >= self.pair_failures:
                return self._until_expiry(pair, now, Reason.account)
            account = self._accounts.live(_account(username), now)
            if pair and len(account) >= self.account_alert:
                delay = self.attack_delay_seconds * 2 ** (len(pair) - 1)
                wait = pair[-1] + delay - now
                if wait > 0:
                    return Wait(max(1, math.ceil(wait)), Reason.attack)
            return None

    def record_failure(self, client: str, username: str, now: float) -> None:
        """Counts one failed login of a client on an account (known or not)."""
        with self._lock:
            self._pairs.add(_pair(client, username), now)
            self._clients.add(client, now)
            self._accounts.add(_account(username), now)

    def record_success(self, client: str, username: str) -> None:
        """Forgets this client's failures on this account (and nothing else)."""
        with self._lock:
            self._pairs.forget(_pair(client, username))

    def tracked(self) -> int:
        """How many keys the stores hold in all (for tests of the bound)."""
        with self._lock:
            return sum(len(s.times) for s in (self._pairs, self._clients, self._accounts))

    def _until_expiry(self, times: deque[float], now: float, reason: Reason) -> Wait:
        return Wait(max(1, math.ceil(times[0] + self.window_seconds - now)), reason)


def _account(username: str) -> str:
    return username.strip().casefold()


def _pair(client: str, username: str) -> str:
    return f"{client}\x1f{_account(username)}"
