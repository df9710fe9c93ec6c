"""The corridor's clock: times are stored in UTC and shown, or read when typed without a zone,
in Beijing time (UTC+8, no daylight saving)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8))
# How a time is written for people: to the minute.
MINUTE = "%Y-%m-%d %H:%M"


def beijing(at: datetime | None, fmt: str = MINUTE) -> str:
    """A stored time as Beijing time ("" for none): the one formatter of pages, exports and
    the command line. A time without a zone is a stored one, so UTC."""
    if at is None:
        return ""
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone(BEIJING).strftime(fmt)
