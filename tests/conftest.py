"""Shared fixtures: a fresh, migrated database per test, on SQLite or PostgreSQL.

`pytest` runs on SQLite; `pytest --db=postgresql` runs the same suite on the PostgreSQL server
named by FACTORLINK_TEST_POSTGRES_URL (`make test` does both when that variable is set). Each
test gets an empty database and leaves nothing behind.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from factorlink.api.app import create_app
from factorlink.config import Settings, get_settings
from factorlink.db.base import Base
from factorlink.db.engine import make_engine
from factorlink.db.migrate import upgrade_to_head
from factorlink.db.session import Database

pytest_plugins = ["tests.factories"]

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="database backend the suite runs against",
    )
    parser.addoption(
        "--search-backend",
        choices=("local", "milvus"),
        default=os.environ.get("FACTORLINK_TEST_SEARCH_BACKEND", "local"),
        help="matching's search backend: local indexes, or Milvus Lite (a file per test)",
    )


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--db"))


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def postgres_url(backend: str) -> Iterator[str | None]:
    """A fresh PostgreSQL database for this test process, dropped at the end."""
    if backend != "postgresql":
        yield None
        return
    base = os.environ.get("FACTORLINK_TEST_POSTGRES_URL")
    if not base:
        pytest.exit("--db=postgresql needs FACTORLINK_TEST_POSTGRES_URL", returncode=2)
    url = make_url(Settings(database_url=base).effective_database_url)
    name = f"factorlink_test_{_worker()}_{os.getpid()}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    test_url = url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(Settings(database_url=test_url))
    upgrade_to_head(engine)
    engine.dispose()
    yield test_url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory, backend: str) -> Path | None:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    if backend != "sqlite":
        return None
    data_dir = tmp_path_factory.mktemp("template")
    engine = make_engine(Settings(data_dir=data_dir))
    upgrade_to_head(engine)
    engine.dispose()
    return data_dir / "factorlink.db"


@pytest.fixture(scope="session")
def search_backend(request: pytest.FixtureRequest) -> str:
    """local, or milvus (`--search-backend=milvus`: a Milvus Lite file per test, synced inline)."""
    return str(request.config.getoption("--search-backend"))


@pytest.fixture
def settings(
    tmp_path: Path, postgres_url: str | None, sqlite_template: Path | None, search_backend: str
) -> Settings:
    """Settings for one test: its own data directory and an empty, migrated database."""
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    if sqlite_template is not None:
        shutil.copy(sqlite_template, data_dir / "factorlink.db")
    # Lexical matching by default: the encoder's own tests (tests/matching) turn it on.
    settings = Settings(data_dir=data_dir, database_url=postgres_url, matching_encoder="none")
    if search_backend == "milvus":
        update = {"search_url": str(tmp_path / "search.db"), "search_sync": "inline"}
        settings = settings.model_copy(update=update)
    return settings


def _truncate_all(database: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with database.engine.begin() as conn:
        # The auctions' append-only tables refuse TRUNCATE by trigger; a superuser's replica
        # role fires no triggers (README, Auctions).
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    """The test's database; emptied afterwards on PostgreSQL (SQLite files go with tmp_path)."""
    db = Database(settings)
    yield db
    if db.engine.dialect.name == "postgresql":
        _truncate_all(db)
    db.dispose()


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """A unit of work committed at the end of the test body, like a request's."""
    with database.unit_of_work() as s:
        yield s


@pytest.fixture
def client(settings: Settings, database: Database) -> Iterator[TestClient]:
    """An HTTP client for the app, on the test's database."""
    with TestClient(create_app(settings, database)) as c:
        yield c


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Points the `factorlink` command at the test's database through the environment."""
    monkeypatch.setenv("FACTORLINK_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("FACTORLINK_MATCHING_ENCODER", settings.matching_encoder)
    monkeypatch.setenv("FACTORLINK_SEARCH_URL", settings.search_url)
    monkeypatch.setenv("FACTORLINK_SEARCH_SYNC", settings.search_sync)
    if settings.matching_vector_store is not None:
        monkeypatch.setenv("FACTORLINK_MATCHING_VECTOR_STORE", str(settings.matching_vector_store))
    if settings.database_url:
        monkeypatch.setenv("FACTORLINK_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("FACTORLINK_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or a skip where it is absent (a user's clone)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA} (present in CI)")
    return SHARED_DATA
