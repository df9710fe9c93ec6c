"""Alembic environment: uses the engine handed over by factorlink.db.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import factorlink.models  # noqa: F401  (registers every table on the metadata)
from factorlink.config import get_settings
from factorlink.db.base import Base
from factorlink.db.engine import make_engine

config = context.config
engine: Engine = config.attributes.get("engine") or make_engine(get_settings())

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
