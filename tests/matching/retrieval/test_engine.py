"""TextIndex: the three methods over one corpus, with the real encoder."""

from __future__ import annotations

import pytest

from factorlink.matching.live.encoders import get_encoder
from factorlink.matching.retrieval.engine import Method, TextIndex

CORPUS = {
    1: "锂离子电池热失控早期预警与液冷热管理系统",
    2: "基于深度学习的晶圆表面缺陷检测与良率分析",
    3: "中药复方制剂的质量控制与药效学评价",
    4: "高导热石墨烯复合散热膜的制备工艺",
}


@pytest.fixture(scope="module")
def index() -> TextIndex:
    encoder = get_encoder("e5")
    text = TextIndex(encoder)
    ids = list(CORPUS)
    docs = [[(t, 1)] for t in CORPUS.values()]
    text.build(ids, docs, encoder.passages(list(CORPUS.values())))
    return text


def test_each_method_finds_the_plain_match(index: TextIndex) -> None:
    for method in Method:
        assert index.search("晶圆缺陷检测", 2, method)[0].id == 2


def test_meaning_finds_what_shares_no_word(index: TextIndex) -> None:
    # "动力电池过热" shares 电池 only with 1; "芯片制造良品率" shares nothing with 2's words.
    assert index.search("芯片制造的良品率提升", 1, Method.dense)[0].id == 2
    hybrid = index.search("芯片制造的良品率提升", 2, Method.hybrid)
    assert hybrid[0].id == 2 and hybrid[0].semantic is not None


def test_bm25_alone_has_no_semantic_evidence(index: TextIndex) -> None:
    hits = index.search("石墨烯散热", 3, Method.bm25)
    assert hits[0].id == 4 and all(h.semantic is None for h in hits)
    assert all(0 <= h.relevance <= 1 for h in hits)


def test_changes_and_late_vectors(index: TextIndex) -> None:
    index.upsert(5, [("氢燃料电池双极板涂层", 1)], None)
    hit = index.search("双极板", 1, Method.hybrid)[0]
    assert hit.id == 5 and hit.semantic is None  # found by its words until its vector comes
    encoder = index.encoder
    assert encoder is not None
    index.dense.upsert(5, encoder.passages(["氢燃料电池双极板涂层"])[0])
    assert index.search("双极板", 1, Method.hybrid)[0].semantic is not None
    index.delete(5)
    assert all(h.id != 5 for h in index.search("双极板", 5, Method.hybrid))


def test_without_an_encoder_every_method_is_lexical() -> None:
    text = TextIndex(None)
    text.build([1, 2], [[("电池回收", 1)], [("光伏组件", 1)]], None)
    assert [h.id for h in text.search("电池", 5, Method.hybrid)] == [1]
    assert text.query_vector("电池") is None
