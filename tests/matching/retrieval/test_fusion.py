"""Fusion of BM25 and cosine evidence on an absolute scale."""

from __future__ import annotations

import pytest

from factorlink.matching.retrieval.fusion import Calibration, fuse


def test_relevance_mixes_scaled_lexical_and_semantic_scores() -> None:
    (hit,) = fuse({1: 5.0}, {1: 0.80}, best_bm25=10.0)
    assert hit.lexical == pytest.approx(0.5)
    assert hit.semantic == pytest.approx((0.80 - 0.75) / 0.20)
    assert hit.relevance == pytest.approx(0.4 * 0.5 + 0.6 * 0.25)
    assert (hit.bm25, hit.cosine) == (5.0, 0.80)


def test_scales_are_clipped() -> None:
    (hit,) = fuse({1: 30.0}, {1: 0.99}, best_bm25=10.0)
    assert hit.lexical == 1.0 and hit.semantic == 1.0 and hit.relevance == 1.0
    (low,) = fuse({}, {2: 0.5}, best_bm25=10.0)
    assert low.lexical == 0.0 and low.semantic == 0.0


def test_semantic_evidence_can_outrank_a_weak_word_match() -> None:
    ranked = fuse({1: 2.0, 2: 1.0}, {1: 0.76, 2: 0.93}, best_bm25=10.0)
    assert [h.id for h in ranked] == [2, 1]


def test_weight_zero_ranks_by_words_and_one_by_meaning() -> None:
    bm25, cosine = {1: 8.0, 2: 1.0}, {1: 0.76, 2: 0.93}
    assert [h.id for h in fuse(bm25, cosine, 10.0, dense_weight=0.0)] == [1, 2]
    assert [h.id for h in fuse(bm25, cosine, 10.0, dense_weight=1.0)] == [2, 1]


def test_a_document_without_a_vector_is_judged_by_its_words() -> None:
    ranked = fuse({1: 6.0, 2: 6.0}, {2: 0.75}, best_bm25=10.0)
    by_id = {h.id: h for h in ranked}
    assert by_id[1].semantic is None and by_id[1].relevance == pytest.approx(0.6)
    assert by_id[2].relevance == pytest.approx(0.4 * 0.6)


def test_calibration_and_ties() -> None:
    assert Calibration(0.5, 1.0).scale(0.75) == pytest.approx(0.5)
    ranked = fuse({3: 1.0, 1: 1.0}, {}, best_bm25=2.0)
    assert [h.id for h in ranked] == [1, 3]
    assert fuse({}, {}, best_bm25=0.0) == []
