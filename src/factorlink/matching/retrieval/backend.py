"""The seam between the matching engine and where its text relevance is computed (pure).

A `SearchBackend` holds one corpus (one kind's factors) and answers a query text with fused
candidates (`Fused`: relevance in 0..1 and the evidence behind it). `TextIndex` (`engine.py`,
bm25s and in-process vectors) is the local one; `live/milvus.py` keeps the same corpus in a
Milvus collection (its built-in BM25 and a dense vector field) and fuses both retrievers'
candidates with the same `fusion.fuse`. Structured fit and explanations run on top, unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from factorlink.matching.retrieval.dense import Vectors
from factorlink.matching.retrieval.engine import DEPTH, Fields, Method
from factorlink.matching.retrieval.fusion import Fused


class SearchBackend(Protocol):
    """One corpus, searchable by BM25, by embeddings, or by both fused."""

    def build(
        self, ids: Sequence[int], documents: Sequence[Fields], vectors: Vectors | None
    ) -> None:
        """Indexes a whole corpus afresh (vectors in the same order as the ids, or none)."""
        ...

    def upsert(self, factor_id: int, document: Fields, vector: Vectors | None) -> None:
        """Adds or replaces one document (its vector may follow later)."""
        ...

    def delete(self, factor_id: int) -> None:
        """Removes one document."""
        ...

    def query_vector(self, query: str) -> Vectors | None:
        """The encoded query, when an encoder is there."""
        ...

    def search(
        self,
        query: str,
        k: int,
        method: Method = Method.hybrid,
        depth: int = DEPTH,
        vector: Vectors | None = None,
    ) -> list[Fused]:
        """The k best documents for a query text, by the given method."""
        ...
