"""The live match indexes of one database: loaded, kept in step with the change log, repaired.

Each kind has a `TextIndex`. On first use it is restored from its snapshot (`store.py`) or built
from the database, then brought up to date by replaying the change log (`changes.py`) from the
snapshot's watermark, then its ids are compared with the database's and any difference is
repaired (and logged): after a crash, whatever was or was not written, the index answers for what
the database holds. Before every search the log is replayed again, so a factor added, changed or
deleted by any process shows in the next answer without a rebuild.

Vectors come from the vector store; texts it has not seen wait in `pending` and are encoded in
batches — at once when only a few wait, otherwise by a background thread — so an import is never
held up by the encoder. Until then such a factor is found by its words alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.kinds.descriptor import Fields
from factorlink.matching.documents import candidates, document
from factorlink.matching.live import store
from factorlink.matching.live.vectorstore import open_vector_store
from factorlink.matching.models import MatchChange
from factorlink.matching.repository import MatchingRepository
from factorlink.matching.retrieval.dense import Encoder
from factorlink.matching.retrieval.engine import Method, TextIndex, passage_text
from factorlink.matching.retrieval.fusion import Fused
from factorlink.matching.retrieval.lexical import LexicalIndex
from factorlink.matching.retrieval.text import field_tokens
from factorlink.models import PARTY_MODELS

log = logging.getLogger(__name__)

# PostgreSQL may commit change-log rows out of sequence order: re-read this many behind.
PG_WINDOW = 200
# The delta is merged into a new segment (on load) once it passes this share of the segment.
MERGE_SHARE = 0.1
MERGE_MIN = 500
BATCH = 2000
# The background encoder's priority (nice): below every request's thread.
BACKGROUND_NICE = 19


def digest(fields: Fields) -> int:
    """A 64-bit fingerprint of a factor's indexed text (to spot stale entries)."""
    raw = "\x1f".join(f"{w}:{t}" for t, w in fields).encode()
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "little", signed=True)


@dataclass
class KindIndex:
    """One kind's text index and what it reflects of the change log."""

    kind: PartyKind
    text: TextIndex
    watermark: int = 0
    digests: dict[int, int] = field(default_factory=dict)
    pending: dict[int, str] = field(default_factory=dict)
    applied: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class CheckReport:
    """What a consistency check found (and repaired) for one kind."""

    kind: str
    indexed: int
    missing: int
    extra: int
    stale: int


class MatchIndexes(Protocol):
    """What a request asks of the match indexes, local (`IndexRegistry`) or in Milvus
    (`remote.RemoteRegistry`), as `FACTORLINK_SEARCH_URL` chooses."""

    database: Database
    encoder: Encoder | None
    folder: Path
    inline_encoding: bool

    def search(
        self, kind: PartyKind, query: str, k: int, method: Method = Method.hybrid
    ) -> list[Fused]: ...

    def waiting(self, kind: PartyKind) -> int: ...

    def lexicon(self, kind: PartyKind) -> LexicalIndex | None: ...

    def close(self) -> None: ...


class IndexRegistry:
    """The match indexes of one database, shared by every request of a process."""

    def __init__(self, database: Database, encoder: Encoder | None) -> None:
        self.database = database
        self.encoder = encoder
        self.folder = database.settings.index_dir
        self.vectors = open_vector_store(database.settings) if encoder else None
        self.window = PG_WINDOW if database.engine.dialect.name == "postgresql" else 0
        self._lock = threading.RLock()
        self._kinds: dict[PartyKind, KindIndex] = {}
        self._wake = threading.Event()
        self._worker: threading.Thread | None = None
        self._closed = False
        self._merging: set[PartyKind] = set()
        # One-shot commands encode waiting texts before answering; servers leave it to a thread,
        # or, without `matching_encode_in_process`, to `factorlink search encode` workers.
        self.inline_encoding = False
        self.encode_here = database.settings.matching_encode_in_process

    def close(self) -> None:
        """Stops the background encoder and closes the vector store."""
        self._closed = True
        self._wake.set()
        if self._worker is not None:
            self._worker.join(timeout=30)
        if self.vectors is not None:
            self.vectors.close()

    # -- answering ------------------------------------------------------------------------
    def search(
        self, kind: PartyKind, query: str, k: int, method: Method = Method.hybrid
    ) -> list[Fused]:
        """The k most relevant factors of a kind for a query text, on the current data."""
        index = self.get(kind)
        self._encode_some(index)
        vector_ready = index.text.query_vector(query) if method != Method.bm25 else None
        with self._lock:
            return index.text.search(query, k, method, vector=vector_ready)

    def lexicon(self, kind: PartyKind) -> LexicalIndex | None:
        """A kind's vocabulary and term statistics (for typo corrections)."""
        return self.get(kind).text.lexical

    def get(self, kind: PartyKind) -> KindIndex:
        """A kind's index, loaded or built on first use and brought up to date."""
        with self._lock:
            index = self._kinds.get(kind)
            if index is None:
                index = self._open(kind)
                self._kinds[kind] = index
            else:
                self._replay(index)
            self._merge_if_large(index)
            return index

    def _merge_if_large(self, index: KindIndex) -> None:
        """Rebuilds a kind in the background once its delta outgrows the segment's share:
        delta documents are scored in Python and on blended statistics, so it must stay small."""
        size = len(index.text.lexical.ids)
        if index.text.lexical.delta_size <= max(MERGE_MIN, MERGE_SHARE * size):
            return
        if index.kind in self._merging or self._closed:
            return
        self._merging.add(index.kind)

        def merge() -> None:
            try:
                self.rebuild(index.kind)
            except Exception:  # the next search tries again; the old index keeps answering
                log.exception("merging the %s index failed", index.kind.value)
            finally:
                self._merging.discard(index.kind)

        threading.Thread(
            target=merge, name=f"factorlink-merge-{index.kind.value}", daemon=True
        ).start()

    # -- opening, building, checking -------------------------------------------------------
    def _open(self, kind: PartyKind) -> KindIndex:
        snapshot = store.load(self.folder / kind.value)
        encoder_name = self.encoder.name if self.encoder else "none"
        if snapshot is None or snapshot.encoder != encoder_name:
            return self.rebuild(kind)
        index = KindIndex(kind, TextIndex(self.encoder), watermark=snapshot.watermark)
        index.text.lexical.attach(snapshot.model, snapshot.ids.tolist(), snapshot.lengths.tolist())
        if self.encoder is not None:
            index.text.dense.build(snapshot.vector_ids.tolist(), snapshot.vectors)
            unencoded = set(snapshot.ids.tolist()) - set(snapshot.vector_ids.tolist())
            self._queue_unencoded(index, unencoded)
        index.digests = dict(zip(snapshot.ids.tolist(), snapshot.digests.tolist(), strict=True))
        floor, top = self._log_bounds()
        # Rows after the watermark were compacted away (or the log was emptied or reset): the
        # changes they recorded can no longer be replayed.
        if floor > index.watermark + 1 or top < index.watermark:
            log.warning("%s index is older than the change log: rebuilding", kind.value)
            return self.rebuild(kind)
        self._replay(index)
        self.check(index, content=False)
        delta = index.text.lexical.delta_size
        if delta > max(MERGE_MIN, MERGE_SHARE * len(snapshot.ids)):
            return self.rebuild(kind)
        return index

    def rebuild(self, kind: PartyKind, progress: Callable[[int], None] | None = None) -> KindIndex:
        """Builds a kind's index from the database, encodes what the store lacks when asked
        (progress given), and saves a snapshot."""
        with self.database.unit_of_work() as session:
            watermark = self._log_top(session)
            # Writes up to the watermark are in what is read next: never replay them.
            seen = set(
                session.scalars(
                    select(MatchChange.seq).where(
                        MatchChange.seq > watermark - self.window, MatchChange.seq <= watermark
                    )
                )
            )
            ids, docs = [], []
            for obj, fields in self._documents(session, kind):
                ids.append(int(obj.id))
                docs.append(fields)
        index = KindIndex(kind, TextIndex(self.encoder), watermark=watermark, applied=seen)
        index.text.lexical.build(ids, (field_tokens(d) for d in docs))
        index.digests = {i: digest(d) for i, d in zip(ids, docs, strict=True)}
        if self.encoder is not None and self.vectors is not None:
            texts = [passage_text(d) for d in docs]
            if progress is not None:
                found = list(self.vectors.encode(self.encoder, texts, progress))
            else:
                found = list(self.vectors.get_many(self.encoder, texts))
            have = [n for n, v in enumerate(found) if v is not None]
            stacked = np.stack([found[n] for n in have]) if have else None
            index.text.dense.build(
                [ids[n] for n in have],
                stacked if stacked is not None else np.zeros((0, self.encoder.dim), np.float32),
            )
            index.pending = {ids[n]: texts[n] for n, v in enumerate(found) if v is None}
        self._save(index)
        with self._lock:
            self._kinds[kind] = index
            self._replay(index)
        return index

    def check(self, index: KindIndex, *, content: bool) -> CheckReport:
        """Compares the index with the database and repairs it: missing and extra ids always,
        stale text too when `content` (reads every row)."""
        model = PARTY_MODELS[index.kind]
        with self.database.unit_of_work() as session:
            id_query = candidates(index.kind).with_only_columns(model.id)
            in_db = set(session.scalars(id_query))
            live = index.text.lexical.live_ids()
            missing, extra = in_db - live, live - in_db
            stale: set[int] = set()
            if content:
                for obj, fields in self._documents(session, index.kind):
                    if index.digests.get(int(obj.id)) != digest(fields):
                        stale.add(int(obj.id))
                stale -= missing
            if missing or extra or stale:
                log.warning(
                    "%s index disagreed with the database "
                    "(missing %d, extra %d, stale %d): repaired",
                    index.kind.value,
                    len(missing),
                    len(extra),
                    len(stale),
                )
                with self._lock:
                    self._apply(session, index, missing | extra | stale)
        if stale:
            # Only a content check sees stale text: without a new snapshot the next process
            # would load the stale one again.
            self.rebuild(index.kind)
        return CheckReport(index.kind.value, len(live), len(missing), len(extra), len(stale))

    def save(self, kind: PartyKind) -> None:
        """Writes the kind's current index as a snapshot (its delta merged by a rebuild)."""
        self.rebuild(kind)

    def _save(self, index: KindIndex) -> None:
        lexical, dense = index.text.lexical, index.text.dense
        ids = lexical.ids
        store.save(
            self.folder / index.kind.value,
            store.Snapshot(
                watermark=index.watermark,
                encoder=self.encoder.name if self.encoder else "none",
                ids=ids,
                lengths=lexical.lengths,
                digests=np.array([index.digests.get(int(i), 0) for i in ids], dtype=np.int64),
                vector_ids=dense.ids,
                vectors=dense.vectors,
                model=lexical.model,
            ),
        )

    # -- following the change log ----------------------------------------------------------
    def _replay(self, index: KindIndex) -> None:
        # A demand's write is logged for its owner too (changes.py), so one kind is enough.
        with self.database.unit_of_work() as session:
            rows = session.execute(
                select(MatchChange.seq, MatchChange.kind, MatchChange.factor_id)
                .where(
                    MatchChange.kind == index.kind.value,
                    MatchChange.seq > index.watermark - self.window,
                )
                .order_by(MatchChange.seq)
            ).all()
            fresh = [r for r in rows if r.seq not in index.applied and r.seq > 0]
            if not fresh:
                return
            self._apply(session, index, {r.factor_id for r in fresh})
            index.watermark = max(index.watermark, max(r.seq for r in fresh))
            index.applied |= {r.seq for r in fresh}
            index.applied = {s for s in index.applied if s > index.watermark - self.window}

    def _apply(self, session: Session, index: KindIndex, factor_ids: Iterable[int]) -> None:
        wanted = sorted(set(factor_ids))
        found: dict[int, Fields] = {}
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            for obj, fields in self._documents(session, index.kind, chunk):
                found[int(obj.id)] = fields
        texts = {i: passage_text(f) for i, f in found.items()}
        vectors = self._stored_vectors(list(texts.values()))
        for factor_id in wanted:
            fields_ = found.get(factor_id)
            if fields_ is None:
                index.text.delete(factor_id)
                index.digests.pop(factor_id, None)
                index.pending.pop(factor_id, None)
                continue
            if index.digests.get(factor_id) == digest(fields_) and index.text.lexical.has(
                factor_id
            ):
                continue  # same text already indexed (a replayed or unrelated write)
            vector = vectors.get(texts[factor_id])
            index.text.upsert(factor_id, fields_, vector)
            index.digests[factor_id] = digest(fields_)
            if vector is None and self.encoder is not None:
                index.pending[factor_id] = texts[factor_id]
            else:
                index.pending.pop(factor_id, None)

    def _queue_unencoded(self, index: KindIndex, factor_ids: set[int]) -> None:
        """Entries saved while still waiting for a vector: from the store, or queued again."""
        wanted = sorted(factor_ids)
        texts: dict[int, str] = {}
        with self.database.unit_of_work() as session:
            for start in range(0, len(wanted), BATCH):
                chunk = wanted[start : start + BATCH]
                for obj, fields in self._documents(session, index.kind, chunk):
                    texts[int(obj.id)] = passage_text(fields)
        stored = self._stored_vectors(list(texts.values()))
        for factor_id, text in texts.items():
            vector = stored.get(text)
            if vector is None:
                index.pending[factor_id] = text
            else:
                index.text.dense.upsert(factor_id, vector)

    def _documents(
        self, session: Session, kind: PartyKind, only: Sequence[int] | None = None
    ) -> Iterable[tuple[Any, Fields]]:
        return factor_documents(session, kind, only)

    def _log_top(self, session: Session) -> int:
        return int(session.scalar(select(func.coalesce(func.max(MatchChange.seq), 0))) or 0)

    def _log_bounds(self) -> tuple[int, int]:
        """The lowest and highest sequence numbers in the change log (0, 0 when empty)."""
        with self.database.unit_of_work() as session:
            low, high = session.execute(
                select(
                    func.coalesce(func.min(MatchChange.seq), 0),
                    func.coalesce(func.max(MatchChange.seq), 0),
                )
            ).one()
        return int(low), int(high)

    # -- vectors ---------------------------------------------------------------------------
    def _stored_vectors(self, texts: list[str]) -> dict[str, Any]:
        if self.encoder is None or self.vectors is None or not texts:
            return {}
        found = self.vectors.get_many(self.encoder, texts)
        return {t: v for t, v in zip(texts, found, strict=True) if v is not None}

    def _encode_some(self, index: KindIndex) -> None:
        """Hands waiting texts to the background encoder; a request never encodes passages
        (at a few passages a second it would wait seconds, queued behind bulk work). A
        one-shot command (`inline_encoding`) encodes them before it answers."""
        if not index.pending or self.encoder is None:
            return
        if self.inline_encoding:
            self.encode_pending(index)
        else:
            self._start_worker()

    def encode_pending(
        self, index: KindIndex, progress: Callable[[int], None] | None = None
    ) -> int:
        """Encodes every text waiting for a vector and adds the vectors; returns how many. A
        server without `matching_encode_in_process` only adds those workers have stored."""
        if self.encoder is None or self.vectors is None:
            return 0
        with self._lock:
            work = dict(index.pending)
        if not work:
            return 0
        ids, texts = list(work), list(work.values())
        if self.encode_here or self.inline_encoding:
            vectors: list[Any] = list(self.vectors.encode(self.encoder, texts, progress))
        else:
            # Workers encode (`factorlink search encode`): take what they have stored so far.
            vectors = self.vectors.get_many(self.encoder, texts)
        done = 0
        with self._lock:
            for factor_id, text, vector in zip(ids, texts, vectors, strict=True):
                if vector is not None and index.pending.get(factor_id) == text:
                    index.text.dense.upsert(factor_id, vector)
                    del index.pending[factor_id]
                    done += 1
        return done

    def waiting(self, kind: PartyKind) -> int:
        """How many factors of a kind wait for their vectors (found by words alone until the
        background encoder reaches them); 0 for an index not opened yet or without encoder."""
        with self._lock:
            index = self._kinds.get(kind)
            return len(index.pending) if index is not None else 0

    def _start_worker(self) -> None:
        with self._lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(
                    target=self._work, name="factorlink-encoder", daemon=True
                )
                self._worker.start()
            self._wake.set()

    def _work(self) -> None:
        # Below every request: a query's thread takes a core from the encoder at once (the
        # encoder's own threads, started from this one, inherit the priority).
        background_priority()
        while not self._closed:
            with self._lock:
                busy = [i for i in self._kinds.values() if i.pending]
            for index in busy:
                if self._closed:
                    return
                self.encode_pending(index)
            self._wake.wait(timeout=5)
            self._wake.clear()


def background_priority() -> None:
    """Gives the calling thread the lowest scheduling priority (nice 19; on Linux nice is per
    thread and threads it starts inherit it). Where that is not allowed it runs as it was."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)


def factor_documents(
    session: Session, kind: PartyKind, only: Sequence[int] | None = None
) -> Iterable[tuple[Any, Fields]]:
    """Every matchable factor of a kind (or those of `only`) with the fields it is indexed by."""
    model = PARTY_MODELS[kind]
    stmt = candidates(kind).order_by(model.id)
    if only is not None:
        stmt = stmt.where(model.id.in_(only))
    extras: dict[int, list[str]] = {}
    if kind == PartyKind.organization:
        extras = MatchingRepository(session).demand_terms_by_owner(only)
    for obj in session.scalars(stmt.execution_options(yield_per=BATCH)):
        yield obj, document(kind, obj, extras.get(obj.id, ()))


_REGISTRIES: weakref.WeakKeyDictionary[Database, IndexRegistry] = weakref.WeakKeyDictionary()
_REMOTES: weakref.WeakKeyDictionary[Database, MatchIndexes] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


def encoder_of(database: Database) -> Encoder | None:
    """The process-wide encoder the database's settings name (None for `none`)."""
    from factorlink.matching.live.encoders import get_encoder

    settings = database.settings
    if settings.matching_encoder == "none":
        return None
    return get_encoder(
        settings.matching_encoder, settings.matching_query_threads, settings.matching_bulk_threads
    )


def registry_for(database: Database) -> IndexRegistry:
    """The local match indexes of a database (one per database handle and process)."""
    with _GUARD:
        registry = _REGISTRIES.get(database)
        if registry is None:
            registry = IndexRegistry(database, encoder_of(database))
            _REGISTRIES[database] = registry
            database.on_dispose(lambda: _close(database))
        return registry


def indexes_for(database: Database) -> MatchIndexes:
    """The match indexes requests use: local, or Milvus when `search_url` names one."""
    if not database.settings.uses_milvus:
        return registry_for(database)
    with _GUARD:
        remote = _REMOTES.get(database)
        if remote is None:
            from factorlink.matching.live.remote import RemoteRegistry

            remote = RemoteRegistry(database, encoder_of(database))
            _REMOTES[database] = remote
            database.on_dispose(lambda: _close(database))
        return remote


def _close(database: Database) -> None:
    with _GUARD:
        closing: list[MatchIndexes] = [
            r for r in (_REGISTRIES.pop(database, None), _REMOTES.pop(database, None)) if r
        ]
    for registry in closing:
        registry.close()


def registry_of(session: Session) -> MatchIndexes:
    """The match indexes of the database a session belongs to."""
    database = session.info.get("database")
    if not isinstance(database, Database):
        raise RuntimeError("session was not opened by a factorlink Database")
    return indexes_for(database)


def waiting_for_vectors(session: Session, kind: str) -> int:
    """How many factors of a kind the session's match index still waits to encode (its
    matches are by words alone for those until then; pages and the API say so)."""
    return registry_of(session).waiting(PartyKind(kind))
