"""The vector index: exact search, live changes, and the HNSW path above its threshold."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from factorlink.matching.retrieval.dense import DenseIndex


def _unit(rows: npt.NDArray[np.float64]) -> np.ndarray:
    norms: npt.NDArray[np.float64] = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / norms).astype(np.float32)


@pytest.fixture
def vectors() -> np.ndarray:
    return _unit(np.random.default_rng(3).normal(size=(300, 16)))


def test_exact_search_returns_cosines_best_first(vectors: np.ndarray) -> None:
    index = DenseIndex(16)
    index.build(list(range(100, 400)), vectors)
    ids, sims = index.search(vectors[7], 5)
    assert ids[0] == 107 and sims[0] == pytest.approx(1.0, abs=1e-5)
    expected = np.argsort(-(vectors @ vectors[7]))[:5] + 100
    assert ids.tolist() == expected.tolist()
    assert list(sims) == sorted(sims, reverse=True)


def test_changes_live_in_the_delta_and_deletions_are_masked(vectors: np.ndarray) -> None:
    index = DenseIndex(16)
    index.build(list(range(300)), vectors)
    index.upsert(7, vectors[8])
    assert set(index.search(vectors[8], 2)[0].tolist()) == {7, 8}
    index.delete(8)
    assert 8 not in index.search(vectors[8], 10)[0].tolist()
    index.upsert(1000, vectors[9])
    assert index.has(1000) and not index.has(8)
    assert len(index) == 300
    assert index.similarity(vectors[9], [1000, 8, 4242]).tolist()[1:] == [0.0, 0.0]


def test_ids_and_vectors_must_agree(vectors: np.ndarray) -> None:
    with pytest.raises(ValueError, match="3 ids for 300 vectors"):
        DenseIndex(16).build([1, 2, 3], vectors)


def test_hnsw_above_the_threshold_finds_stored_vectors(vectors: np.ndarray) -> None:
    index = DenseIndex(16, ann_threshold=100)
    index.build(list(range(300)), vectors)
    assert index._ann is not None
    # Approximate by nature (and built on several threads, so not exactly repeatable): nearly
    # every stored vector is among the five the graph returns for itself (worst of 40 random
    # builds: 0.97).
    found = np.mean([n in index.search(vectors[n], 5)[0].tolist() for n in range(300)])
    assert found >= 0.9
    index.delete(20)
    assert 20 not in index.search(vectors[20], 5)[0].tolist()
    exact = index.search(vectors[20], 5, exact=True)[0].tolist()
    assert 20 not in exact and len(exact) == 5
