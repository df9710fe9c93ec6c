"""The database handle and the unit of work: the one place that commits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from factorlink.config import Settings, settings_scope
from factorlink.db.checkpoints import WAL_AUTOCHECKPOINT, BackgroundCheckpoints
from factorlink.db.engine import make_engine
from factorlink.db.migrate import upgrade_to_head


def log_match_changes(sessions: sessionmaker[Session]) -> None:
    """Every write of a factor in these sessions also logs a match change, in the same
    transaction, for the match indexes to replay (matching/live/changes.py)."""
    # Imported here: the party tables import every domain, and domains import this module.
    from factorlink.matching.live import changes
    from factorlink.models import PARTY_MODELS

    changes.install(sessions, PARTY_MODELS)


class Database:
    """An engine, migrated on first use, and a factory of units of work."""

    def __init__(
        self, settings: Settings, *, migrate: bool = True, background_checkpoints: bool = False
    ) -> None:
        """`background_checkpoints`: a server's database; on a SQLite file, its log is
        checkpointed by a thread of its own rather than in the commits (`db.checkpoints`),
        from `start_checkpoints` until `dispose`."""
        self.settings = settings
        self.checkpoints: BackgroundCheckpoints | None = None
        self._background_checkpoints = background_checkpoints and _is_sqlite_file(settings)
        autocheckpoint = WAL_AUTOCHECKPOINT if self._background_checkpoints else None
        self.engine: Engine = make_engine(settings, wal_autocheckpoint=autocheckpoint)
        if migrate:
            upgrade_to_head(self.engine)
        # Each session knows its database, so services can reach per-database state (indexes).
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, info={"database": self})
        log_match_changes(self._sessions)
        self._on_dispose: list[Callable[[], None]] = []

    @contextmanager
    def unit_of_work(self, *, immediate: bool = False) -> Iterator[Session]:
        """Yields a session; commits if the block succeeds, rolls back if it raises.

        `immediate` takes SQLite's write lock before the first read (BEGIN IMMEDIATE), for a
        unit that reads, decides and writes without interleaving; on PostgreSQL such a unit
        locks its rows (SELECT … FOR UPDATE) instead. The block runs under the database's
        settings (`config.settings_scope`): the reference data and fit rules it reads are theirs.
        """
        with settings_scope(self.settings):
            session = self._sessions()
            try:
                if immediate and self.engine.dialect.name == "sqlite":
                    session.connection().exec_driver_sql("BEGIN IMMEDIATE")
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    def on_dispose(self, callback: Callable[[], None]) -> None:
        """Runs the callback when the database is disposed (e.g. to close its indexes)."""
        self._on_dispose.append(callback)

    def start_checkpoints(self) -> None:
        """Starts checkpointing the log in the background, if this is a server's database on
        a SQLite file (see `__init__`) and it has not started yet."""
        if not self._background_checkpoints or self.checkpoints is not None:
            return
        path = self.engine.url.database
        assert path is not None
        self.checkpoints = BackgroundCheckpoints(path)
        self.checkpoints.start()

    def dispose(self) -> None:
        """Closes what hangs on the database, then every pooled connection."""
        while self._on_dispose:
            self._on_dispose.pop()()
        if self.checkpoints is not None:
            self.checkpoints.stop()
            self.checkpoints = None
        self.engine.dispose()


def _is_sqlite_file(settings: Settings) -> bool:
    url = make_url(settings.effective_database_url)
    return url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
