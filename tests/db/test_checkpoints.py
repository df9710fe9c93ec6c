"""A server's SQLite database checkpoints its log from a thread of its own, off the commit path;
its commits checkpoint only past a larger log (db/checkpoints.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from factorlink.api.app import create_app
from factorlink.config import Settings
from factorlink.db.checkpoints import WAL_AUTOCHECKPOINT
from factorlink.db.session import Database


@pytest.fixture
def server_database(settings: Settings) -> Iterator[Database]:
    db = Database(settings, migrate=False, background_checkpoints=True)
    yield db
    db.dispose()


def autocheckpoint(database: Database) -> int:
    with database.engine.connect() as conn:
        return int(conn.execute(text("PRAGMA wal_autocheckpoint")).scalar_one())


def test_a_server_database_checkpoints_in_the_background(
    server_database: Database, database: Database
) -> None:
    if database.engine.dialect.name != "sqlite":
        server_database.start_checkpoints()
        assert server_database.checkpoints is None  # PostgreSQL checkpoints on its own
        return
    assert autocheckpoint(database) == 1000  # SQLite's default, for commands and tests
    assert autocheckpoint(server_database) == WAL_AUTOCHECKPOINT > 1000
    assert server_database.checkpoints is None  # not before the server starts
    server_database.start_checkpoints()
    checkpoints = server_database.checkpoints
    assert checkpoints is not None and checkpoints.alive()
    with server_database.unit_of_work() as session:
        session.execute(text("CREATE TABLE scratch (x TEXT)"))
        for n in range(50):
            session.execute(text("INSERT INTO scratch VALUES (:x)"), {"x": str(n) * 500})
    busy, log, done = checkpoints.checkpoint()
    assert busy == 0 and log > 0 and done == log  # the committed log, all in the file
    server_database.dispose()
    assert not checkpoints.alive()
    assert checkpoints.checkpoint() == (0, -1, -1)  # stopped: nothing more is done


def test_the_servers_own_app_checkpoints_while_it_runs(settings: Settings) -> None:
    app = create_app(settings)  # no database given: the server's own
    database: Database = app.state.database
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        running = database.checkpoints
        if database.engine.dialect.name == "sqlite":
            assert running is not None and running.alive()
        else:
            assert running is None
    assert database.checkpoints is None  # stopped with the app
    if running is not None:
        assert not running.alive()
