"""Engine creation: SQLite by default, PostgreSQL when configured."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from factorlink.config import Settings


def _sqlite_pragmas(wal_autocheckpoint: int | None) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        if wal_autocheckpoint is not None:
            cursor.execute(f"PRAGMA wal_autocheckpoint={int(wal_autocheckpoint)}")
        cursor.close()

    return on_connect


def _json_dumps(value: Any) -> str:
    # Keep Chinese readable in the database, so text search over JSON lists works.
    return json.dumps(value, ensure_ascii=False)


def make_engine(settings: Settings, *, wal_autocheckpoint: int | None = None) -> Engine:
    """Creates the engine for the configured database, making the data directory if needed.

    On SQLite, `wal_autocheckpoint` sets the pages of log past which a commit checkpoints
    (SQLite's default, 1,000, if None): see `db.checkpoints`."""
    url = make_url(settings.effective_database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 10},
            json_serializer=_json_dumps,
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_pragmas(wal_autocheckpoint))
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        json_serializer=_json_dumps,
        # Statement parameters carry contact names and mobiles: keep them out of error messages.
        hide_parameters=True,
    )
