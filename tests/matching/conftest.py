"""Fixtures of the match-index tests: the registry of the test's database, and fresh ones."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.matching.live.indexes import IndexRegistry, registry_for

OpenDatabase = Callable[[], Database]


@pytest.fixture
def registry(database: Database) -> IndexRegistry:
    """The match indexes of the test's database, as the app and the CLI reach them."""
    return registry_for(database)


@pytest.fixture
def other_database(settings: Settings) -> Iterator[OpenDatabase]:
    """Opens another handle on the same database and data directory, as another process would:
    its own engine, and its own match indexes read from the snapshot and the change log."""
    opened: list[Database] = []

    def open_() -> Database:
        database = Database(settings)
        opened.append(database)
        return database

    yield open_
    for database in opened:
        database.dispose()
