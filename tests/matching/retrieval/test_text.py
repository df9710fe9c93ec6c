"""Normalisation, BM25 tokens and explanation words of Chinese text."""

from __future__ import annotations

from pathlib import Path

from factorlink.matching.retrieval.text import (
    WordCutter,
    field_tokens,
    normalise,
    shared_terms,
    tokens,
)


def test_normalise_folds_width_script_case_and_number_format() -> None:
    assert normalise("ＡＢＣ１２３，锂電池 1,000 元") == "abc123,锂电池 1000 元"
    assert normalise("熱管理系統") == "热管理系统"


def test_tokens_are_unigrams_and_bigrams_of_chinese_runs_and_whole_latin_words() -> None:
    assert tokens("石墨烯膜") == ["石", "墨", "烯", "膜", "石墨", "墨烯", "烯膜"]
    assert tokens("AI芯片 5G") == ["ai", "芯", "片", "芯片", "5g"]
    assert tokens("PM2.5传感器, Li-ion 3.5万") == [
        "pm2.5", "传", "感", "器", "传感", "感器", "li-ion", "3.5", "万"
    ]  # fmt: skip


def test_tokens_drop_function_characters_as_unigrams_but_keep_them_in_bigrams() -> None:
    assert tokens("电池的回收") == ["电", "池", "回", "收", "电池", "池的", "的回", "回收"]


def test_tokens_split_at_punctuation_and_ignore_english_stop_words() -> None:
    assert tokens("电池。回收") == ["电", "池", "电池", "回", "收", "回收"]
    assert tokens("the battery and PACK") == ["battery", "pack"]


def test_traditional_and_full_width_text_meets_simplified_text() -> None:
    assert tokens("鋰電池") == tokens("锂电池")
    assert tokens("ＧＰＵ算力") == tokens("GPU算力")


def test_field_weights_repeat_tokens() -> None:
    assert field_tokens([("电池", 2), ("回收", 1), ("", 3)]) == [
        *tokens("电池"),
        *tokens("电池"),
        *tokens("回收"),
    ]


def test_word_cutter_keeps_domain_terms_whole(tmp_path: Path) -> None:
    cutter = WordCutter(["第三代半导体", "热管理"], cache_dir=str(tmp_path))
    words = cutter.words("寻找第三代半导体功率器件的热管理方案，提供技术合作")
    assert "第三代半导体" in words and "热管理" in words
    # Words that say nothing about the subject are left out.
    assert "技术" not in words and "合作" not in words and "提供" not in words
    assert (tmp_path / "jieba.cache").is_file()


def test_shared_terms_are_the_query_words_found_in_the_document_longest_first(
    tmp_path: Path,
) -> None:
    cutter = WordCutter(["热管理"], cache_dir=str(tmp_path))
    found = shared_terms(["电池", "热管理", "氢能"], cutter.words("动力電池熱管理系统"))
    assert found == ["热管理", "电池"]
    assert shared_terms(["电池"], cutter.words("光伏组件")) == []
    # A query word inside a longer word of the document counts.
    assert shared_terms(["电池"], ["锂电池", "回收"]) == ["电池"]


def test_shared_terms_are_never_pieces_of_two_words_nor_generic(tmp_path: Path) -> None:
    cutter = WordCutter(["热失控"], cache_dir=str(tmp_path))
    document = cutter.words("电池包热失控预警,现有方案获得专利,效率超过90%")
    assert "包热" not in shared_terms(["包热", "热失控"], document)
    assert shared_terms(["现有", "获得", "超过", "效率", "热失控"], document) == ["热失控"]
