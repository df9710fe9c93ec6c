"""Structured fit: each criterion met, missed and not applicable, and how they combine."""

from __future__ import annotations

from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factorlink.matching.fit.assess import CRITERIA, Band, Criterion, FitConfig, Rule, assess
from factorlink.matching.fit.needs import Feature
from factorlink.matching.fit.profile import Profile, Span, UnitPrice
from factorlink.reference.loader import DATA_DIR, load_industries, load_region

REGION = load_region(DATA_DIR / "g60.yaml")
INDUSTRIES = load_industries(DATA_DIR / "industries.yaml")
BANDS = (Band(0, 1.0), Band(60, 0.9), Band(120, 0.75), Band(200, 0.55), Band(320, 0.35))
TRL_STAGES = {3: ("种子期", "天使轮"), 6: ("A轮",), 9: ("C轮及以后",)}
FEATURES = (
    Feature(
        "chemical_park", "化工园区", "a chemical park", ("危化品",), ("化工园区",), ("非化工园区",)
    ),
    Feature("cleanroom", "洁净车间", "a clean room", ("洁净",), ("洁净",)),
)


def config(rules: dict[tuple[str, str], dict[str, Rule]]) -> FitConfig:
    return FitConfig(
        directions=rules,
        bands=BANDS,
        beyond_score=0.15,
        trl_stages=TRL_STAGES,
        area_below=0.85,
        area_above=4.0,
        region=REGION,
        industries=INDUSTRIES,
        features=FEATURES,
        near_kinds={"land": ("factory",), "factory": ("land",)},
        related_industries=frozenset({frozenset(("nev", "equipment"))}),
    )


def judge(key: str, source: Profile, target: Profile, *, hard: bool = False) -> Criterion:
    """Assesses one criterion alone, in the direction source → target."""
    cfg = config({(source.kind, target.kind): {key: Rule(1.0, hard)}})
    (criterion,) = assess(source, target, cfg).criteria
    assert criterion.key == key and criterion.label and criterion.label_en
    return criterion


def demand(**facts: Any) -> Profile:
    return Profile("demand", **facts)


def achievement(**facts: Any) -> Profile:
    return Profile("achievement", **facts)


def capital(**facts: Any) -> Profile:
    return Profile("capital", **facts)


def carrier(**facts: Any) -> Profile:
    return Profile("carrier", **facts)


def lead(**facts: Any) -> Profile:
    return Profile("lead", **facts)


def org(**facts: Any) -> Profile:
    return Profile("organization", **facts)


def expert(**facts: Any) -> Profile:
    return Profile("expert", **facts)


def unknown(c: Criterion) -> bool:
    return c.met is None and c.score == 0.0


# industry


def test_industry_met() -> None:
    c = judge("industry", demand(industries=("materials",)), achievement(industries=("materials",)))
    assert c.met is True and c.score == 1.0
    assert c.detail == "同属新材料行业" and c.detail_en == "New materials on both sides"


def test_industry_met_among_a_capital_products_industries() -> None:
    c = judge("industry", org(industries=("ic",)), capital(industries=("ai", "ic")))
    assert c.met is True and c.detail == "同属集成电路行业"


def test_industry_missed() -> None:
    c = judge("industry", demand(industries=("materials",)), achievement(industries=("ai",)))
    assert c.met is False and c.score == 0.0
    assert c.detail == "行业不同:新材料 / 人工智能"
    assert c.detail_en == "Different industries: New materials / Artificial intelligence"


def test_industry_unknown() -> None:
    c = judge("industry", demand(industries=("materials",)), expert())
    assert unknown(c) and c.detail == "行业:信息不全,不计分"
    assert c.detail_en == "Industry: not stated, not counted"


# sub-field


def test_subfield_met_and_missed() -> None:
    met = judge("subfield", demand(subfield="石墨烯"), achievement(subfield="石墨烯"))
    assert met.met is True and met.detail == "同属细分领域石墨烯"
    missed = judge("subfield", demand(subfield="石墨烯"), achievement(subfield="纳米材料"))
    assert missed.met is False and missed.detail == "细分领域不同:石墨烯 / 纳米材料"
    assert missed.detail_en == "different, 石墨烯 / 纳米材料"


def test_subfield_among_an_experts_research_fields() -> None:
    met = judge("subfield", demand(subfield="石墨烯"), expert(topics=("石墨烯导热膜", "复合材料")))
    assert met.met is True and met.detail == "研究方向(石墨烯导热膜、复合材料)含石墨烯"
    missed = judge("subfield", demand(subfield="动力电池"), expert(topics=("石墨烯",)))
    assert missed.met is False and missed.detail_en == "Research fields (石墨烯) lack 动力电池"


def test_subfield_unknown() -> None:
    assert unknown(judge("subfield", demand(subfield="石墨烯"), achievement()))
    assert unknown(judge("subfield", demand(), expert(topics=("石墨烯",))))


# cities covered or preferred


def test_cities_covered() -> None:
    c = judge("cities", org(city="hangzhou"), capital(cities=("songjiang", "hangzhou")))
    assert c.met is True and c.detail == "杭州在覆盖城市(上海松江、杭州)内,覆盖2城"
    assert c.detail_en == (
        "Hangzhou within the cities covered (Songjiang (Shanghai), Hangzhou), 2 cities"
    )


def test_a_product_for_fewer_cities_covers_them_better() -> None:
    cfg = FitConfig(**{**config({}).__dict__, "all_cities_score": 0.6})
    every = tuple(city.code for city in REGION.cities)
    rules = {("lead", "capital"): {"cities": Rule(1.0)}}
    cfg = FitConfig(**{**cfg.__dict__, "directions": rules})
    local = assess(lead(city="hangzhou"), capital(cities=("hangzhou",)), cfg).criteria[0]
    corridor = assess(lead(city="hangzhou"), capital(cities=every), cfg).criteria[0]
    assert local.score == 1.0 and corridor.score == pytest.approx(0.6)
    assert corridor.met is True and "覆盖9城" in corridor.detail


def test_cities_not_covered() -> None:
    c = judge("cities", org(city="hefei"), capital(cities=("songjiang", "hangzhou")), hard=True)
    assert c.met is False and c.hard
    assert c.detail == "合肥不在覆盖城市(上海松江、杭州)内"
    assert c.detail_en == "Hefei outside the cities covered (Songjiang (Shanghai), Hangzhou)"


def test_cities_preferred_by_a_lead() -> None:
    wants = lead(cities=("huzhou", "jiaxing"))
    met = judge("cities", wants, carrier(city="jiaxing"))
    assert met.met is True and met.detail == "嘉兴在意向城市(湖州、嘉兴)内"
    missed = judge("cities", carrier(city="hefei"), wants)
    assert (
        missed.met is False
        and missed.detail_en == "Hefei outside the preferred cities (Huzhou, Jiaxing)"
    )


def test_cities_unknown() -> None:
    assert unknown(judge("cities", org(city="hefei"), carrier(city="hefei")))
    assert unknown(judge("cities", org(), capital(cities=("hefei",))))


# distance along the corridor


def test_same_city() -> None:
    c = judge("distance", demand(city="jiaxing"), achievement(city="jiaxing"))
    assert c.met is True and c.score == 1.0
    assert c.detail == "同在嘉兴" and c.detail_en == "same place, Jiaxing"


def test_a_district_named_after_its_city_is_not_preceded_by_it() -> None:
    # Issue 14: "芜湖芜湖经济技术开发区" in the distance reason.
    zone = "芜湖经济技术开发区"
    here = {"city": "wuhu", "district": zone}
    same = judge("distance", demand(**here), carrier(**here))
    assert same.detail == f"同在{zone}" and same.detail_en == f"same place, Wuhu ({zone})"
    far = judge("distance", demand(city="jiaxing"), carrier(city="wuhu", district=zone))
    assert far.detail.startswith(f"嘉兴—{zone}相距约") and "芜湖芜湖" not in far.detail
    other = judge("distance", demand(city="jiaxing"), carrier(city="huzhou", district="长兴县"))
    assert other.detail.startswith("嘉兴—湖州长兴县相距约")


def test_near_city_scores_by_its_band() -> None:
    c = judge("distance", demand(city="jiaxing"), achievement(city="hangzhou"))
    km = REGION.distance_km("jiaxing", "hangzhou")
    assert 60 < km <= 120
    assert c.met is True and c.score == 0.75
    assert c.detail == f"嘉兴—杭州相距约 {km:.0f} 公里"
    assert c.detail_en == f"Jiaxing–Hangzhou, about {km:.0f} km apart"


def test_city_beyond_the_last_band_misses() -> None:
    cfg = config({("demand", "achievement"): {"distance": Rule(1.0)}})
    short = FitConfig(**{**cfg.__dict__, "bands": (Band(0, 1.0), Band(100, 0.5))})
    (c,) = assess(demand(city="songjiang"), achievement(city="hefei"), short).criteria
    assert c.met is False and c.score == 0.15
    assert c.detail.endswith(",超出 100 公里(远)") and c.detail_en.endswith(", beyond 100 km (far)")


def test_a_distance_is_graded_in_words() -> None:
    cfg = config({("demand", "achievement"): {"distance": Rule(1.0)}})
    graded = FitConfig(
        **{**cfg.__dict__, "bands": (Band(0, 1.0), Band(120, 0.75, "较近", "fairly close"))}
    )
    (c,) = assess(demand(city="jiaxing"), achievement(city="hangzhou"), graded).criteria
    assert c.detail.endswith("公里(较近)") and c.detail_en.endswith("km apart (fairly close)")


def test_city_outside_the_corridor() -> None:
    c = judge("distance", demand(city="songjiang"), achievement(city="beijing"))
    assert c.met is False and c.score == 0.0
    assert c.detail == "beijing不在长三角G60科创走廊内"
    assert c.detail_en == "beijing: outside the Yangtze River Delta G60 S&T Innovation Corridor"


def test_distance_unknown() -> None:
    assert unknown(judge("distance", demand(city="songjiang"), achievement()))


# budget vs asking price


def test_budget_covers_the_price() -> None:
    c = judge("budget", demand(budget=Span(50, 80)), achievement(price=Span(60, 60)))
    assert c.met is True and c.score == 1.0
    assert c.detail == "预算 50–80万元 覆盖报价 60万元"
    assert c.detail_en == "Budget CNY 500k–800k covers the price CNY 600k"


def test_budget_is_judged_whichever_side_is_the_source() -> None:
    c = judge("budget", achievement(price=Span(60, 60)), demand(budget=Span(50, 80)))
    assert c.met is True and c.detail == "预算 50–80万元 覆盖报价 60万元"


def test_a_price_below_the_budget_is_met() -> None:
    assert judge("budget", demand(budget=Span(100, 200)), achievement(price=Span(60, 60))).met


def test_open_ended_budgets() -> None:
    at_least = judge("budget", demand(budget=Span(50, None)), achievement(price=Span(900, 900)))
    assert at_least.met is True and at_least.detail == "预算 不低于50万元 覆盖报价 900万元"
    up_to = judge("budget", demand(budget=Span(None, 80)), achievement(price=Span(300, 300)))
    assert up_to.met is False and up_to.detail == "报价 300万元 超出预算 不超过80万元"


def test_price_over_the_budget_misses_by_how_far() -> None:
    c = judge("budget", demand(budget=Span(50, 80)), achievement(price=Span(320, 320)))
    assert c.met is False and c.score == pytest.approx(0.25)
    assert c.detail == "报价 320万元 超出预算 50–80万元"
    assert c.detail_en == "Price CNY 3.2m exceeds the budget CNY 500k–800k"


def test_negotiable_is_unknown_not_a_miss() -> None:
    price = judge("budget", demand(budget=Span(50, 80)), achievement(price_negotiable=True))
    assert unknown(price) and price.detail == "报价面议,不计分"
    budget = judge("budget", demand(budget_negotiable=True), achievement(price=Span(60, 60)))
    assert unknown(budget) and budget.detail_en == "Budget negotiable, not counted"


def test_budget_unknown() -> None:
    assert unknown(judge("budget", demand(), achievement(price=Span(60, 60))))
    assert unknown(judge("budget", demand(budget=Span(50, 80)), achievement()))


# readiness


def test_readiness_met_and_missed() -> None:
    met = judge("readiness", demand(trl_needed=6), achievement(trl=7))
    assert met.met is True and met.detail == "成熟度 TRL 7 达到所需 TRL 6"
    missed = judge("readiness", demand(trl_needed=6), achievement(trl=3))
    assert missed.met is False and missed.score == pytest.approx(0.5)
    assert missed.detail_en == "Readiness TRL 3 below the TRL 6 needed"


def test_readiness_unknown_where_the_demand_states_none() -> None:
    assert unknown(judge("readiness", demand(), achievement(trl=7)))
    assert unknown(judge("readiness", demand(trl_needed=6), achievement()))


# cooperation modes


def test_coop_modes_met_and_missed() -> None:
    met = judge(
        "coop_modes",
        demand(coop_modes=("转让", "合作开发")),
        achievement(coop_modes=("许可", "转让")),
    )
    assert met.met is True and met.detail == "合作方式一致:转让"
    assert met.detail_en == "Shared cooperation modes: transfer"
    missed = judge(
        "coop_modes", demand(coop_modes=("合作开发",)), achievement(coop_modes=("许可",))
    )
    assert missed.met is False and missed.detail == "合作方式不同:合作开发 / 许可"
    assert missed.detail_en == "No shared cooperation mode: co-development / licence"


def test_coop_modes_unknown() -> None:
    assert unknown(judge("coop_modes", demand(), achievement(coop_modes=("许可",))))


# capital stage


def test_stage_of_the_round_raised() -> None:
    fund = capital(stages=("天使轮", "A轮"))
    met = judge("stage", lead(stages=("A轮",)), fund)
    assert met.met is True and met.detail == "A轮,在投资阶段(天使轮、A轮)内"
    missed = judge("stage", lead(stages=("C轮及以后",)), fund)
    assert missed.met is False
    assert missed.detail_en == "Series C+, outside the stages (angel, Series A)"


def test_stage_an_achievements_readiness_suits() -> None:
    fund = capital(stages=("天使轮",))
    met = judge("stage", achievement(trl=3), fund)
    assert met.met is True and met.detail == "成熟度 TRL 3 对应种子期、天使轮,在投资阶段(天使轮)内"
    missed = judge("stage", achievement(trl=9), fund)
    assert missed.met is False and missed.detail_en.startswith("TRL 9 suits Series C+, outside")


def test_stage_unknown() -> None:
    assert unknown(judge("stage", org(), capital(stages=("A轮",))))
    assert unknown(judge("stage", lead(stages=("A轮",)), capital()))
    assert unknown(judge("stage", achievement(trl=5), capital(stages=("A轮",))))


# ticket size


def test_ticket_holds_the_amount() -> None:
    c = judge("ticket", lead(funding_wan=2050.0), capital(ticket=Span(500, 3000)))
    assert c.met is True and c.detail == "单笔 500–3000万元 覆盖所需 2050万元"
    assert c.detail_en == "Ticket CNY 5m–30m covers the CNY 20.5m sought"


def test_ticket_below_and_above() -> None:
    below = judge("ticket", lead(funding_wan=100.0), capital(ticket=Span(500, 3000)))
    assert below.met is False and below.score == pytest.approx(0.2)
    assert below.detail == "所需 100万元 低于单笔 500–3000万元"
    above = judge("ticket", lead(funding_wan=6000.0), capital(ticket=Span(500, 3000)))
    assert above.met is False and above.score == pytest.approx(0.5)
    assert above.detail_en == "CNY 60m sought, above CNY 5m–30m"


def test_ticket_unknown() -> None:
    assert unknown(judge("ticket", lead(), capital(ticket=Span(500, 3000))))
    assert unknown(judge("ticket", lead(funding_wan=100.0), capital()))


# kind of capital


def test_capital_kind_met_and_missed() -> None:
    loan = lead(capital_kinds_wanted=("bank_loan",))
    met = judge("capital_kind", loan, capital(capital_kind="bank_loan"))
    assert met.met is True and met.detail == "银行贷款正是所需"
    missed = judge("capital_kind", loan, capital(capital_kind="vc_pe"))
    assert missed.met is False and missed.detail == "需要银行贷款,此为VC/PE"
    assert missed.detail_en == "Asks for a bank loan, this is VC/PE"


def test_capital_kind_unknown() -> None:
    assert unknown(judge("capital_kind", lead(), capital(capital_kind="vc_pe")))
    assert unknown(judge("capital_kind", lead(capital_kinds_wanted=("vc_pe",)), capital()))


# kind of organisation


def test_org_kind_enterprise_or_not() -> None:
    met = judge("org_kind", achievement(), org(org_kind="enterprise"), hard=True)
    assert met.met is True and met.detail == "对方为企业" and met.detail_en == "An enterprise"
    missed = judge("org_kind", carrier(), org(org_kind="university"), hard=True)
    assert missed.met is False and missed.detail == "对方为高校,非企业"
    assert missed.detail_en == "University, not an enterprise"


def test_org_kind_unknown() -> None:
    assert unknown(judge("org_kind", achievement(), demand()))


# kind of space


def test_carrier_kind_met_and_missed() -> None:
    met = judge(
        "carrier_kind", lead(carrier_kinds_wanted=("factory",)), carrier(carrier_kind="factory")
    )
    assert met.met is True and met.detail == "载体为厂房,正是所需"
    assert met.detail_en == "Factory, as asked"
    missed = judge(
        "carrier_kind", carrier(carrier_kind="office"), lead(carrier_kinds_wanted=("land",))
    )
    assert missed.met is False and missed.detail == "需要土地,载体为写字楼"
    assert missed.detail_en == "Asks for land; offers office"


def test_carrier_kind_unknown() -> None:
    assert unknown(judge("carrier_kind", lead(), carrier(carrier_kind="factory")))


# area


def test_area_fits() -> None:
    c = judge("area", lead(area_needed_sqm=14200.0), carrier(area_sqm=15000.0))
    assert c.met is True and c.detail == "需14200㎡(约21.3亩),此处15000㎡(约22.5亩),合适"
    assert c.detail_en == "Needs 14,200 ㎡ (about 21.3 mu); 15,000 ㎡ (about 22.5 mu) here fits"
    roomy = judge("area", lead(area_needed_sqm=800.0), carrier(area_sqm=2000.0))
    assert roomy.met is True and roomy.detail.endswith("偏大") and roomy.score < c.score


def test_area_too_small_and_too_large() -> None:
    small = judge("area", lead(area_needed_sqm=14200.0), carrier(area_sqm=7100.0))
    assert small.met is False and small.score == pytest.approx(0.5)
    assert small.detail == "需14200㎡(约21.3亩),此处仅7100㎡(约10.7亩)"
    large = judge("area", carrier(area_sqm=60000.0), lead(area_needed_sqm=200.0))
    assert large.met is False and large.detail == "需200㎡,此处60000㎡(约90亩)远大于所需"
    assert large.detail_en.endswith("here is far more")


def test_a_divisible_building_lets_the_part_asked_for() -> None:
    part = carrier(area_sqm=6000.0, divisible=True, min_lease_sqm=1000.0)
    c = judge("area", lead(area_needed_sqm=3000.0), part)
    assert c.met is True and c.detail == "需3000㎡,可分租(1000㎡起,共6000㎡)"
    assert c.detail_en == "Needs 3,000 ㎡; let in parts (from 1,000 ㎡, 6,000 ㎡ in all)"
    # A huge divisible building is no "far more than needed".
    huge = carrier(area_sqm=60000.0, divisible=True, min_lease_sqm=1000.0)
    assert judge("area", lead(area_needed_sqm=1000.0), huge).met is True
    # Unless its smallest part is itself too big.
    big_parts = carrier(area_sqm=20000.0, divisible=True, min_lease_sqm=5000.0)
    missed = judge("area", lead(area_needed_sqm=2000.0), big_parts)
    assert missed.met is False and "最小分租5000㎡" in missed.detail


def test_area_unknown() -> None:
    assert unknown(judge("area", lead(), carrier(area_sqm=5000.0)))
    assert unknown(judge("area", lead(area_needed_sqm=200.0), carrier()))


# price of space


def test_carrier_price_within_and_above_the_ceiling() -> None:
    cap = lead(unit_price_cap=UnitPrice(1.2, "元/㎡/天"))
    met = judge("carrier_price", cap, carrier(unit_price=UnitPrice(1.0, "元/㎡/天")))
    assert met.met is True and met.detail == "价格 1元/㎡/天 不高于期望 1.2元/㎡/天"
    missed = judge("carrier_price", cap, carrier(unit_price=UnitPrice(1.5, "元/㎡/天")))
    assert missed.met is False and missed.score == pytest.approx(0.8)
    assert missed.detail_en == "Price 1.5元/㎡/天 above the ceiling 1.2元/㎡/天"


def test_carrier_price_in_another_unit_is_unknown() -> None:
    cap = lead(unit_price_cap=UnitPrice(1.2, "元/㎡/天"))
    c = judge("carrier_price", cap, carrier(unit_price=UnitPrice(45, "万元/亩")))
    assert unknown(c) and "单位不同" in c.detail
    assert unknown(judge("carrier_price", lead(), carrier(unit_price=UnitPrice(1, "元/㎡/天"))))


# entry thresholds


def test_tax_per_mu_over_the_area_needed() -> None:
    tenant = lead(annual_tax_wan=760.0, area_needed_sqm=14200.0)
    park = carrier(area_sqm=40000.0, tax_threshold_wan_per_mu=30.0)
    c = judge("tax_threshold", tenant, park, hard=True)
    assert c.met is True and c.hard
    assert c.detail == "年纳税 760万元 ÷ 21.3亩 ≈ 35.7万元/亩,达到亩均税收门槛 30万元/亩"
    assert c.detail_en == (
        "annual tax CNY 7.6m over 21.3 mu ≈ CNY 357k/mu, meets the tax threshold CNY 300k/mu"
    )


def test_tax_per_mu_over_the_whole_plot_when_no_area_is_asked() -> None:
    park = carrier(carrier_kind="land", area_sqm=20000.0, tax_threshold_wan_per_mu=50.0)
    c = judge("tax_threshold", park, org(annual_tax_wan=600.0))
    assert c.met is False and c.score == pytest.approx(0.4)
    assert c.detail == "年纳税 600万元 ÷ 30亩 ≈ 20万元/亩,低于亩均税收门槛 50万元/亩"


def test_tax_threshold_unknown() -> None:
    assert unknown(
        judge("tax_threshold", org(), carrier(area_sqm=1e4, tax_threshold_wan_per_mu=50))
    )
    assert unknown(judge("tax_threshold", org(annual_tax_wan=600.0), carrier(area_sqm=1e4)))
    assert unknown(
        judge("tax_threshold", org(annual_tax_wan=600.0), carrier(tax_threshold_wan_per_mu=50))
    )


def test_investment_per_mu() -> None:
    park = carrier(carrier_kind="land", area_sqm=60000.0, investment_threshold_wan_per_mu=400.0)
    met = judge("investment_threshold", lead(investment_wan=40000.0), park)
    assert met.met is True and met.detail.startswith("投资 40000万元 ÷ 90亩 ≈ 444万元/亩")
    missed = judge("investment_threshold", lead(investment_wan=18000.0), park)
    assert missed.met is False and missed.score == pytest.approx(0.5)
    assert missed.detail.endswith("低于投资强度门槛 400万元/亩")
    assert "below the investment threshold CNY 4m/mu" in missed.detail_en
    assert unknown(judge("investment_threshold", lead(), park))


# combining criteria


RULES = {
    "industry": Rule(3.0),
    "distance": Rule(1.0),
    "budget": Rule(2.0),
    "coop_modes": Rule(2.0, hard=True),
    "readiness": Rule(2.0),
}


def test_score_is_the_weighted_mean_of_the_criteria_judged() -> None:
    cfg = config({("demand", "achievement"): RULES})
    source = demand(industries=("materials",), city="jiaxing", budget=Span(50, 80))
    target = achievement(industries=("ai",), city="hangzhou", price=Span(60, 60))
    fit = assess(source, target, cfg)
    # industry 0 × 3, distance 0.75 × 1, budget 1 × 2; readiness and modes unknown.
    assert fit.score == pytest.approx((0 + 0.75 + 2) / 6)
    assert fit.passed
    assert [c.key for c in fit.criteria] == list(RULES)
    assert [c.met for c in fit.criteria] == [False, True, True, None, None]


def test_a_missed_hard_criterion_fails_the_fit() -> None:
    cfg = config({("demand", "achievement"): RULES})
    fit = assess(demand(coop_modes=("合作开发",)), achievement(coop_modes=("许可",)), cfg)
    assert not fit.passed and fit.score == 0.0


def test_an_unknown_hard_criterion_never_fails() -> None:
    cfg = config({("demand", "achievement"): RULES})
    fit = assess(demand(industries=("materials",)), achievement(industries=("materials",)), cfg)
    assert fit.passed and fit.score == 1.0


def test_no_criterion_judged_gives_no_score() -> None:
    cfg = config({("demand", "achievement"): RULES})
    fit = assess(demand(), achievement(), cfg)
    assert fit.score is None and fit.passed
    assert all(c.met is None for c in fit.criteria)


def test_a_zero_weight_filters_without_scoring() -> None:
    rules = {"industry": Rule(1.0), "cities": Rule(0.0, hard=True)}
    cfg = config({("organization", "capital"): rules})
    fund = capital(industries=("ic",), cities=("hefei",))
    inside = assess(org(industries=("ai",), city="hefei"), fund, cfg)
    assert inside.passed and inside.score == 0.0
    outside = assess(org(industries=("ic",), city="songjiang"), fund, cfg)
    assert not outside.passed and outside.score == 1.0


def test_a_direction_without_rules_is_refused() -> None:
    cfg = config({("demand", "achievement"): RULES})
    assert cfg.supports("demand", "achievement") and not cfg.supports("carrier", "demand")
    with pytest.raises(ValueError, match="carrier -> demand"):
        assess(carrier(), demand(), cfg)


@pytest.mark.parametrize("key", CRITERIA)
def test_every_criterion_explains_itself_in_both_languages(key: str) -> None:
    rich = {
        "industries": ("materials",),
        "subfield": "石墨烯",
        "city": "jiaxing",
        "annual_tax_wan": 500.0,
        "area_needed_sqm": 5000.0,
        "investment_wan": 3000.0,
    }
    source = lead(
        **rich,
        cities=("hangzhou",),
        stages=("A轮",),
        funding_wan=800.0,
        trl_needed=5,
        budget=Span(10, 20),
        coop_modes=("转让",),
        carrier_kinds_wanted=("land",),
        capital_kinds_wanted=("vc_pe",),
        unit_price_cap=UnitPrice(1.0, "元/㎡/天"),
        features_wanted=("chemical_park",),
    )
    target = carrier(
        features_offered=(("chemical_park", False),),
        industries=("ai",),
        subfield="大模型",
        city="hefei",
        carrier_kind="factory",
        area_sqm=2000.0,
        unit_price=UnitPrice(2.0, "元/㎡/天"),
        tax_threshold_wan_per_mu=1000.0,
        investment_threshold_wan_per_mu=1000.0,
        trl=3,
        price=Span(90, 90),
        coop_modes=("许可",),
    )
    if key == "org_kind":
        target = org(org_kind="park")
    if key in ("stage", "ticket", "capital_kind"):
        target = capital(stages=("种子期",), ticket=Span(1000, 2000), capital_kind="bank_loan")
    c = judge(key, source, target)
    assert c.met is False, c
    assert c.detail and c.detail_en and c.detail != c.detail_en
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in c.label_en)


def test_met_and_missed_criteria() -> None:
    cfg = config({("demand", "achievement"): RULES})
    source = demand(industries=("materials",), city="jiaxing", budget=Span(50, 80))
    fit = assess(source, achievement(industries=("ai",), city="jiaxing", price=Span(60, 60)), cfg)
    assert [c.key for c in fit.met] == ["distance", "budget"]
    assert [c.key for c in fit.missed] == ["industry"]


# properties over any profiles of the kinds there are

amounts = st.floats(min_value=0, max_value=1e6, allow_nan=False)
maybe = st.none() | amounts
spans = st.tuples(maybe, maybe).map(
    lambda t: Span.of(*t) if None in t else Span(*sorted(cast(tuple[float, float], t)))
)
codes = st.lists(st.sampled_from(("ai", "ic", "materials", "x")), min_size=1, max_size=2).map(tuple)
some = st.lists(st.sampled_from(("ai", "ic")), max_size=1).map(tuple)
city = st.none() | st.sampled_from(("songjiang", "hefei", "jinhua", "beijing"))
places = st.lists(st.sampled_from(("songjiang", "hefei", "wuhu")), max_size=2, unique=True).map(
    tuple
)
subfield = st.none() | st.sampled_from(("石墨烯", "大模型"))
modes = st.lists(st.sampled_from(("转让", "许可", "合作开发")), max_size=2, unique=True).map(tuple)
rounds = st.lists(st.sampled_from(("天使轮", "A轮", "B轮")), max_size=2, unique=True).map(tuple)
per_day = st.builds(UnitPrice, st.floats(0, 100), st.sampled_from(("元/㎡/天", "万元/亩")))
price = st.none() | amounts.map(lambda v: Span(v, v))

KIND_PROFILES = {
    "achievement": st.builds(
        achievement,
        industries=some,
        subfield=subfield,
        city=city,
        price=price,
        price_negotiable=st.booleans(),
        trl=st.none() | st.integers(1, 9),
        coop_modes=modes,
    ),
    "demand": st.builds(
        demand,
        industries=some,
        subfield=subfield,
        city=city,
        budget=spans,
        budget_negotiable=st.booleans(),
        trl_needed=st.none() | st.integers(1, 9),
        coop_modes=modes,
    ),
    "capital": st.builds(
        capital,
        industries=codes,
        city=city,
        cities=places,
        stages=rounds,
        ticket=spans,
        capital_kind=st.none() | st.sampled_from(("vc_pe", "bank_loan")),
    ),
    "carrier": st.builds(
        carrier,
        industries=codes,
        city=city,
        carrier_kind=st.sampled_from(("land", "factory")),
        area_sqm=maybe,
        unit_price=st.none() | per_day,
        tax_threshold_wan_per_mu=maybe,
        investment_threshold_wan_per_mu=maybe,
    ),
    "expert": st.builds(
        expert,
        industries=some,
        city=city,
        topics=st.lists(subfield, max_size=2).map(lambda t: tuple(x for x in t if x)),
    ),
    "organization": st.builds(
        org,
        industries=some,
        subfield=subfield,
        city=city,
        annual_tax_wan=maybe,
        org_kind=st.sampled_from(("enterprise", "university")),
    ),
    "lead": st.builds(
        lead,
        budget=spans,
        industries=some,
        city=city,
        cities=places,
        stages=rounds,
        funding_wan=maybe,
        annual_tax_wan=maybe,
        area_needed_sqm=maybe,
        investment_wan=maybe,
        carrier_kinds_wanted=st.lists(st.sampled_from(("land", "office")), max_size=1).map(tuple),
        capital_kinds_wanted=st.lists(st.sampled_from(("vc_pe", "bank_loan")), max_size=1).map(
            tuple
        ),
        unit_price_cap=st.none() | per_day,
    ),
}
profiles = st.sampled_from(sorted(KIND_PROFILES)).flatmap(lambda kind: KIND_PROFILES[kind])


def _everything(a: str, b: str, hard: bool) -> FitConfig:
    rules = {key: Rule(1.0, hard) for key in CRITERIA}
    return config({(a, b): rules, (b, a): rules})


@settings(max_examples=300, deadline=None)
@given(profiles, profiles, st.booleans())
def test_any_two_profiles_fit_within_bounds_and_alike_both_ways(
    a: Profile, b: Profile, hard: bool
) -> None:
    cfg = _everything(a.kind, b.kind, hard)
    there, back = assess(a, b, cfg), assess(b, a, cfg)
    for fit in (there, back):
        assert fit.score is None or 0.0 <= fit.score <= 1.0
        assert fit.passed == (not hard or not any(c.binding for c in fit.missed))
        assert all(0.0 <= c.score <= 1.0 and c.detail and c.detail_en for c in fit.criteria)
    assert [(c.key, c.met, c.score) for c in there.criteria] == [
        (c.key, c.met, c.score) for c in back.criteria
    ]


# 亩均税收 and 投资强度: hard for land and whole buildings, a reason for a partial lease


def _threshold_fit(need_sqm: float | None, kind: str, divisible: bool) -> Criterion:
    source = lead(annual_tax_wan=150.0, area_needed_sqm=need_sqm)
    target = carrier(
        carrier_kind=kind, area_sqm=6000.0, divisible=divisible, tax_threshold_wan_per_mu=35.0
    )
    return judge("tax_threshold", source, target, hard=True)


def test_a_threshold_filters_land() -> None:
    c = _threshold_fit(3000.0, "land", False)
    assert c.met is False and c.binding and c.filters
    assert "低于亩均税收门槛" in c.detail


def test_a_threshold_is_a_reason_for_a_partial_lease() -> None:
    c = _threshold_fit(3000.0, "factory", True)
    assert c.met is False and not c.binding and not c.filters
    assert "针对整栋" in c.detail and "分租" in c.detail and "whole buildings" in c.detail_en
    # A tenant who names no size is not assumed to take the whole 6000㎡.
    assert not _threshold_fit(None, "factory", False).filters


def test_a_whole_building_is_held_to_the_threshold() -> None:
    assert _threshold_fit(6000.0, "factory", False).filters
    assert _threshold_fit(5500.0, "factory", True).filters


def test_a_factory_stands_in_for_land_but_an_office_does_not() -> None:
    source = lead(carrier_kinds_wanted=("land",))
    near = judge("carrier_kind", source, carrier(carrier_kind="factory"), hard=True)
    assert near.met is False and not near.filters and 0 < near.score < 1
    far = judge("carrier_kind", source, carrier(carrier_kind="office"), hard=True)
    assert far.filters


def test_far_within_the_bands_is_no_tick() -> None:
    cfg = config({("demand", "achievement"): {"distance": Rule(1.0)}})
    bands = (Band(0, 1.0), Band(120, 0.75, "较近", "fairly close"), Band(320, 0.35, "远", "far"))
    graded = FitConfig(**{**cfg.__dict__, "bands": bands})
    (c,) = assess(demand(city="wuhu"), achievement(city="songjiang"), graded).criteria
    assert c.met is False and c.score == 0.35 and c.detail.endswith("(远)")
    assert not c.filters


def test_an_unknown_criterion_does_not_apply() -> None:
    c = judge("budget", demand(), achievement(price=Span(90, 90)))
    assert c.met is None and not c.applies
    assert judge("industry", demand(industries=("ai",)), achievement(industries=("ai",))).applies
