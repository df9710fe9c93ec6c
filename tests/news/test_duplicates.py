"""Stories of near-duplicates by MinHash LSH."""

from __future__ import annotations

from factorlink.news.duplicates import group, shingles
from tests.news.pages import ARTICLE_TEXT

TEXT = "\n".join(ARTICLE_TEXT)


def test_shingles_ignore_spaces_and_punctuation() -> None:
    assert (
        shingles("九城 市,共赴", 3) == shingles("九城市共赴", 3) == {"九城市", "城市共", "市共赴"}
    )
    assert shingles("") == set()


def test_copies_join_the_first_and_other_articles_stay_apart() -> None:
    other = (
        "苏州工业园区举办生物医药产业对接会,三十余家企业与高校签约合作,涉及创新药和医疗器械。" * 4
    )
    stories = group(
        [
            (1, TEXT),
            (2, other),
            (3, "(来源:嘉兴日报)" + TEXT[: len(TEXT) * 3 // 4]),  # another header, cut short
            (4, TEXT.replace("拍卖会", "拍卖大会")),  # lightly edited
        ]
    )
    assert stories == {1: 1, 2: 2, 3: 1, 4: 1}
