"""nDCG, recall and MRR against hand-computed values."""

from __future__ import annotations

import math

import pytest

from factorlink.matching.evaluation.metrics import mrr, ndcg, recall, summarise


def test_ndcg_of_one_relevant_document_at_each_rank() -> None:
    assert ndcg(["a", "b"], {"a": 1}) == 1.0
    assert ndcg(["x", "a"], {"a": 1}) == pytest.approx(1 / math.log2(3))
    assert ndcg(["x"] * 10 + ["a"], {"a": 1}) == 0.0


def test_ndcg_with_graded_relevance() -> None:
    # Ideal order b(2), a(1); ranked a, b.
    dcg = 1 / math.log2(2) + 3 / math.log2(3)
    ideal = 3 / math.log2(2) + 1 / math.log2(3)
    assert ndcg(["a", "b"], {"a": 1, "b": 2}) == pytest.approx(dcg / ideal)


def test_recall_and_mrr() -> None:
    assert recall(["a", "x", "b"], {"a": 1, "b": 1, "c": 1}, 2) == pytest.approx(1 / 3)
    assert recall(["a"], {"a": 0}, 10) == 0.0
    assert mrr(["x", "y", "a"], {"a": 1}) == pytest.approx(1 / 3)
    assert mrr(["x"], {"a": 1}) == 0.0


def test_summary_averages_over_judged_queries_only() -> None:
    runs = {"q1": ["a"], "q2": ["x", "b"], "q3": ["z"]}
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}}
    figures = summarise(runs, qrels)
    assert figures["mrr@10"] == pytest.approx((1 + 0.5) / 2)
    assert figures["recall@10"] == 1.0 and figures["recall@100"] == 1.0
