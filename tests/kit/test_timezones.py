"""The corridor's clock: one formatter of Beijing time for pages, exports and the CLI."""

from __future__ import annotations

from datetime import UTC, datetime

from factorlink.kit.timezones import beijing


def test_a_stored_time_is_written_in_beijing_time() -> None:
    evening = datetime(2026, 3, 1, 17, 5, tzinfo=UTC)
    assert beijing(evening) == "2026-03-02 01:05"  # the next day in the corridor
    assert beijing(evening, "%Y-%m-%d") == "2026-03-02"
    assert beijing(evening.replace(tzinfo=None)) == "2026-03-02 01:05"  # stored: UTC
    assert beijing(None) == ""
