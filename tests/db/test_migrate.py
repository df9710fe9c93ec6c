"""Migrations: a new database is created on first use, and the models match the migrations."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import factorlink.models  # noqa: F401
from factorlink.config import Settings
from factorlink.db.base import Base
from factorlink.db.migrate import current_revision, head_revision
from factorlink.db.session import Database


def test_new_sqlite_database_is_created_and_migrated(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh" / "var"
    database = Database(Settings(data_dir=data_dir))
    try:
        assert (data_dir / "factorlink.db").is_file()
        assert current_revision(database.engine) == head_revision()
        tables = set(inspect(database.engine).get_table_names())
        assert {"organizations", "achievements", "leads", "introductions", "users"} <= tables
    finally:
        database.dispose()


def test_models_match_the_migrations(database: Database) -> None:
    with database.engine.connect() as connection:
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []


def test_second_open_is_a_no_op(settings: Settings, database: Database) -> None:
    again = Database(settings)
    try:
        assert current_revision(again.engine) == head_revision()
    finally:
        again.dispose()
