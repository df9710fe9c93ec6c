"""Sentence embeddings: the encoder interface and the vector index of one kind's factors (pure).

Vectors are L2-normalised float32 rows, so a dot product is the cosine. Search is exact (one
matrix product) up to `ann_threshold` vectors and an HNSW graph (usearch) above it, whose
recall against exact search the bench reports. Like the lexical index, changes land in a delta
and deletions are masked until the next merge.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from factorlink.matching.retrieval.fusion import Calibration

Vectors = npt.NDArray[np.float32]


class Encoder(Protocol):
    """Turns texts into unit vectors; queries and passages may be encoded differently."""

    name: str
    dim: int
    calibration: Calibration

    def queries(self, texts: Sequence[str]) -> Vectors: ...

    def passages(self, texts: Sequence[str]) -> Vectors: ...


def encode_query(encoder: Encoder, query: str) -> Vectors:
    """One query's unit vector (every search backend encodes its query so)."""
    vectors: Vectors = encoder.queries([query])
    first: Vectors = vectors[0]
    return first


class DenseIndex:
    """Cosine similarity of a query vector to every live vector, by integer id."""

    def __init__(self, dim: int, ann_threshold: int = 200_000) -> None:
        self.dim = dim
        self.ann_threshold = ann_threshold
        self.ids = np.zeros(0, dtype=np.int64)
        self.vectors: Vectors = np.zeros((0, dim), dtype=np.float32)
        self.alive = np.zeros(0, dtype=bool)
        self._row: dict[int, int] = {}
        self._delta: dict[int, Vectors] = {}
        self._ann: object | None = None

    def build(self, ids: Sequence[int], vectors: Vectors) -> None:
        """A fresh segment over these vectors; the delta is emptied."""
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
        self.ids = np.asarray(ids, dtype=np.int64)
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        self.alive = np.ones(len(self.ids), dtype=bool)
        self._row = {int(i): n for n, i in enumerate(self.ids)}
        self._delta = {}
        self._ann = self._build_ann() if len(self.ids) > self.ann_threshold else None

    def _build_ann(self) -> object:
        from usearch.index import Index

        index = Index(
            ndim=self.dim,
            metric="ip",
            dtype="f16",
            connectivity=16,
            expansion_add=64,
            expansion_search=256,
        )
        index.add(np.arange(len(self.ids), dtype=np.uint64), self.vectors, threads=0)
        return index

    def upsert(self, factor_id: int, vector: Vectors) -> None:
        """Adds or replaces a vector; it lives in the delta until the next merge."""
        self.delete(factor_id)
        self._delta[factor_id] = np.asarray(vector, dtype=np.float32).reshape(self.dim)

    def delete(self, factor_id: int) -> None:
        """Removes a vector wherever it lives."""
        row = self._row.get(factor_id)
        if row is not None:
            self.alive[row] = False
        self._delta.pop(factor_id, None)

    def has(self, factor_id: int) -> bool:
        """Whether a live vector exists for the id."""
        row = self._row.get(factor_id)
        return factor_id in self._delta or (row is not None and bool(self.alive[row]))

    def __len__(self) -> int:
        return int(self.alive.sum()) + len(self._delta)

    def search(
        self, query: Vectors, k: int, exact: bool = False
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """The k most similar live vectors: (ids, cosines), best first."""
        ids, sims = self._segment_search(query, k, exact)
        if self._delta:
            delta_ids = np.fromiter(self._delta, dtype=np.int64, count=len(self._delta))
            delta = np.stack([self._delta[int(i)] for i in delta_ids]) @ query
            ids = np.concatenate([ids, delta_ids])
            sims = np.concatenate([sims, delta.astype(np.float32)])
        order = np.argsort(-sims, kind="stable")[:k]
        return ids[order], sims[order]

    def _segment_search(
        self, query: Vectors, k: int, exact: bool
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        if not len(self.ids):
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        if self._ann is not None and not exact:
            # Over-fetch so that masked (deleted) rows do not leave the answer short.
            wanted = min(len(self.ids), k + int((~self.alive).sum()) + 16)
            found = self._ann.search(query, wanted)  # type: ignore[attr-defined]
            rows = np.asarray(found.keys, dtype=np.int64)
            sims = 1.0 - np.asarray(found.distances, dtype=np.float32)
            keep = self.alive[rows]
            return self.ids[rows[keep]], sims[keep]
        sims = self.vectors @ query
        sims = np.where(self.alive, sims, -np.inf).astype(np.float32)
        top = np.argpartition(-sims, k)[:k] if len(sims) > k else np.arange(len(sims))
        top = top[np.isfinite(sims[top])]
        return self.ids[top], sims[top]

    def similarity(self, query: Vectors, factor_ids: Sequence[int]) -> npt.NDArray[np.float32]:
        """Cosines of the query to the given live ids (0 where an id has no vector)."""
        out = np.zeros(len(factor_ids), dtype=np.float32)
        for n, factor_id in enumerate(factor_ids):
            vector = self._delta.get(factor_id)
            if vector is None:
                row = self._row.get(factor_id)
                if row is None or not self.alive[row]:
                    continue
                vector = self.vectors[row]
            out[n] = float(vector @ query)
        return out
