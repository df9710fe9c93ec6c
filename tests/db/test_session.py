"""The unit of work: `immediate=True` holds SQLite's write lock from the start; a unit runs
under its database's settings."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import inspect, text

from factorlink.config import current_settings
from factorlink.db.session import Database


def test_immediate_unit_of_work_holds_the_write_lock(database: Database) -> None:
    if database.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL units lock rows instead")
    path = database.engine.url.database
    assert path
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with database.unit_of_work(immediate=True) as session:
            session.execute(text("SELECT 1"))
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released at commit
        other.execute("ROLLBACK")
        with database.unit_of_work() as session:
            session.execute(text("SELECT 1"))
            other.execute("BEGIN IMMEDIATE")  # a plain unit takes no lock for reading
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_immediate_unit_of_work_rolls_back_on_error(database: Database) -> None:
    with pytest.raises(RuntimeError), database.unit_of_work(immediate=True) as session:
        session.execute(text("CREATE TABLE scratch (x INTEGER)"))
        raise RuntimeError("boom")
    assert not inspect(database.engine).has_table("scratch")


def test_a_unit_of_work_runs_under_its_databases_settings(database: Database) -> None:
    assert current_settings() is not database.settings
    with database.unit_of_work():
        assert current_settings() is database.settings
    assert current_settings() is not database.settings
