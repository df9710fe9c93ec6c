"""The one clock of the auctions: bid time is when the server receives the bid."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from factorlink.db.base import utcnow

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, in UTC."""
    return utcnow()
