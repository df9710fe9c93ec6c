"""The plain keyword match: terms, weighting, explanations, determinism, purity."""

from __future__ import annotations

import ast
import math
from pathlib import Path

from factorlink.matching import keyword
from factorlink.matching.keyword import Candidate, idf, rank, terms

SOURCE = Path(keyword.__file__)


def test_terms_are_chinese_bigrams_and_ascii_words() -> None:
    assert terms("石墨烯膜 for AI, C++ 2026") == ["石墨", "墨烯", "烯膜", "ai", "c++"]


def test_text_is_normalised_before_splitting() -> None:
    # Full-width letters and upper case fold to the same terms.
    assert terms("ＭＥＭＳ传感器") == terms("mems传感器")


def test_stopwords_cut_the_text() -> None:
    assert terms("我们需要激光雷达") == ["激光", "光雷", "雷达"]
    assert "公司" not in terms("某某科技公司")
    assert "技术" in terms("激光技术")


def test_single_characters_and_bare_numbers_are_not_terms() -> None:
    assert terms("膜 2026 5G") == ["5g"]


def test_rarer_shared_terms_score_higher() -> None:
    candidates = [
        Candidate("achievement", 1, "石墨烯散热技术"),
        Candidate("achievement", 2, "锂电池回收技术"),
        Candidate("achievement", 3, "钠电池正极技术"),
    ]
    ranked = rank("石墨烯技术", candidates)
    assert [s.id for s in ranked] == [1, 2, 3]
    rare, common = idf(1, 3), idf(3, 3)
    assert rare > common > 0
    assert math.isclose(ranked[0].score, round(idf(1, 3) * 2 + idf(3, 3), 4))
    assert ranked[1].terms == ("技术",)


def test_candidates_without_shared_terms_are_left_out() -> None:
    ranked = rank(
        "激光雷达", [Candidate("carrier", 1, "标准厂房"), Candidate("carrier", 2, "雷达")]
    )
    assert [(s.kind, s.id) for s in ranked] == [("carrier", 2)]
    assert rank("", [Candidate("carrier", 1, "x")]) == []
    assert rank("雷达", []) == []


def test_ties_break_by_kind_then_id_whatever_the_input_order() -> None:
    candidates = [
        Candidate("expert", 5, "氢燃料电池"),
        Candidate("achievement", 9, "氢燃料电池"),
        Candidate("achievement", 2, "氢燃料电池"),
    ]
    first = rank("燃料电池", candidates)
    again = rank("燃料电池", list(reversed(candidates)))
    assert [(s.kind, s.id) for s in first] == [
        ("achievement", 2),
        ("achievement", 9),
        ("expert", 5),
    ]
    assert first == again


def test_limit_keeps_the_best() -> None:
    candidates = [Candidate("achievement", i, "芯片封装" if i == 7 else "芯片") for i in range(20)]
    ranked = rank("芯片封装", candidates, limit=3)
    assert len(ranked) == 3 and ranked[0].id == 7


def test_shared_bigrams_read_as_phrases() -> None:
    (scored,) = rank("石墨烯散热膜技术", [Candidate("achievement", 1, "石墨烯复合散热膜")])
    assert scored.terms == ("石墨烯", "散热膜")


def test_the_core_is_pure() -> None:
    imported: set[str] = set()
    for node in ast.walk(ast.parse(SOURCE.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert imported <= {"__future__", "math", "re", "unicodedata", "collections.abc", "dataclasses"}
