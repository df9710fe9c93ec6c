"""BM25 of the lexical index: bm25s as the reference, a hand computation, and live changes."""

from __future__ import annotations

import math
from collections import Counter

import bm25s
import numpy as np
import pytest

from factorlink.matching.retrieval.lexical import LexicalIndex
from factorlink.matching.retrieval.text import tokens

DOCS = [
    "锂离子电池热失控预警方法",
    "动力电池包液冷板轻量化设计",
    "石墨烯导热膜制备工艺",
    "晶圆缺陷检测与良率分析",
    "电池回收与梯次利用技术",
]


def _index(docs: list[str] = DOCS) -> LexicalIndex:
    index = LexicalIndex()
    index.build(list(range(1, len(docs) + 1)), [tokens(d) for d in docs])
    return index


def test_segment_scores_equal_bm25s_on_the_same_corpus() -> None:
    index = _index()
    reference = bm25s.BM25(k1=0.9, b=0.4)
    reference.index([tokens(d) for d in DOCS], show_progress=False)
    query = tokens("电池热管理")
    known = [t for t in query if t in reference.vocab_dict]
    ids, scores = index.all_scores(query)
    assert ids.tolist() == [1, 2, 3, 4, 5]
    np.testing.assert_allclose(scores, reference.get_scores(known), rtol=1e-5)


def test_delta_documents_are_scored_like_the_segment() -> None:
    # Re-indexed from the delta, a document keeps its place and about its score: the
    # statistics count it twice (dead in the segment, live in the delta), which in this five-
    # document corpus is a large share and in a real one a negligible one.
    index = _index()
    query = tokens("电池热失控")
    _, before = index.all_scores(query)
    index.upsert(1, tokens(DOCS[0]))
    ids, after = index.search(query, 5)
    assert ids[0] == 1 and after[0] == pytest.approx(before[0], rel=0.3)


def test_an_index_filled_by_changes_scores_exactly_as_bm25s() -> None:
    # A new database, then an import: no segment, every document in the delta.
    index = LexicalIndex()
    index.build([], [])
    for n, doc in enumerate(DOCS, start=1):
        index.upsert(n, tokens(doc))
    index.upsert(99, tokens("临时文档"))
    index.delete(99)
    reference = bm25s.BM25(k1=0.9, b=0.4)
    reference.index([tokens(d) for d in DOCS], show_progress=False)
    query = tokens("电池热管理")
    known = [t for t in query if t in reference.vocab_dict]
    ids, scores = index.all_scores(query)
    by_id = dict(zip(ids.tolist(), scores.tolist(), strict=True))
    np.testing.assert_allclose(
        [by_id[n] for n in range(1, 6)], reference.get_scores(known), rtol=1e-5
    )


def test_score_by_hand() -> None:
    index = _index(["电池", "电池 电池 回收", "光伏"])
    n, k1, b = 3, 0.9, 0.4
    lengths = [len(tokens(d)) for d in ["电池", "电池 电池 回收", "光伏"]]
    avgdl = sum(lengths) / n
    df = 2
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    tf, dl = 2, lengths[1]
    expected = 0.0
    for _term in ("电池",):
        expected += idf * tf / (tf + k1 * (1 - b + b * dl / avgdl))
    counts = Counter(tokens("电池 电池 回收"))
    assert index.score(["电池"], counts) == pytest.approx(expected)
    _ids, scores = index.all_scores(["电池"])
    assert scores[1] == pytest.approx(expected, rel=1e-5)


def test_search_ranks_and_skips_documents_without_a_shared_token() -> None:
    ids, scores = _index().search(tokens("电池"), 10)
    assert set(ids.tolist()) == {1, 2, 5}
    assert list(scores) == sorted(scores, reverse=True)


def test_upsert_and_delete_show_at_once() -> None:
    index = _index()
    index.upsert(3, tokens("钠离子电池正极材料"))
    assert 3 in index.search(tokens("钠离子"), 5)[0].tolist()
    assert 3 not in index.search(tokens("石墨烯"), 5)[0].tolist()
    index.upsert(9, tokens("氢燃料电池双极板"))
    assert index.search(tokens("双极板"), 5)[0].tolist()[0] == 9
    index.delete(9)
    index.delete(2)
    assert 9 not in index.search(tokens("双极板"), 5)[0].tolist()
    assert 2 not in index.search(tokens("液冷板"), 5)[0].tolist()
    assert len(index) == 5 - 1 and index.live_ids() == {1, 3, 4, 5}


def test_scores_of_named_ids_cover_segment_delta_and_unknown() -> None:
    index = _index()
    index.upsert(7, tokens("电池热管理"))
    query = tokens("电池")
    scores = index.scores_of(query, [1, 7, 3, 99])
    assert scores[0] > 0 and scores[1] > 0 and scores[2] == 0 and scores[3] == 0


def test_empty_index_answers_nothing() -> None:
    index = LexicalIndex()
    index.build([], [])
    assert index.search(tokens("电池"), 5)[0].tolist() == []
    index.upsert(1, tokens("电池"))
    assert index.search(tokens("电池"), 5)[0].tolist() == [1]
