"""The photo files: one per content hash under the data directory, written whole or not at all,
and kept in step with the unit of work whose rows name them.

A file is written to a temporary name in its own folder, flushed to disk and renamed into place
(a rename within one file system is atomic): a reader never sees half a file. The session that
wrote it remembers it: if its unit of work rolls back, the files it created that no committed
row names are removed; after it commits, the files it let go of (a deleted photo) and any it
wrote in vain are removed, again only if no row names them. So a failed upload leaves neither
a row nor a file, and a deleted photo leaves no file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

# A file's public name: its SHA-256 in hex and the extension of its one format.
NAME = re.compile(r"^([0-9a-f]{64})\.webp$")
EXTENSION = "webp"

# Which of the given hashes rows still name (the repository's query, on a fresh connection).
StillUsed = Callable[[Connection, set[str]], set[str]]


def digest(data: bytes) -> str:
    """The content hash a file is named by."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class _Pending:
    """What one session did to the files: created (undone on rollback) and let go (removed
    after commit)."""

    store: PhotoStore
    created: set[str] = field(default_factory=set)
    released: set[str] = field(default_factory=set)


class PhotoStore:
    """The folder of photo files: `<root>/<first two hex digits>/<sha256>.webp`."""

    def __init__(self, root: Path, still_used: StillUsed) -> None:
        self.root = root
        self.still_used = still_used

    def path_of(self, sha256: str) -> Path:
        """Where the file of a hash lives (the hash is checked: no other path comes out)."""
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / f"{sha256}.{EXTENSION}"

    def find(self, name: str) -> Path | None:
        """The file a public name stands for, if it is one of ours and exists."""
        found = NAME.match(name)
        if found is None:
            return None
        path = self.path_of(found.group(1))
        return path if path.is_file() else None

    def put(self, session: Session, data: bytes) -> str:
        """Stores the bytes under their hash (once: the same content is one file), for this
        session's unit of work; returns the hash."""
        sha256 = digest(data)
        path = self.path_of(sha256)
        if path.is_file():
            return sha256
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise
        self._pending(session).created.add(sha256)
        return sha256

    def release(self, session: Session, hashes: Iterable[str]) -> None:
        """Lets files go: removed once the session's unit of work commits, if no row names
        them then."""
        self._pending(session).released.update(hashes)

    def _pending(self, session: Session) -> _Pending:
        pending: _Pending | None = session.info.get(_KEY)
        if pending is None:
            pending = _Pending(self)
            session.info[_KEY] = pending
            event.listen(session, "after_commit", _after_commit)
            event.listen(session, "after_rollback", _after_rollback)
        return pending

    def _remove_unused(self, session: Session, hashes: set[str]) -> None:
        if not hashes:
            return
        bind = session.get_bind()
        engine = bind if isinstance(bind, Engine) else bind.engine
        try:
            with engine.connect() as connection:
                used = self.still_used(connection, set(hashes))
        except Exception:  # the database is unreachable: keep the files rather than guess
            return
        for sha256 in hashes - used:
            with contextlib.suppress(FileNotFoundError):
                self.path_of(sha256).unlink()


_KEY = "factorlink.photo_files"


def _after_commit(session: Session) -> None:
    pending: _Pending | None = session.info.get(_KEY)
    if pending is None:
        return
    # What was let go, and what was written but is named by no row (a caller who caught a
    # failed upload's error and committed the rest).
    hashes = pending.created | pending.released
    pending.created.clear()
    pending.released.clear()
    pending.store._remove_unused(session, hashes)


def _after_rollback(session: Session) -> None:
    pending: _Pending | None = session.info.get(_KEY)
    if pending is None:
        return
    created = set(pending.created)
    pending.created.clear()
    pending.released.clear()
    pending.store._remove_unused(session, created)
