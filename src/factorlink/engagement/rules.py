"""Which page reads count as views (pure): not a robot's, not a reload by the same browser.

A browser that read a listing's page keeps its key in a short-lived cookie (the last SEEN_MAX
pages, SEEN_SECONDS); a read whose key is already there is a reload or a back-and-forth, not a
new view. Robots announce themselves in their User-Agent, and most keep no cookie, so they are
told by the former. Nothing is stored on the server but the counter.
"""

from __future__ import annotations

import re

SEEN_COOKIE = "factorlink_seen"
SEEN_SECONDS = 30 * 60
SEEN_MAX = 40
_ROBOT = re.compile(
    r"bot|crawl|spider|slurp|archiver|curl|wget|python|httpx|okhttp|java/|go-http|headless|"
    r"lighthouse|pingdom|monitor|preview|scanner|facebookexternalhit|bytespider|yisouspider",
    re.IGNORECASE,
)
_KEY = re.compile(r"^[a-z]{1,3}\d{1,12}$")


def is_robot(user_agent: str | None) -> bool:
    """Whether a User-Agent is a robot's (or missing, as scripts' often is)."""
    return not user_agent or _ROBOT.search(user_agent) is not None


def view_key(kind: str, listing_id: int) -> str:
    """A listing's short key in the cookie: the kind's first letters and the id ("ca12")."""
    return f"{kind[:2]}{listing_id}"


def seen_keys(cookie: str | None) -> list[str]:
    """The keys a cookie holds, oldest first; anything malformed is dropped."""
    return [k for k in (cookie or "").split(".") if _KEY.match(k)][-SEEN_MAX:]


def read(cookie: str | None, user_agent: str | None, key: str) -> tuple[bool, str]:
    """Whether this read counts as a view, and the cookie's next value (the key last)."""
    keys = seen_keys(cookie)
    counts = not is_robot(user_agent) and key not in keys
    keys = [k for k in keys if k != key] + [key]
    return counts, ".".join(keys[-SEEN_MAX:])
