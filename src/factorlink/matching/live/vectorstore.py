"""Passage vectors kept, keyed by encoder and text, so nothing is encoded twice.

The key is a SHA-256 of the encoder's name and the exact text, the value the float32 bytes.
Rebuilding an index, reindexing after a crash or re-running an evaluation reuses every vector
already computed. Two homes, one interface (`VectorStore`):

- a small SQLite file in the data directory (the default, whatever the main database is): one
  machine's servers, sync worker and `search encode` workers share it;
- a PostgreSQL database (`FACTORLINK_MATCHING_VECTOR_STORE_URL`, table `passage_vectors`): every
  machine's servers, sync worker and encode workers share it, so passages encoded on one machine
  are found by all.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, LargeBinary, bindparam, create_engine, text
from sqlalchemy.dialects.postgresql import ARRAY

from factorlink.config import Settings
from factorlink.matching.retrieval.dense import Encoder, Vectors

BATCH = 16
# Keys asked for in one statement.
CHUNK = 500
TABLE = "passage_vectors"
ARRAY_OF_BYTES = ARRAY(LargeBinary())


def text_key(encoder_name: str, text: str) -> bytes:
    """The cache key of a text under the encoder of that name."""
    return hashlib.sha256(f"{encoder_name}\x00{text}".encode()).digest()


def open_vector_store(settings: Settings) -> VectorStore:
    """The configured store: the database named by `matching_vector_store_url`, else the file."""
    if settings.matching_vector_store_url:
        return DatabaseVectorStore(settings.matching_vector_store_url)
    return FileVectorStore(settings.vector_store_path)


class VectorStore(ABC):
    """Encoder vectors by text, computed on a miss and kept."""

    @abstractmethod
    def close(self) -> None:
        """Lets go of the file or the connections."""

    @abstractmethod
    def _rows(self, keys: Sequence[bytes]) -> list[tuple[bytes, bytes]]:
        """(key, vector bytes) of the keys stored, at most CHUNK keys at a time."""

    @abstractmethod
    def _write(self, rows: list[tuple[bytes, bytes]], *, replace: bool) -> int:
        """Writes (key, vector bytes) rows, replacing stored ones or keeping them; returns how
        many keys were new (counted when keeping)."""

    @staticmethod
    def key(encoder: Encoder, text: str) -> bytes:
        """The cache key of a text under an encoder."""
        return text_key(encoder.name, text)

    def get_many(self, encoder: Encoder, texts: Sequence[str]) -> list[Vectors | None]:
        """Stored vectors for the texts (None where missing)."""
        keys = [self.key(encoder, t) for t in texts]
        found: dict[bytes, Vectors] = {}
        for start in range(0, len(keys), CHUNK):
            for key, blob in self._rows(keys[start : start + CHUNK]):
                found[bytes(key)] = np.frombuffer(blob, dtype=np.float32)
        return [found.get(k) for k in keys]

    def encode(
        self,
        encoder: Encoder,
        texts: Sequence[str],
        progress: Callable[[int], None] | None = None,
    ) -> Vectors:
        """Vectors of the texts: stored ones reused, the rest encoded in batches and stored."""
        out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
        stored = self.get_many(encoder, texts)
        missing = [n for n, v in enumerate(stored) if v is None]
        for n, vector in enumerate(stored):
            if vector is not None:
                out[n] = vector
        if progress and len(texts) > len(missing):
            progress(len(texts) - len(missing))
        for start in range(0, len(missing), BATCH):
            rows = missing[start : start + BATCH]
            vectors = encoder.passages([texts[n] for n in rows])
            out[rows] = vectors
            self.put(encoder, [texts[n] for n in rows], vectors)
            if progress:
                progress(len(rows))
        return out

    def put(self, encoder: Encoder, texts: Sequence[str], vectors: Vectors) -> None:
        """Stores vectors for the texts."""
        self._write(_pairs([self.key(encoder, t) for t in texts], vectors), replace=True)

    def add_keyed(self, keys: Sequence[bytes], vectors: Vectors) -> int:
        """Adds vectors computed elsewhere under their keys (`key`), keeping any already
        stored; returns how many were new (e.g. the sample's shipped vectors)."""
        return self._write(_pairs([bytes(k) for k in keys], vectors), replace=False)


def _pairs(keys: list[bytes], vectors: Vectors) -> list[tuple[bytes, bytes]]:
    """(key, bytes) rows, one per key (a text given twice is written once)."""
    rows = {
        key: np.asarray(v, dtype=np.float32).tobytes() for key, v in zip(keys, vectors, strict=True)
    }
    return list(rows.items())


class FileVectorStore(VectorStore):
    """The store in a SQLite file (one machine)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, v BLOB)")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _rows(self, keys: Sequence[bytes]) -> list[tuple[bytes, bytes]]:
        marks = ",".join("?" * len(keys))
        with self._lock:
            return list(
                self._db.execute(f"SELECT key, v FROM vectors WHERE key IN ({marks})", keys)
            )

    def _write(self, rows: list[tuple[bytes, bytes]], *, replace: bool) -> int:
        verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
        with self._lock:
            before = self._db.total_changes
            self._db.executemany(f"{verb} INTO vectors VALUES (?, ?)", rows)
            return int(self._db.total_changes - before)


class DatabaseVectorStore(VectorStore):
    """The store in a PostgreSQL database, shared by every machine (table `passage_vectors`,
    made on first use: a cache beside the schema, not part of it)."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = create_engine(
            url, pool_pre_ping=True, pool_size=4, max_overflow=4, hide_parameters=True
        )
        if self.engine.dialect.name != "postgresql":
            self.engine.dispose()
            raise ValueError(
                f"FACTORLINK_MATCHING_VECTOR_STORE_URL: a PostgreSQL URL, not {url.split(':')[0]}"
            )
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    f"CREATE TABLE IF NOT EXISTS {TABLE} (key bytea PRIMARY KEY, v bytea NOT NULL)"
                )
            )

    def close(self) -> None:
        self.engine.dispose()

    def _rows(self, keys: Sequence[bytes]) -> list[tuple[bytes, bytes]]:
        stmt = text(f"SELECT key, v FROM {TABLE} WHERE key = ANY(:keys)")
        with self.engine.connect() as conn:
            found = conn.execute(stmt, {"keys": list(keys)})
            return [(bytes(key), bytes(v)) for key, v in found]

    def _write(self, rows: list[tuple[bytes, bytes]], *, replace: bool) -> int:
        if not rows:
            return 0
        action = "DO UPDATE SET v = EXCLUDED.v" if replace else "DO NOTHING"
        stmt = text(
            f"INSERT INTO {TABLE} (key, v) SELECT * FROM unnest(:keys, :vs) "
            f"ON CONFLICT (key) {action}"
        ).bindparams(bindparam("keys", type_=ARRAY_OF_BYTES), bindparam("vs", type_=ARRAY_OF_BYTES))
        with self.engine.begin() as conn:
            result = conn.execute(stmt, {"keys": [k for k, _ in rows], "vs": [v for _, v in rows]})
            return int(result.rowcount)
