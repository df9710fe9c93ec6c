"""Fixtures of the live matching tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from factorlink.config import Settings
from factorlink.matching.live.vectorstore import TABLE


@pytest.fixture
def shared_store_url(settings: Settings) -> Iterator[str]:
    """The test's PostgreSQL database as the vector store every machine shares (its table
    dropped afterwards); skipped on SQLite."""
    url = settings.database_url
    if not url:
        pytest.skip("a vector store in PostgreSQL: run in the PostgreSQL pass")
    yield url
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))
    engine.dispose()
