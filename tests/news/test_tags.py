"""Tags: places, organisations, industries, amounts and figures with their sentences."""

from __future__ import annotations

from factorlink.config import Settings
from factorlink.news.tags import NameIndex, TagKind, sentences, tag_article, tag_places
from factorlink.reference.loader import industries_of, region_of

TEXT = (
    "湖州市长兴县与浙江大学、上海微电子装备(集团)股份有限公司签约,共建芯片封装测试研究院。"
    "项目总投资12.5亿元,其中首期3000万元;去年销售额增长18.2%,能耗下降3%。"
)


def test_tags_of_a_text(settings: Settings) -> None:
    tags = tag_article(TEXT, region_of(settings), industries_of(settings), ["浙江大学"])
    by_kind: dict[TagKind, list[str]] = {}
    for tag in tags:
        by_kind.setdefault(tag.kind, []).append(tag.value)
    assert by_kind[TagKind.city] == ["huzhou"]
    assert by_kind[TagKind.district] == ["huzhou:长兴县"]
    assert "浙江大学" in by_kind[TagKind.organization]
    assert "上海微电子装备(集团)股份有限公司" in by_kind[TagKind.organization]
    assert "ic" in by_kind[TagKind.industry]
    assert by_kind[TagKind.amount] == ["12.5亿元", "3000万元"]
    assert by_kind[TagKind.figure] == ["+18.2%", "-3%"]
    sentence = next(t.sentence for t in tags if t.value == "12.5亿元")
    assert sentence == "项目总投资12.5亿元,其中首期3000万元;"


def test_sentences() -> None:
    assert sentences("一。二!三\n四") == ["一。", "二!", "三", "四"]


def test_registry_names_are_found_in_one_pass_longest_first() -> None:
    index = NameIndex(["浙江大学", "浙江大学医学院", "阿里巴巴集团", "之江", "九城"])
    assert index.find("浙江大学医学院与阿里巴巴集团合作,浙江大学也参与") == [
        "浙江大学医学院",
        "阿里巴巴集团",
        "浙江大学",
    ]
    assert index.find("") == [] and index.find("之江实验室") == []  # short names are not names


def test_places_that_only_contain_a_city_name_are_not_the_city(settings: Settings) -> None:
    text = "新疆克孜勒苏州阿图什市发生地震;上海苏州河沿岸也有活动。"
    assert tag_places(text, region_of(settings)) == []
    assert [t.value for t in tag_places("苏州工业园区", region_of(settings))] == [
        "suzhou",
        "suzhou:苏州工业园区",
    ]
