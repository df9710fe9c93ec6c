"""The sync worker: follows the change log (the outbox) from the database into Milvus.

The database stays the system of record. Every write of a factor logs (kind, id) in the same
transaction (`changes.py`); the worker reads the log after its watermark, reads each named
factor's current text from the database and upserts it by id, or deletes the id when the factor
is gone. Only then is the watermark (table `search_sync`, one row per Milvus URL and collection
prefix) moved on, so a worker killed at any point replays what it had not confirmed:
at-least-once, and idempotent, since an entry whose text fingerprint Milvus already holds is
left alone (nothing is indexed twice). PostgreSQL may commit sequence numbers out of order, so
the last `PG_WINDOW` of the log is re-read each pass, as the local indexes do.

A factor is first upserted by its words with the vector the vector store has, or none; passage
vectors the store lacks are encoded here, in batches between passes over the log, never in a
request. `rebuild` reloads a kind from the database; `check` compares ids and text fingerprints
with the database and repairs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factorlink.db.base import utcnow
from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.kinds.registry import kind_of
from factorlink.matching.live.indexes import BATCH, PG_WINDOW, digest, factor_documents
from factorlink.matching.live.milvus import (
    SCHEMA,
    Entry,
    MilvusIndex,
    chunks,
    collection_name,
    connect,
    disconnect,
    is_lite,
)
from factorlink.matching.live.vectorstore import open_vector_store
from factorlink.matching.models import MatchChange, SearchWatermark
from factorlink.matching.retrieval.dense import Encoder
from factorlink.matching.retrieval.engine import passage_text

log = logging.getLogger(__name__)

# Passages encoded between two passes over the log.
ENCODE_BATCH = 32


@dataclass(frozen=True)
class SyncReport:
    """What a comparison of one kind's collection with the database found (and repaired)."""

    kind: str
    indexed: int
    missing: int
    extra: int
    stale: int
    duplicates: int


def target_of(database: Database, encoder: Encoder | None, schema: str = SCHEMA) -> str:
    """The watermark's key: which Milvus and which collections (of which schema version)."""
    return f"{_base_target(database, encoder)}#{schema}"


def _base_target(database: Database, encoder: Encoder | None) -> str:
    settings = database.settings
    model = encoder.name if encoder is not None else "words"
    return f"{settings.search_url}#{settings.search_collection_prefix}#{model}"


class SearchSync:
    """Keeps the Milvus collections of one database in step with its change log."""

    def __init__(
        self, database: Database, encoder: Encoder | None, client: Any | None = None
    ) -> None:
        settings = database.settings
        self.database = database
        self.encoder = encoder
        self.client = client if client is not None else connect(settings.search_url)
        self._own_client = client is None
        self.lite = is_lite(settings.search_url)
        self.vectors = open_vector_store(settings) if encoder is not None else None
        prefix = settings.search_collection_prefix
        self.indexes = {
            kind: MilvusIndex(self.client, collection_name(prefix, kind.value, encoder), encoder)
            for kind in PartyKind
        }
        self.target = target_of(database, encoder)
        self.window = PG_WINDOW if database.engine.dialect.name == "postgresql" else 0
        self.batch = settings.search_sync_batch
        self.watermark: int | None = None
        self.applied: set[int] = set()
        # What this worker wrote (the kill -9 test reads them from the log line).
        self.upserted = 0
        self.deleted = 0
        self.encoded = 0
        self._lock = threading.RLock()

    def close(self) -> None:
        if self.vectors is not None:
            self.vectors.close()
        if self._own_client:
            disconnect(self.client, self.database.settings.search_url)

    # -- the watermark ---------------------------------------------------------------------
    def stored_watermark(self) -> int:
        with self.database.unit_of_work() as session:
            row = session.get(SearchWatermark, self.target)
            return int(row.watermark) if row is not None else 0

    def _save_watermark(self, value: int) -> None:
        with self.database.unit_of_work() as session:
            row = session.get(SearchWatermark, self.target)
            if row is None:
                session.add(SearchWatermark(target=self.target, watermark=value))
            else:
                row.watermark = value
                row.updated_at = utcnow()

    def _start(self) -> int:
        """The watermark to follow the log from. After a schema change (collections of an
        older version followed the log; this version's have no watermark yet) every kind is
        rebuilt from the database, since the log may not go back to every factor, and the
        older collections and watermarks are dropped."""
        base = _base_target(self.database, self.encoder)
        with self.database.unit_of_work() as session:
            row = session.get(SearchWatermark, self.target)
            if row is not None:
                return int(row.watermark)
            older = [
                w
                for w in session.scalars(select(SearchWatermark))
                if w.target == base or w.target.startswith(f"{base}#")
            ]
        if not older:
            return 0
        log.info("search schema %s: rebuilding the collections of %s", SCHEMA, base)
        self.rebuild()
        current = {index.name for index in self.indexes.values()}
        for name in self.client.list_collections():
            if name not in current and _older(name, current):
                self.client.drop_collection(name)
        with self.database.unit_of_work() as session:
            for w in older:
                stale = session.get(SearchWatermark, w.target)
                if stale is not None:
                    session.delete(stale)
        return self.watermark or 0

    # -- following the log -----------------------------------------------------------------
    def step(self, persist: bool = True) -> int:
        """Applies the next changes of the log; returns how many it applied (0: caught up).
        Without `persist` the watermark moves in memory only (a search catching up inside a
        request's transaction, which may hold SQLite's write lock)."""
        with self._lock:
            if self.watermark is None:
                self.watermark = self._start()
            watermark = self.watermark
            with self.database.unit_of_work() as session:
                rows = session.execute(
                    select(MatchChange.seq, MatchChange.kind, MatchChange.factor_id)
                    .where(MatchChange.seq > watermark - self.window)
                    .order_by(MatchChange.seq)
                    .limit(self.batch + self.window)
                ).all()
                fresh = [r for r in rows if r.seq not in self.applied and r.seq > 0]
                if not fresh:
                    return 0
                by_kind: dict[PartyKind, set[int]] = {}
                for row in fresh:
                    by_kind.setdefault(PartyKind(row.kind), set()).add(int(row.factor_id))
                for kind, ids in by_kind.items():
                    self._apply(session, kind, ids)
            self._confirm()
            top = max(watermark, max(r.seq for r in fresh))
            if persist:
                self._save_watermark(top)
            self.watermark = top
            self.applied |= {r.seq for r in fresh}
            self.applied = {s for s in self.applied if s > top - self.window}
            return len(fresh)

    def _confirm(self) -> None:
        """Makes what was upserted durable before the watermark passes it (Lite keeps writes
        in memory until flushed; a server has them in its log once acknowledged)."""
        if self.lite:
            for index in self.indexes.values():
                if index._ready:
                    index.flush()

    def _apply(self, session: Session, kind: PartyKind, factor_ids: Iterable[int]) -> None:
        index = self.indexes[kind]
        for chunk in chunks(sorted(set(factor_ids)), BATCH):
            found = {int(obj.id): (obj, fields) for obj, fields in factor_documents(
                session, kind, chunk
            )}  # fmt: skip
            held = index.states(chunk)
            gone = [i for i in chunk if i not in found and i in held]
            index.remove(gone)
            self.deleted += len(gone)
            changed = [
                (i, obj, fields)
                for i, (obj, fields) in found.items()
                if held.get(i, (None, False))[0] != digest(fields)
            ]
            texts = [passage_text(fields) for _, _, fields in changed]
            stored = self._stored(texts)
            entries = [
                _entry(kind, obj, fields, stored.get(text))
                for (_, obj, fields), text in zip(changed, texts, strict=True)
            ]
            index.put(entries)
            self.upserted += len(entries)

    def _stored(self, texts: Sequence[str]) -> dict[str, Any]:
        if self.encoder is None or self.vectors is None or not texts:
            return {}
        found = self.vectors.get_many(self.encoder, list(texts))
        return {t: v for t, v in zip(texts, found, strict=True) if v is not None}

    # -- vectors ---------------------------------------------------------------------------
    def encode_pending(self, limit: int = ENCODE_BATCH) -> int:
        """Encodes up to `limit` passages still without a vector and upserts them; returns how
        many it encoded (0: none waits)."""
        if self.encoder is None or self.vectors is None:
            return 0
        done = 0
        for kind, index in self.indexes.items():
            if not index.exists():
                continue
            ids = index.unencoded(limit - done)
            if not ids:
                continue
            with self.database.unit_of_work() as session:
                found = {int(o.id): (o, f) for o, f in factor_documents(session, kind, ids)}
            texts = [passage_text(f) for _, f in found.values()]
            vectors = self.vectors.encode(self.encoder, texts)
            entries = [
                _entry(kind, obj, fields, vector)
                for (obj, fields), vector in zip(found.values(), vectors, strict=True)
            ]
            with self._lock:
                index.put(entries)
                index.remove([i for i in ids if i not in found])
            done += len(entries)
            self.encoded += len(entries)
            if done >= limit:
                break
        return done

    def waiting(self, kind: PartyKind) -> int:
        """How many factors of a kind wait for their vectors."""
        index = self.indexes[kind]
        if self.encoder is None or not index.exists():
            return 0
        return len(index.unencoded(10_000))

    def catch_up(self, encode: bool = False, persist: bool = True) -> None:
        """Applies the whole log, and with `encode` every waiting passage too."""
        while self.step(persist):
            pass
        while encode and self.encode_pending(256):
            pass

    def run(self, stop: threading.Event, interval: float) -> None:
        """Follows the log until `stop` is set (the server's thread, `factorlink search sync`)."""
        while not stop.is_set():
            try:
                busy = self.step() + self.encode_pending()
            except Exception:  # a Milvus or database hiccup: try again after a pause
                log.exception("search sync pass failed")
                busy = 0
            if not busy:
                stop.wait(interval)

    # -- rebuilding and checking -----------------------------------------------------------
    def rebuild(
        self,
        kinds: Sequence[PartyKind] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> dict[PartyKind, int]:
        """Reloads the collections of these kinds (all by default) from the database."""
        chosen = list(kinds) if kinds is not None else list(PartyKind)
        sizes: dict[PartyKind, int] = {}
        with self._lock:
            with self.database.unit_of_work() as session:
                top = int(session.scalar(select(func.coalesce(func.max(MatchChange.seq), 0))) or 0)
            for kind in chosen:
                index = self.indexes[kind]
                index.drop()
                index.ensure()
                count = 0
                with self.database.unit_of_work() as session:
                    batch: list[tuple[Any, Any]] = []
                    for obj, fields in factor_documents(session, kind):
                        batch.append((obj, fields))
                        if len(batch) == BATCH:
                            count += self._put_batch(kind, batch, progress)
                            batch = []
                    count += self._put_batch(kind, batch, progress)
                index.flush()
                sizes[kind] = count
            if kinds is None:
                # Every change up to `top` is in what was read; later ones are replayed.
                self._save_watermark(top)
                self.watermark = top
                self.applied = set()
        return sizes

    def _put_batch(
        self, kind: PartyKind, batch: list[tuple[Any, Any]], progress: Callable[[int], None] | None
    ) -> int:
        if not batch:
            return 0
        texts = [passage_text(fields) for _, fields in batch]
        stored = self._stored(texts)
        entries = [
            _entry(kind, obj, fields, stored.get(text))
            for (obj, fields), text in zip(batch, texts, strict=True)
        ]
        self.indexes[kind].put(entries)
        self.upserted += len(entries)
        if progress is not None:
            progress(len(entries))
        return len(entries)

    def check(self, kind: PartyKind, *, repair: bool) -> SyncReport:
        """Compares a kind's collection with the database (ids and text fingerprints); with
        `repair`, upserts what is missing or stale and deletes what is extra."""
        index = self.indexes[kind]
        held_ids: list[int] = []
        held: dict[int, int] = {}
        for factor_id, fingerprint, _ in index.entries():
            held_ids.append(factor_id)
            held[factor_id] = fingerprint
        duplicates = len(held_ids) - len(held)
        in_db: dict[int, int] = {}
        with self.database.unit_of_work() as session:
            for obj, fields in factor_documents(session, kind):
                in_db[int(obj.id)] = digest(fields)
            missing = in_db.keys() - held.keys()
            extra = held.keys() - in_db.keys()
            stale = {i for i in in_db.keys() & held.keys() if in_db[i] != held[i]}
            if repair and (missing or extra or stale):
                with self._lock:
                    index.remove(sorted(extra))
                    self._apply(session, kind, missing | stale)
                    self._confirm()
                log.warning(
                    "%s search collection disagreed with the database "
                    "(missing %d, extra %d, stale %d): repaired",
                    kind.value,
                    len(missing),
                    len(extra),
                    len(stale),
                )
        return SyncReport(kind.value, len(held), len(missing), len(extra), len(stale), duplicates)


def _older(name: str, current: set[str]) -> bool:
    """Whether a collection is an older schema version of one of these (`<name>` without a
    version, or with another `_v<n>`)."""
    for held in current:
        stem = held.rsplit("_", 1)[0]
        if name == stem or (name.startswith(f"{stem}_v") and name[len(stem) + 2 :].isdigit()):
            return True
    return False


def _entry(kind: PartyKind, obj: Any, fields: Any, vector: Any) -> Entry:
    descriptor = kind_of(kind)
    status = getattr(obj, "status", None)
    return Entry(
        id=int(obj.id),
        fields=fields,
        vector=vector,
        digest=digest(fields),
        city=descriptor.city(obj) or "",
        industry=descriptor.industry(obj) or "",
        kind=kind.value,
        status=str(getattr(status, "value", status) or ""),
    )
