"""Text relevance over one corpus: BM25, dense vectors and their fusion (pure).

A `TextIndex` holds the lexical and the vector index of one kind's factors and answers a query
by one of three methods. It knows nothing of databases or files: the caller feeds it documents,
vectors and changes (`matching/indexes.py` for the product, `matching/evaluate.py` for a BEIR
corpus), so the product and the evaluation rank with exactly the same code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from enum import StrEnum

import numpy as np

from factorlink.matching.retrieval.dense import DenseIndex, Encoder, Vectors, encode_query
from factorlink.matching.retrieval.fusion import DENSE_WEIGHT, Fused, fuse
from factorlink.matching.retrieval.lexical import LexicalIndex
from factorlink.matching.retrieval.text import field_tokens, tokens

Fields = Sequence[tuple[str, int]]

# Candidates each retriever proposes to the fusion.
DEPTH = 100


def passage_text(fields: Fields) -> str:
    """What the encoder reads of a document: its non-empty fields, in order."""
    return "\n".join(text for text, _ in fields if text)


class Method(StrEnum):
    """How a query is answered."""

    bm25 = "bm25"
    dense = "dense"
    hybrid = "hybrid"


class TextIndex:
    """One corpus, searchable by BM25, by embeddings, or by both fused."""

    def __init__(self, encoder: Encoder | None, dense_weight: float = DENSE_WEIGHT) -> None:
        self.encoder = encoder
        self.dense_weight = dense_weight
        self.lexical = LexicalIndex()
        self.dense = DenseIndex(encoder.dim if encoder else 1)

    def build(
        self, ids: Sequence[int], documents: Sequence[Fields], vectors: Vectors | None
    ) -> None:
        """Indexes a whole corpus (vectors in the same order as the ids, or none)."""
        self.lexical.build(ids, (field_tokens(d) for d in documents))
        if vectors is not None:
            self.dense.build(ids, vectors)

    def upsert(self, factor_id: int, document: Fields, vector: Vectors | None) -> None:
        """Adds or replaces one document (its vector may follow later)."""
        self.lexical.upsert(factor_id, field_tokens(document))
        if vector is not None:
            self.dense.upsert(factor_id, vector)
        else:
            self.dense.delete(factor_id)

    def delete(self, factor_id: int) -> None:
        """Removes one document."""
        self.lexical.delete(factor_id)
        self.dense.delete(factor_id)

    def query_vector(self, query: str) -> Vectors | None:
        """The encoded query, when an encoder and vectors are there."""
        if self.encoder is None or not len(self.dense):
            return None
        return encode_query(self.encoder, query)

    def search(
        self,
        query: str,
        k: int,
        method: Method = Method.hybrid,
        depth: int = DEPTH,
        vector: Vectors | None = None,
    ) -> list[Fused]:
        """The k best documents for a query text, by the given method (the query's vector may
        be given, encoded beforehand)."""
        depth = max(depth, k)
        bm25: dict[int, float] = {}
        cosine: dict[int, float] = {}
        query_tokens = tokens(query)
        if vector is None and method != Method.bm25:
            vector = self.query_vector(query)
        if method != Method.dense:
            found, scores = self.lexical.search(query_tokens, depth)
            bm25 = dict(zip(found.tolist(), scores.tolist(), strict=True))
        if vector is not None:
            found, sims = self.dense.search(vector, depth)
            cosine = dict(zip(found.tolist(), sims.tolist(), strict=True))
        if method == Method.hybrid:
            self._complete(query_tokens, vector, bm25, cosine)
        weight = {Method.bm25: 0.0, Method.dense: 1.0}.get(method, self.dense_weight)
        best = self.lexical.score(query_tokens, Counter(query_tokens))
        calibration = getattr(self.encoder, "calibration", None)
        return fuse(bm25, cosine, best, weight, calibration)[:k]

    def _complete(
        self,
        query_tokens: list[str],
        vector: Vectors | None,
        bm25: dict[int, float],
        cosine: dict[int, float],
    ) -> None:
        """Gives every candidate both scores, so fusion compares like with like."""
        missing_lex = [i for i in cosine if i not in bm25]
        if missing_lex:
            scores = self.lexical.scores_of(query_tokens, missing_lex)
            bm25.update(zip(missing_lex, scores, strict=True))
        missing_dense = [i for i in bm25 if i not in cosine and self.dense.has(i)]
        if vector is not None and missing_dense:
            sims = self.dense.similarity(vector, missing_dense)
            cosine.update(zip(missing_dense, np.asarray(sims).tolist(), strict=True))
