"""Fixtures of the recommendation tests: the sample data set in the test's database."""

from __future__ import annotations

import pytest

from factorlink.db.session import Database
from factorlink.sample.loader import load_sample
from tests.introduction.builders import ADMIN


@pytest.fixture
def sample(database: Database) -> Database:
    """The test's database holding the packaged sample (listings, leads, introductions)."""
    with database.unit_of_work() as session:
        load_sample(session, ADMIN)
    return database
