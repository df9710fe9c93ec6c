"""Encoding outside the web process: every passage the vector store lacks, encoded and stored.

The vector store is the hand-off: a server's indexes take a factor's vector from it when they meet
the factor's text (its background encoder finds it there and encodes nothing), so any process with
the store — `factorlink search encode`, a sync worker — can do the encoding instead. Progress is
the store itself: vectors are written every few passages, so a worker stopped at any point and
started again goes on where it was. Several workers split the work without talking to each other
by taking a shard each (`shard`/`shards`: a text belongs to the shard its store key falls in).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.matching.documents import candidates
from factorlink.matching.live.indexes import factor_documents
from factorlink.matching.live.vectorstore import VectorStore
from factorlink.matching.retrieval.dense import Encoder
from factorlink.matching.retrieval.engine import passage_text
from factorlink.models import PARTY_MODELS

# Texts looked up in the store at a time (the encoder's batches are the store's, 16).
CHUNK = 256


@dataclass(frozen=True)
class EncodeReport:
    """What one kind's pass found and did."""

    kind: str
    passages: int
    stored: int
    encoded: int
    seconds: float

    @property
    def rate(self) -> float:
        """Passages encoded a second."""
        return self.encoded / self.seconds if self.seconds > 0 else 0.0


def in_shard(key: bytes, shard: int, shards: int) -> bool:
    """Whether a store key belongs to that shard of `shards`."""
    return int.from_bytes(key[:8], "big") % shards == shard


def encode_kind(
    database: Database,
    encoder: Encoder,
    store: VectorStore,
    kind: PartyKind,
    *,
    shard: int = 0,
    shards: int = 1,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> EncodeReport:
    """Encodes the kind's passages the store lacks (of this shard; at most `limit`)."""
    if shards < 1 or not 0 <= shard < shards:
        raise ValueError(f"shard {shard} of {shards}: need 0 <= shard < shards")
    start = time.perf_counter()
    passages = stored = encoded = 0
    for texts in _chunks(_texts(database, kind), CHUNK):
        mine = [t for t in texts if in_shard(store.key(encoder, t), shard, shards)]
        passages += len(mine)
        found = store.get_many(encoder, mine)
        missing = [t for t, v in zip(mine, found, strict=True) if v is None]
        stored += len(mine) - len(missing)
        if limit is not None:
            missing = missing[: max(0, limit - encoded)]
        if missing:
            store.encode(encoder, missing, progress)
            encoded += len(missing)
    return EncodeReport(kind.value, passages, stored, encoded, time.perf_counter() - start)


def _texts(database: Database, kind: PartyKind) -> Iterable[str]:
    """The kind's passage texts, each once, read a chunk at a time (a short unit of work each,
    so no transaction stays open while the encoder runs)."""
    model = PARTY_MODELS[kind]
    with database.unit_of_work() as session:
        ids = sorted(session.scalars(candidates(kind).with_only_columns(model.id)))
    seen: set[str] = set()
    for begin in range(0, len(ids), CHUNK):
        with database.unit_of_work() as session:
            texts = [
                passage_text(fields)
                for _obj, fields in factor_documents(session, kind, ids[begin : begin + CHUNK])
            ]
        for text in texts:
            if text not in seen:
                seen.add(text)
                yield text


def _chunks(items: Iterable[str], size: int) -> Iterable[Sequence[str]]:
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
