"""Passage vectors kept on disk, keyed by encoder and text, so nothing is encoded twice.

A small SQLite file in the data directory (whatever the main database is): the key is a SHA-256 of
the encoder's name and the exact text, the value the float32 bytes. Rebuilding an index, reindexing
after a crash or re-running an evaluation reuses every vector already computed.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from factorlink.matching.retrieval.dense import Encoder, Vectors

BATCH = 16


def text_key(encoder_name: str, text: str) -> bytes:
    """The cache key of a text under the encoder of that name."""
    return hashlib.sha256(f"{encoder_name}\x00{text}".encode()).digest()


class VectorStore:
    """Encoder vectors by text, computed on a miss and kept."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, v BLOB)")

    def close(self) -> None:
        """Closes the file."""
        with self._lock:
            self._db.close()

    @staticmethod
    def key(encoder: Encoder, text: str) -> bytes:
        """The cache key of a text under an encoder."""
        return text_key(encoder.name, text)

    def get_many(self, encoder: Encoder, texts: Sequence[str]) -> list[Vectors | None]:
        """Stored vectors for the texts (None where missing)."""
        keys = [self.key(encoder, t) for t in texts]
        found: dict[bytes, Vectors] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(f"SELECT key, v FROM vectors WHERE key IN ({marks})", chunk)
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
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
        rows = [
            (self.key(encoder, t), np.asarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors, strict=True)
        ]
        with self._lock:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)

    def add_keyed(self, keys: Sequence[bytes], vectors: Vectors) -> int:
        """Adds vectors computed elsewhere under their keys (`key`), keeping any already
        stored; returns how many were new (e.g. the sample's shipped vectors)."""
        rows = [
            (bytes(k), np.asarray(v, dtype=np.float32).tobytes())
            for k, v in zip(keys, vectors, strict=True)
        ]
        with self._lock:
            before = self._db.total_changes
            self._db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?)", rows)
            return int(self._db.total_changes - before)
