"""Typos corrected towards a corpus's terms: one wrong character of a Chinese run, one edit of a
Latin word; known terms never changed; the phrase to confirm in the text."""

from __future__ import annotations

from collections import Counter

from factorlink.matching.retrieval.lexical import LexicalIndex
from factorlink.matching.retrieval.spelling import corrections
from factorlink.matching.retrieval.text import tokens

CORPUS = [
    "高导热石墨烯复合散热膜",
    "石墨烯增强铝基复合材料",
    "锂电池负极用人造石墨",
    "石墨化炉节能改造",
    "碳化硅功率器件",
    "锂电池热失控预警",
    "智能制造能源管理平台",
    "车规级IGBT模块封装",
]


def _index(texts: list[str]) -> LexicalIndex:
    index = LexicalIndex()
    index.build(list(range(len(texts))), (tokens(t) for t in texts))
    return index


def test_the_index_tells_its_terms_and_their_document_frequency() -> None:
    index = _index(CORPUS[:3])
    assert index.document_frequency("石墨") == 3
    assert index.document_frequency("墨烯") == 2
    assert index.document_frequency("墨稀") == 0
    index.upsert(10, tokens("石墨烯导热垫片"))
    assert index.document_frequency("墨烯") == 3
    assert "垫片" in index.terms() and "墨烯" in index.terms()
    index.delete(10)
    assert index.document_frequency("垫片") == 0


def test_one_wrong_character_at_the_end_of_a_run() -> None:
    found = corrections("石墨稀", _index(CORPUS))
    fixed = [c.corrected for c in found]
    # Every character that 墨 is followed by in the corpus, the commonest first.
    assert fixed[0] == "石墨烯" and set(fixed) == {"石墨烯", "石墨化"}
    assert found[0].typed == "石墨稀" and found[0].query == "石墨烯"
    assert found[0].phrase == "石墨烯" and found[0].support == 2


def test_a_wrong_character_inside_a_run_must_fit_both_neighbours() -> None:
    found = corrections("锂点池", _index(CORPUS))
    assert [c.corrected for c in found] == ["锂电池"]
    assert corrections("石稀烯", _index(CORPUS))[0].corrected == "石墨烯"


def test_the_rest_of_the_query_is_kept() -> None:
    found = corrections("杭州 石墨稀 散热", _index(CORPUS))
    assert found[0].query == "杭州 石墨烯 散热"


def test_known_terms_and_short_runs_are_left_alone() -> None:
    index = _index(CORPUS)
    assert corrections("石墨烯散热膜", index) == []
    assert corrections("锂电池热失控", index) == []
    assert corrections("墨稀", index) == []  # one bigram: which character is wrong?
    # Unknown bigrams on both sides of two positions: not one typo.
    assert corrections("量子通信", index) == []


def test_the_phrase_to_confirm_holds_two_neighbours_each_side() -> None:
    # 能源 is known, 氢能 is not: 智能源 is a candidate that only the text can refute.
    found = corrections("氢能源管理", _index(CORPUS))
    assert found and all(c.phrase == c.corrected[:3] for c in found)
    inside = corrections("碳化桂功率", _index(CORPUS))
    assert inside[0].corrected == "碳化硅功率" and inside[0].phrase == "碳化硅功率"


def test_a_latin_word_one_edit_away() -> None:
    index = _index(CORPUS)
    assert [c.corrected for c in corrections("IGTB模块", index)] == ["igbt"]
    assert corrections("IGTB模块", index)[0].query == "igbt模块"
    assert corrections("igbt", index) == []
    assert corrections("xyz", index) == []  # too short to guess


def test_candidates_are_ranked_and_limited() -> None:
    texts = [f"石墨{ch}材料" for ch in "烯烯烯化化粉乳块板片"]
    found = corrections("石墨稀", _index(texts), limit=3)
    assert len(found) == 3
    assert [c.corrected for c in found][:2] == ["石墨烯", "石墨化"]
    assert Counter(c.support for c in found)[3] == 1
