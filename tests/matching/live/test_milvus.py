"""One kind's Milvus collection (a real Milvus Lite file): BM25's sign, filters, upserts by id."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from factorlink.matching.live.indexes import digest
from factorlink.matching.live.milvus import (
    SCHEMA,
    Entry,
    MilvusIndex,
    collection_name,
    connect,
    disconnect,
    milvus_query,
    milvus_text,
    spell,
)
from factorlink.matching.retrieval.dense import Vectors
from factorlink.matching.retrieval.engine import Method, passage_text
from factorlink.matching.retrieval.fusion import Calibration
from factorlink.matching.retrieval.lexical import LexicalIndex
from factorlink.matching.retrieval.text import field_tokens, tokens

DOCS = {
    1: ([("新能源汽车电池管理系统", 2), ("电池包均衡与热管理", 1)], "松江"),
    2: ([("锂电池正极材料", 2), ("高镍三元正极材料的制备", 1)], "嘉兴"),
    3: ([("工业机器人视觉检测", 2), ("机器视觉与缺陷检测", 1)], "松江"),
}


class CharacterEncoder:
    """Unit vectors of hashed characters: texts sharing characters lie close (the encoder is
    not what these tests are about; Milvus is)."""

    name = "chars-16"
    dim = 16
    calibration = Calibration(floor=0.0, ceiling=1.0)

    def _encode(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for n, text in enumerate(texts):
            for ch in text:
                out[n, hashlib.blake2b(ch.encode(), digest_size=1).digest()[0] % self.dim] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.where(norms == 0, 1, norms)).astype(np.float32)

    def queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)

    def passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Any]:
    url = str(tmp_path / "search.db")
    client = connect(url)
    yield client
    disconnect(client, url)


def _filled(client: Any, encoder: CharacterEncoder | None) -> MilvusIndex:
    index = MilvusIndex(client, "test_achievement", encoder)
    index.put(
        [
            Entry(
                factor_id,
                fields,
                encoder.passages([passage_text(fields)])[0] if encoder is not None else None,
                digest(fields),
                city=city,
                kind="achievement",
            )
            for factor_id, (fields, city) in DOCS.items()
        ]
    )
    return index


def test_bm25_reads_positive_best_first(client: Any) -> None:
    """Lite reports BM25 as a negative distance: the index turns it into a positive score and
    keeps the best match first."""
    index = _filled(client, None)
    raw = client.search(index.name, data=[milvus_query("正极材料")], anns_field="sparse", limit=3)
    assert raw[0] and all(hit["distance"] < 0 for hit in raw[0])  # Lite's sign
    found = index.search("正极材料", 3, Method.bm25)
    assert found[0].id == 2 and found[0].bm25 > 0 and found[0].lexical == 1.0
    assert all(hit.id != 3 for hit in found)  # shares no word


def test_bm25_reads_the_local_engines_tokens_and_scores_as_bm25s(client: Any) -> None:
    """Milvus's BM25 counts FactorLink's own tokens (character unigrams and bigrams, a title
    twice) with bm25s's k1 and b: every document scores what the local engine gives it."""
    index = _filled(client, None)
    local = LexicalIndex()
    local.build(list(DOCS), (field_tokens(fields) for fields, _ in DOCS.values()))
    for query in ("正极材料", "电池热管理", "机器视觉检测 电池"):
        found = index.search(query, 3, Method.bm25)
        expected = local.scores_of(tokens(query), [hit.id for hit in found])
        assert found and [hit.bm25 for hit in found] == pytest.approx(expected, rel=1e-5)
        every = local.scores_of(tokens(query), list(DOCS))
        assert {hit.id for hit in found} == {
            i for i, score in zip(DOCS, every, strict=True) if score > 0
        }


def test_tokens_are_spelled_as_whole_lower_case_words() -> None:
    """What the `standard` analyzer keeps whole: one word of letters, stable, the same for a
    document's token and a query's."""
    words = milvus_text([("锂电池PM2.5", 2), ("", 1)]).split()
    assert len(words) == 2 * len(tokens("锂电池PM2.5"))
    assert all(w.isascii() and w.isalpha() and w.islower() and len(w) == 8 for w in words)
    assert spell("电池") == spell("电池") != spell("电")
    assert spell("电池") in milvus_query("新型电池").split()
    assert collection_name("factorlink", "space", None).endswith(f"_words_{SCHEMA}")


def test_the_lexical_scale_reads_the_share_of_the_query_the_best_match_holds(
    client: Any,
) -> None:
    index = _filled(client, None)
    full = index.search("正极材料", 1, Method.bm25)[0]
    half = index.search("正极材料 区块链 量子", 1, Method.bm25)[0]
    assert full.lexical == 1.0
    assert half.id == 2 and half.lexical < 0.7


def test_a_filter_holds_for_both_retrievers(client: Any) -> None:
    """Lite ignores `filter` on hybrid_search: each retriever gets it instead."""
    index = _filled(client, CharacterEncoder())
    found = index.search("电池材料", 10, Method.hybrid, where={"city": "嘉兴"})
    assert [hit.id for hit in found] == [2]
    unfiltered = index.search("电池材料", 10, Method.hybrid)
    assert {hit.id for hit in unfiltered} >= {1, 2}
    with pytest.raises(ValueError, match="no scalar field"):
        index.search("电池", 3, where={"title": "x"})


def test_the_scalar_fields_are_stored(client: Any) -> None:
    index = _filled(client, None)
    rows = client.get(index.name, ids=[1], output_fields=["city", "kind", "status", "digest"])
    assert rows[0]["digest"] == digest(DOCS[1][0])
    assert (rows[0]["city"], rows[0]["kind"], rows[0]["status"]) == ("松江", "achievement", "")


def test_build_replaces_the_whole_collection(client: Any) -> None:
    index = _filled(client, None)
    index.build([7], [[("量子通信", 1)]], None)
    assert [i for i, _, _ in index.entries()] == [7]


def test_hybrid_fuses_words_and_vectors(client: Any) -> None:
    encoder = CharacterEncoder()
    index = _filled(client, encoder)
    found = index.search("电池热管理", 3, Method.hybrid)
    assert found[0].id == 1
    assert found[0].cosine is not None and found[0].semantic is not None
    dense = index.search("电池热管理", 3, Method.dense)
    assert all(hit.bm25 == 0 for hit in dense)


def test_upserts_by_id_are_idempotent_and_deletes_remove(client: Any) -> None:
    index = _filled(client, None)
    index.upsert(2, [("钠离子电池负极材料", 2)], None)
    index.upsert(2, [("钠离子电池负极材料", 2)], None)
    held = list(index.entries())
    assert sorted(i for i, _, _ in held) == [1, 2, 3]
    assert index.search("钠离子", 1, Method.bm25)[0].id == 2
    index.delete(3)
    index.delete(3)
    assert sorted(i for i, _, _ in index.entries()) == [1, 2]
    assert index.count() == 2


def test_an_entry_without_vector_waits_and_is_found_by_words(client: Any) -> None:
    encoder = CharacterEncoder()
    index = _filled(client, encoder)
    index.upsert(4, [("氢燃料电池电堆", 2)], None)
    assert index.unencoded(10) == [4]
    dense = index.search("氢燃料电池电堆", 10, Method.dense)
    assert 4 not in [hit.id for hit in dense]
    hybrid = index.search("氢燃料电池电堆", 10, Method.hybrid)
    assert hybrid[0].id == 4 and hybrid[0].semantic is None
