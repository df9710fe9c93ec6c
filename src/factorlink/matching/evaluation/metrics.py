"""Retrieval metrics of the evaluation: nDCG@k, Recall@k and MRR@k (pure)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def ndcg(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain of the first k results (graded relevance)."""
    gains = [relevant.get(doc, 0) for doc in ranked[:k]]
    dcg = sum((2**g - 1) / math.log2(n + 2) for n, g in enumerate(gains))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(n + 2) for n, g in enumerate(ideal))
    return dcg / best if best > 0 else 0.0


def recall(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float:
    """Share of the relevant documents found in the first k results."""
    wanted = {doc for doc, grade in relevant.items() if grade > 0}
    if not wanted:
        return 0.0
    return len(wanted.intersection(ranked[:k])) / len(wanted)


def mrr(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """Reciprocal rank of the first relevant result within the first k."""
    for n, doc in enumerate(ranked[:k]):
        if relevant.get(doc, 0) > 0:
            return 1.0 / (n + 1)
    return 0.0


def summarise(
    runs: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]]
) -> dict[str, float]:
    """Mean nDCG@10, Recall@10, Recall@100 and MRR@10 over the judged queries."""
    judged = [q for q in qrels if q in runs]
    if not judged:
        return {"ndcg@10": 0.0, "recall@10": 0.0, "recall@100": 0.0, "mrr@10": 0.0}
    n = len(judged)
    return {
        "ndcg@10": sum(ndcg(runs[q], qrels[q]) for q in judged) / n,
        "recall@10": sum(recall(runs[q], qrels[q], 10) for q in judged) / n,
        "recall@100": sum(recall(runs[q], qrels[q], 100) for q in judged) / n,
        "mrr@10": sum(mrr(runs[q], qrels[q]) for q in judged) / n,
    }
