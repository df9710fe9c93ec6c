"""The corridor's clock: times are stored in UTC and shown, or read when typed without a zone,
in Beijing time (UTC+8, no daylight saving)."""

from __future__ import annotations

from datetime import timedelta, timezone

BEIJING = timezone(timedelta(hours=8))
