"""One kind's factors in a Milvus collection: its BM25, its dense vectors, the scalar fields
filters need, and a search that fuses both retrievers with FactorLink's own `fusion.fuse`.

A collection per kind holds, for each factor: `text` (the local engine's BM25 tokens of its
weighted fields, a field of weight 2 counted twice, each token spelled as one ASCII word, read by
the `standard` analyzer) feeding Milvus's built-in BM25 function into `sparse`, with bm25s's k1
and b; `dense` (the passage vector, absent until the sync worker has encoded it: `has_vector`
false and a zero vector); `city`, `industry`, `kind`, `status` for filters; `digest` (the text's
fingerprint, for idempotent syncing and `search check`).

A search asks each retriever for its candidates, gives every candidate both scores (vectors of
BM25-only candidates are fetched and compared here; a dense-only candidate outside BM25's deeper
list counts as sharing no words) and fuses them as the local engine does. BM25 reads the same
tokens with the same k1 and b as the local engine, so a document scores what bm25s gives it over
the same corpus (Milvus's score has the classic (k1 + 1) factor, divided out here; Milvus Lite
reports it as a negative distance, a server as a positive score, so its absolute value is
taken). Two things still differ from the local backend:

- the lexical scale: the local engine divides by the query's BM25 against itself, which needs
  the corpus's term statistics; Milvus does not expose them, so BM25 is divided by the best BM25
  among the candidates over the share of the query's terms that best match holds;
- Milvus Lite keeps BM25 statistics per segment (its own TODO), a server over the collection.

Milvus Lite ignores `filter` on `hybrid_search` (a non-matching row came back) and computes BM25
statistics over the filtered rows only: filters are given to each retriever's own search.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from factorlink.matching.retrieval.dense import Encoder, Vectors, encode_query
from factorlink.matching.retrieval.engine import DEPTH, Fields, Method
from factorlink.matching.retrieval.fusion import DENSE_WEIGHT, Calibration, Fused, fuse
from factorlink.matching.retrieval.lexical import K1, B
from factorlink.matching.retrieval.text import field_tokens, tokens

# VARCHAR limits are in bytes (UTF-8): a Chinese character takes three.
TEXT_BYTES = 60_000
SCALAR_CHARS = 64
# BM25 proposes this many times the depth, so that dense candidates get their words' score.
LEXICAL_REACH = 3
INSERT_BATCH = 500
# The least share of a query's terms a best match is taken to hold (see `_reference`).
MIN_SHARE = 0.05
_NAME = re.compile(r"[^A-Za-z0-9_]")
# What the collections hold: bumped when their schema or their text's spelling changes, so a new
# version gets new collections (and a watermark of its own) instead of reading old rows.
# v2: FactorLink's tokens spelled as ASCII words, read by the `standard` analyzer.
SCHEMA = "v2"
# A token's spelling: this many lower-case letters of its hash (26^8, about 2e11 spellings).
SPELLING = 8


def is_lite(url: str) -> bool:
    """Whether a search URL names a Milvus Lite file (opened in this process)."""
    return url.endswith(".db")


def connect(url: str) -> Any:
    """A client for a Milvus server (http://host:19530) or a Milvus Lite file (*.db)."""
    from pymilvus import MilvusClient

    return MilvusClient(url)


def disconnect(client: Any, url: str) -> None:
    """Closes a client; for a Lite file also stops the in-process server that serves it (the
    file is free for another process then)."""
    client.close()
    if is_lite(url):
        from milvus_lite.server_manager import server_manager_instance

        server_manager_instance.release_server(url)


def collection_name(prefix: str, kind: str, encoder: Encoder | None) -> str:
    """One collection per kind, encoder and schema version (a new encoder or schema gets a new
    collection; `search rebuild` fills it)."""
    model = _NAME.sub("_", encoder.name) if encoder is not None else "words"
    return f"{prefix}_{kind}_{model}_{SCHEMA}"


@lru_cache(maxsize=1 << 18)
def spell(token: str) -> str:
    """A token as one ASCII word of lower-case letters (a stable hash of it): the `standard`
    analyzer keeps it whole and lower-casing leaves it unchanged, so Milvus's BM25 counts
    exactly FactorLink's tokens."""
    value = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "big")
    letters = []
    for _ in range(SPELLING):
        value, rest = divmod(value, 26)
        letters.append(chr(97 + rest))
    return "".join(letters)


def spelled(words: Iterable[str]) -> str:
    """Tokens as the text Milvus's analyzer reads: their spellings, space-separated."""
    return " ".join(spell(t) for t in words)


def milvus_text(fields: Fields) -> str:
    """What Milvus's BM25 reads: the local engine's tokens of the weighted fields (a field of
    weight 2 counts twice), spelled; cut at a whole token past the VARCHAR limit."""
    text = spelled(field_tokens(fields))
    if len(text) <= TEXT_BYTES:
        return text
    return text[: text.rfind(" ", 0, TEXT_BYTES + 1)]


def milvus_query(query: str) -> str:
    """A query as Milvus's BM25 reads it: the local engine's query tokens, spelled."""
    return spelled(tokens(query))


def _cut(text: str, limit: int) -> str:
    raw = text.encode()
    if len(raw) <= limit:
        return text
    return raw[:limit].decode(errors="ignore")


@dataclass(frozen=True)
class Entry:
    """One factor as the collection holds it."""

    id: int
    fields: Fields
    vector: Vectors | None
    digest: int
    city: str = ""
    industry: str = ""
    kind: str = ""
    status: str = ""


class MilvusIndex:
    """One kind's collection; a `SearchBackend`."""

    def __init__(
        self,
        client: Any,
        name: str,
        encoder: Encoder | None,
        dense_weight: float = DENSE_WEIGHT,
        fusion: str = "engine",
    ) -> None:
        self.client = client
        self.name = name
        self.encoder = encoder
        self.dense_weight = dense_weight
        # engine: FactorLink's fuse over both retrievers' candidates; rrf: Milvus's own
        # hybrid_search with its RRF ranker (measured against it, README "Past one machine").
        self.fusion = fusion
        self._ready = False

    # -- the collection --------------------------------------------------------------------
    def exists(self) -> bool:
        return bool(self.client.has_collection(self.name))

    def ensure(self) -> None:
        """Creates the collection when missing, and loads it."""
        if self._ready:
            return
        if not self.exists():
            self._create()
        self.client.load_collection(self.name)
        self._ready = True

    def drop(self) -> None:
        if self.exists():
            self.client.drop_collection(self.name)
        self._ready = False

    def _create(self) -> None:
        from pymilvus import DataType, Function, FunctionType

        schema = self.client.create_schema(auto_id=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field(
            "text",
            DataType.VARCHAR,
            max_length=65_535,
            enable_analyzer=True,
            analyzer_params={"tokenizer": "standard"},
        )
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        if self.encoder is not None:
            schema.add_field("dense", DataType.FLOAT_VECTOR, dim=self.encoder.dim)
        for scalar in ("city", "industry", "kind", "status"):
            schema.add_field(scalar, DataType.VARCHAR, max_length=SCALAR_CHARS * 3)
        schema.add_field("digest", DataType.INT64)
        schema.add_field("has_vector", DataType.BOOL)
        schema.add_function(
            Function(
                name="text_bm25",
                function_type=FunctionType.BM25,
                input_field_names=["text"],
                output_field_names=["sparse"],
            )
        )
        index = self.client.prepare_index_params()
        # bm25s's k1 and b, as the local engine sets them. Nested under "params" (sent as one
        # JSON value, the form older clients sent and servers still accept): pymilvus flattens
        # a plain dict into separate keys, which Milvus Lite 3.2 ignores (k1 1.5, b 0.75 then).
        index.add_index(
            "sparse",
            index_type="SPARSE_INVERTED_INDEX",
            metric_type="BM25",
            params={"params": {"bm25_k1": K1, "bm25_b": B}},
        )
        if self.encoder is not None:
            index.add_index("dense", index_type="FLAT", metric_type="IP")
        # The index is created apart, without waiting: waiting asks for a timestamp (the
        # AllocTimestamp call), which Milvus Lite does not implement.
        self.client.create_collection(self.name, schema=schema)
        self.client.create_index(self.name, index, sync=False)

    # -- writing ---------------------------------------------------------------------------
    def _row(self, entry: Entry) -> dict[str, Any]:
        row: dict[str, Any] = {
            "id": entry.id,
            "text": milvus_text(entry.fields),
            "city": _cut(entry.city, SCALAR_CHARS * 3),
            "industry": _cut(entry.industry, SCALAR_CHARS * 3),
            "kind": entry.kind,
            "status": _cut(entry.status, SCALAR_CHARS * 3),
            "digest": entry.digest,
            "has_vector": entry.vector is not None,
        }
        if self.encoder is not None:
            vector = entry.vector
            if vector is None:
                vector = np.zeros(self.encoder.dim, dtype=np.float32)
            row["dense"] = np.asarray(vector, dtype=np.float32).reshape(-1).tolist()
        return row

    def put(self, entries: Sequence[Entry]) -> None:
        """Upserts entries by id (idempotent: the same entry twice leaves one row)."""
        self.ensure()
        for start in range(0, len(entries), INSERT_BATCH):
            rows = [self._row(e) for e in entries[start : start + INSERT_BATCH]]
            self.client.upsert(self.name, rows)

    def remove(self, ids: Sequence[int]) -> None:
        """Deletes by id (an absent id is no error)."""
        if ids:
            self.ensure()
            self.client.delete(self.name, ids=list(ids))

    def flush(self) -> None:
        self.client.flush(self.name)

    def build(
        self, ids: Sequence[int], documents: Sequence[Fields], vectors: Vectors | None
    ) -> None:
        """A fresh collection over a whole corpus (evaluation and bench)."""
        from factorlink.matching.live.indexes import digest

        self.drop()
        self.ensure()
        entries = [
            Entry(int(i), d, vectors[n] if vectors is not None else None, digest(list(d)))
            for n, (i, d) in enumerate(zip(ids, documents, strict=True))
        ]
        self.put(entries)
        self.flush()

    def upsert(self, factor_id: int, document: Fields, vector: Vectors | None) -> None:
        from factorlink.matching.live.indexes import digest

        self.put([Entry(factor_id, document, vector, digest(list(document)))])

    def delete(self, factor_id: int) -> None:
        self.remove([factor_id])

    # -- reading ---------------------------------------------------------------------------
    def entries(self, batch: int = 2000) -> Iterator[tuple[int, int, bool]]:
        """Every (id, digest, has_vector) the collection holds."""
        self.ensure()
        it = self.client.query_iterator(
            self.name, batch_size=batch, filter="id >= 0", output_fields=["digest", "has_vector"]
        )
        try:
            while rows := it.next():
                for row in rows:
                    yield int(row["id"]), int(row["digest"]), bool(row["has_vector"])
        finally:
            it.close()

    def states(self, ids: Sequence[int]) -> dict[int, tuple[int, bool]]:
        """(digest, has_vector) of the given ids that the collection holds."""
        if not ids:
            return {}
        self.ensure()
        rows = self.client.get(self.name, ids=list(ids), output_fields=["digest", "has_vector"])
        return {int(r["id"]): (int(r["digest"]), bool(r["has_vector"])) for r in rows}

    def unencoded(self, limit: int) -> list[int]:
        """Ids still waiting for their vector."""
        if self.encoder is None:
            return []
        self.ensure()
        rows = self.client.query(
            self.name, filter="has_vector == false", output_fields=["id"], limit=limit
        )
        return sorted(int(r["id"]) for r in rows)

    def count(self) -> int:
        self.ensure()
        rows = self.client.query(self.name, filter="", output_fields=["count(*)"])
        return int(rows[0]["count(*)"])

    # -- searching -------------------------------------------------------------------------
    def query_vector(self, query: str) -> Vectors | None:
        return None if self.encoder is None else encode_query(self.encoder, query)

    def search(
        self,
        query: str,
        k: int,
        method: Method = Method.hybrid,
        depth: int = DEPTH,
        vector: Vectors | None = None,
        where: Mapping[str, str] | None = None,
    ) -> list[Fused]:
        """The k best documents for a query text (`where`: scalar fields that must equal)."""
        self.ensure()
        depth = max(depth, k)
        if vector is None and method != Method.bm25:
            vector = self.query_vector(query)
        if self.fusion == "rrf" and method == Method.hybrid and vector is not None:
            return self._search_rrf(query, vector, k, depth, where)
        bm25: dict[int, float] = {}
        cosine: dict[int, float] = {}
        condition = _condition(where)
        words = milvus_query(query)
        if method != Method.dense and words:
            reach = depth * (LEXICAL_REACH if method == Method.hybrid else 1)
            bm25 = self._lexical(words, reach, condition)
        if vector is not None and method != Method.bm25:
            cosine = self._dense(vector, depth, condition)
        if method == Method.hybrid:
            missing = [i for i in bm25 if i not in cosine]
            if missing and vector is not None:
                cosine.update(self._similarity(vector, missing))
            # Keep what BM25 ranks within the depth, and every dense candidate.
            kept = sorted(bm25, key=lambda i: -bm25[i])[:depth]
            bm25_kept = {i: bm25[i] for i in kept}
            for i in cosine:
                if i in bm25:
                    bm25_kept[i] = bm25[i]
            bm25 = bm25_kept
        weight = {Method.bm25: 0.0, Method.dense: 1.0}.get(method, self.dense_weight)
        best = self._reference(words, bm25)
        calibration = getattr(self.encoder, "calibration", None) or Calibration()
        return fuse(bm25, cosine, best, weight, calibration)[:k]

    def _reference(self, words: str, bm25: Mapping[int, float]) -> float:
        """What a document sharing every word of the query would score: the best BM25 found,
        divided by the share of the query's distinct terms that best document holds (the local
        engine scores the query against itself instead, from term statistics Milvus keeps to
        itself). A best match holding half the query's terms so reads 0.5, not 1."""
        if not bm25:
            return 0.0
        top_id = max(bm25, key=lambda i: bm25[i])
        wanted = set(words.split())
        if not wanted:
            return bm25[top_id]
        rows = self.client.get(self.name, ids=[top_id], output_fields=["text"])
        held = set(str(rows[0]["text"]).split()) if rows else set()
        share = len(wanted & held) / len(wanted)
        return bm25[top_id] / max(share, MIN_SHARE)

    def _lexical(self, words: str, limit: int, condition: str) -> dict[int, float]:
        found = self.client.search(
            self.name,
            data=[words],
            anns_field="sparse",
            limit=min(limit, 16_384),
            filter=condition,
            output_fields=["id"],
        )
        # Lite reports BM25 as a negative distance, a server as a positive score; both have
        # the classic (k1 + 1) factor bm25s (Lucene's form) leaves out.
        return {int(hit["id"]): abs(float(hit["distance"])) / (K1 + 1) for hit in found[0]}

    def _dense(self, vector: Vectors, limit: int, condition: str) -> dict[int, float]:
        clause = "has_vector == true" + (f" and ({condition})" if condition else "")
        found = self.client.search(
            self.name,
            data=[np.asarray(vector, dtype=np.float32).tolist()],
            anns_field="dense",
            limit=min(limit, 16_384),
            filter=clause,
            output_fields=["id"],
        )
        return {int(hit["id"]): float(hit["distance"]) for hit in found[0]}

    def _similarity(self, vector: Vectors, ids: Sequence[int]) -> dict[int, float]:
        rows = self.client.get(self.name, ids=list(ids), output_fields=["dense", "has_vector"])
        query = np.asarray(vector, dtype=np.float32)
        return {
            int(r["id"]): float(np.asarray(r["dense"], dtype=np.float32) @ query)
            for r in rows
            if r["has_vector"]
        }

    def _search_rrf(
        self, query: str, vector: Vectors, k: int, depth: int, where: Mapping[str, str] | None
    ) -> list[Fused]:
        from pymilvus import AnnSearchRequest, RRFRanker

        condition = _condition(where)
        dense_clause = "has_vector == true" + (f" and ({condition})" if condition else "")
        requests = [
            AnnSearchRequest(
                data=[milvus_query(query)],
                anns_field="sparse",
                param={},
                limit=depth,
                expr=condition or None,
            ),
            AnnSearchRequest(
                data=[np.asarray(vector, dtype=np.float32).tolist()],
                anns_field="dense",
                param={},
                limit=depth,
                expr=dense_clause,
            ),
        ]
        found = self.client.hybrid_search(self.name, requests, RRFRanker(60), limit=k)
        hits = [(int(h["id"]), float(h["distance"])) for h in found[0]]
        top = max((s for _, s in hits), default=1.0) or 1.0
        return [Fused(i, s / top, 0.0, None, 0.0, None) for i, s in hits]


def _condition(where: Mapping[str, str] | None) -> str:
    """A Milvus boolean expression requiring each scalar field to equal its value."""
    if not where:
        return ""
    parts = []
    for name, value in where.items():
        if name not in ("city", "industry", "kind", "status"):
            raise ValueError(f"no scalar field {name!r} to filter on")
        parts.append(f"{name} == {_quote(value)}")
    return " and ".join(parts)


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def chunks(items: Iterable[int], size: int) -> Iterator[list[int]]:
    """Items in lists of at most `size`."""
    batch: list[int] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
