"""Migrations: a new database is created on first use, and the models match the migrations."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

import factorlink.models  # noqa: F401
from factorlink.config import Settings
from factorlink.db.base import Base
from factorlink.db.migrate import alembic_config, current_revision, head_revision
from factorlink.db.session import Database
from factorlink.lead.models import Lead, LeadType


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


def _lead_columns(database: Database) -> set[str]:
    return {c["name"] for c in inspect(database.engine).get_columns("leads")}


def test_lead_district_migration_down_and_up_keeps_the_leads(database: Database) -> None:
    config = alembic_config(database.engine)
    with database.unit_of_work() as session:
        lead = Lead(lead_type=LeadType.space, need="厂房", consent=True, city="huzhou")
        lead.district = "长兴县"
        session.add(lead)
    try:
        command.downgrade(config, "0003")
        assert current_revision(database.engine) == "0003"
        assert "district" not in _lead_columns(database)
        with database.engine.connect() as connection:
            rows = connection.execute(text("SELECT need, city FROM leads")).all()
        assert [tuple(r) for r in rows] == [("厂房", "huzhou")]
    finally:
        command.upgrade(config, "head")
    assert current_revision(database.engine) == head_revision()
    assert "district" in _lead_columns(database)
    with database.engine.connect() as connection:
        rows = connection.execute(text("SELECT city, district FROM leads")).all()
    # The district written before the downgrade went with its column; the lead stayed.
    assert [tuple(r) for r in rows] == [("huzhou", None)]


def test_lead_receipts_migration_gives_stored_leads_a_reference(database: Database) -> None:
    config = alembic_config(database.engine)
    command.downgrade(config, "0007")
    try:
        with database.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO leads (lead_type, need, preferred_cities, status, consent, "
                    "source, created_at, updated_at) VALUES ('space', '厂房', '[]', 'new', "
                    "true, 'api', '2026-03-01 08:00:00', '2026-03-01 08:00:00')"
                )
            )
    finally:
        command.upgrade(config, "head")
    with database.engine.connect() as connection:
        (reference,) = connection.execute(text("SELECT reference FROM leads")).one()
    assert reference.startswith("G60-20260301-") and len(reference) == 17
    assert "lead_links" in inspect(database.engine).get_table_names()
