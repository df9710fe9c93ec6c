"""Query understanding: figures, kinds, refusals, industries and facilities in a lead's words."""

from __future__ import annotations

import pytest

from factorlink.matching.fit.config import DEFAULT_FIT_FILE, load_fit_config
from factorlink.matching.fit.needs import (
    infer_industries,
    offered_features,
    read_features,
    read_needs,
)
from factorlink.matching.fit.profile import Span, UnitPrice

CONFIG = load_fit_config(DEFAULT_FIT_FILE)


@pytest.mark.parametrize(
    ("text", "area", "funding", "investment", "stages", "kinds"),
    [
        ("拟购置工业用地90亩左右,新建生产基地", 60000.0, None, None, (), ("land",)),
        ("初创团队8人,需要200m2左右的孵化空间", 200.0, None, None, (), ("incubator",)),
        ("需要1.2万平方米研发楼", 12000.0, None, None, (), ("office",)),
        ("想申请1750万元的“沪衡科创信用贷”", None, 1750.0, None, (), ()),
        ("计划C轮融资1.5亿元", None, 15000.0, None, ("C轮及以后",), ()),
        ("Pre-A轮融资800万", None, 800.0, None, ("A轮",), ()),
        ("天使轮融资300万元", None, 300.0, None, ("天使轮",), ()),
        ("总投资5000万元,投资强度400万元/亩", None, None, 5000.0, (), ()),
        ("达产后预计年产值6亿元", None, None, None, (), ()),
    ],
)
def test_read_needs(
    text: str,
    area: float | None,
    funding: float | None,
    investment: float | None,
    stages: tuple[str, ...],
    kinds: tuple[str, ...],
) -> None:
    needs = read_needs(text)
    assert needs.area_sqm == area
    assert needs.funding_wan == funding
    assert needs.investment_wan == investment
    assert needs.stages == stages
    assert needs.carrier_kinds == kinds


@pytest.mark.parametrize(
    ("text", "budget"),
    [
        ("预算100万左右", Span(None, 100.0)),
        ("预算在200万元以内", Span(None, 200.0)),
        ("预算50-80万元", Span(50.0, 80.0)),
        ("预算50万-80万元", Span(50.0, 80.0)),
        ("预算1.5亿元", Span(None, 15000.0)),
        ("经费充足", None),
    ],
)
def test_read_a_budget(text: str, budget: Span | None) -> None:
    assert read_needs(text).budget == budget


def test_read_the_kind_of_capital_asked_for() -> None:
    assert read_needs("想申请1750万元的“沪衡科创信用贷”").capital_kinds == ("bank_loan",)
    assert read_needs("计划A轮融资2050万元,出让股权18%左右").capital_kinds == (
        "vc_pe",
        "guidance_fund",
    )
    assert read_needs("补充流动资金").capital_kinds == ()


def test_a_threshold_is_not_a_price_ceiling() -> None:
    assert read_needs("我们亩均税收80万元/亩").price_cap is None
    assert read_needs("地价不超过45万元/亩").price_cap == UnitPrice(45.0, "万元/亩")


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("厂房或者土地都行,面积3000平方左右", 3000.0),
        ("办公室200平左右,十来个人", 200.0),
        ("厂房2000平", 2000.0),
        ("写字楼800-1000平", 900.0),
        ("标准厂房5000平方左右,上海成本太高", 5000.0),
        ("需要2000平米厂房", 2000.0),
        ("土地30亩,投资2.5亿元", 20000.0),
        ("工业用地30亩左右,总投资约3亿元", 20000.0),
        ("厂房1-1.2万平方米", 11000.0),
        ("3方面的考虑,双方合作", None),
    ],
)
def test_areas_as_people_write_them(text: str, area: float | None) -> None:
    assert read_needs(text).area_sqm == area


def test_an_investment_written_without_yuan() -> None:
    assert read_needs("土地30亩,投资2.5亿,生产涉及危险化学品").investment_wan == 25000.0
    assert read_needs("工业用地30亩左右,总投资约3亿元").investment_wan == 30000.0


def test_both_kinds_of_space_when_either_will_do() -> None:
    assert set(read_needs("厂房或者土地都行").carrier_kinds) == {"land", "factory"}


def test_a_kind_of_capital_ruled_out_in_words() -> None:
    needs = read_needs("流动资金贷款500万,不考虑股权融资,公司有6项发明专利")
    assert needs.capital_kinds == ("bank_loan",)
    assert set(needs.capital_kinds_refused) == {"vc_pe", "guidance_fund"}
    assert needs.funding_wan == 500.0
    assert read_needs("A轮融资3000万").capital_kinds_refused == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("精密钣金及机箱机柜加工", ("equipment",)),
        ("摄像头模组SMT贴片及组装", ("ic",)),
        ("汽车零部件机加工 机加工车间油雾大", ("equipment",)),
        ("储能电池PACK组装线", ("new_energy",)),
        ("新能源汽车电驱系统", ("nev",)),
        ("团建活动场地", ()),
    ],
)
def test_industry_inferred_from_the_stated_use(text: str, expected: tuple[str, ...]) -> None:
    assert infer_industries(text, CONFIG.industries, CONFIG.industry_cues) == expected


def test_every_industry_named_when_widening_a_stated_one() -> None:
    text = "新能源汽车电驱系统 电机控制器用SiC功率模块封装及散热技术"
    found = infer_industries(text, CONFIG.industries, CONFIG.industry_cues, every=True)
    assert found[0] == "nev" and "ic" in found


def test_a_longer_word_hides_the_shorter_inside_it() -> None:
    # 新能源汽车 is the vehicle industry, not also 新能源.
    assert infer_industries("新能源汽车", CONFIG.industries, CONFIG.industry_cues) == ("nev",)


def test_facilities_asked_offered_and_ruled_out() -> None:
    asked = read_features("土地30亩,生产涉及危险化学品", CONFIG.features)
    assert asked == ("chemical_park",)
    offered = dict(
        offered_features("嘉兴港区化工新材料园区工业地块(认定化工园区)", CONFIG.features)
    )
    assert offered["chemical_park"] is True
    refused = dict(offered_features("海宁泛半导体产业园工业地块(非化工园区)", CONFIG.features))
    assert refused["chemical_park"] is False
    assert read_features("厂房8000平,双层,要有洁净车间", CONFIG.features) == (
        "cleanroom",
        "two_storey",
    )


def test_an_industry_guessed_by_meaning_where_no_word_names_one() -> None:
    from factorlink.matching.fit.needs import IndustryGuesser
    from factorlink.matching.live.encoders import get_encoder

    guesser = IndustryGuesser(get_encoder("e5"), CONFIG.industries)
    assert guesser.guess("单克隆抗体新药进入二期临床试验") == "biomed"
    assert guesser.guess("晶圆代工产线良率爬坡") == "ic"
    assert guesser.guess("   ") is None


@pytest.mark.parametrize(
    ("typed", "half_width"),
    [
        ("需要３０００㎡厂房（可分割）", "需要3000㎡厂房(可分割)"),
        ("租金不超过１．２元/㎡/天", "租金不超过1.2元/㎡/天"),
        (
            "办公室200m²左右，不考虑股权融资；贷款５００万",
            "办公室200㎡左右,不考虑股权融资;贷款500万",
        ),
        ("Ｂ轮融资1.5亿元", "B轮融资1.5亿元"),
    ],
)
def test_text_as_typed_reads_like_its_half_width_form(typed: str, half_width: str) -> None:
    # Stored text is what the user typed (issue 14): the reading folds it itself.
    assert read_needs(typed) == read_needs(half_width)
    assert read_needs(typed) != read_needs("")


def test_industries_are_read_in_full_width_text() -> None:
    catalog = CONFIG.industries
    cues = CONFIG.industry_cues
    # SMT is one of the fit file's cue words for integrated circuits.
    assert infer_industries("ＳＭＴ代工", catalog, cues) == ("ic",)
