"""A limit on imports per user (API and web page together), on the lead limiter's sliding window.

Dry runs count as imports: an operator trying thousands of files to learn what is stored (the
equality oracle of issue 13) is slowed down to the limit, whatever the answers say.
"""

from __future__ import annotations

from factorlink.auth.viewer import Viewer
from factorlink.errors import RateLimited
from factorlink.lead.ratelimit import SlidingWindowLimiter, retry_after_header


def check_import_rate(limiter: SlidingWindowLimiter, viewer: Viewer) -> None:
    """Counts one import (or dry run) of a user; over the limit is RateLimited (429) with
    Retry-After."""
    wait = limiter.hit(f"user:{viewer.user_id}")
    if wait is not None:
        seconds = retry_after_header(wait)
        raise RateLimited(
            f"导入过于频繁,请{seconds}秒后再试",
            message_en=f"Too many imports; retry after {seconds} s",
            headers={"Retry-After": seconds},
        )
