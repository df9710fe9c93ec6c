"""Profiles of stored rows of every kind, made through the services in the test database."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from factorlink.achievement.models import Achievement
from factorlink.capital.models import Capital
from factorlink.carrier.models import Carrier
from factorlink.db.base import Base
from factorlink.db.session import Database
from factorlink.demand.models import Demand
from factorlink.expert.models import Expert
from factorlink.kinds.registry import KINDS
from factorlink.lead.models import Lead
from factorlink.lead.service import LeadService
from factorlink.matching.fit.assess import assess
from factorlink.matching.fit.config import DEFAULT_FIT_FILE, load_fit_config
from factorlink.matching.fit.profile import Profile, Span, UnitPrice
from factorlink.matching.profiles import profile_of
from factorlink.matching.service import TARGETS
from factorlink.organization.models import Organization
from factorlink.sample.loader import load_sample
from tests.introduction.builders import ADMIN, CONTACT, LEAD, SERVICES, add_listing

MODELS: dict[str, type[Base]] = {
    "achievement": Achievement,
    "demand": Demand,
    "capital": Capital,
    "carrier": Carrier,
    "expert": Expert,
    "organization": Organization,
}


def _stored(database: Database, kind: str, cells: dict[str, Any]) -> Profile:
    """Creates a row through its service, then profiles it as read back in a new session."""
    with database.unit_of_work() as session:
        row_id = SERVICES[kind](session, ADMIN).create({**cells, **CONTACT}).id
    with database.unit_of_work() as session:
        return profile_of(kind, session.get(MODELS[kind], row_id))


def _lead(database: Database, **cells: Any) -> Profile:
    with database.unit_of_work() as session:
        lead_id = LeadService(session, ADMIN).submit({**LEAD, **cells}).id
    with database.unit_of_work() as session:
        return profile_of("lead", session.get(Lead, lead_id))


def test_achievement(database: Database) -> None:
    profile = _stored(
        database,
        "achievement",
        {
            "title": "高导热石墨烯复合散热膜制备技术",
            "abstract": "化学气相沉积与热压复合工艺,已完成中试。",
            "industry": "新材料/石墨烯",
            "trl": "6",
            "coop_modes": "转让、许可",
            "price_wan": "60万",
            "organization": "示例大学",
            "city": "杭州市余杭区",
        },
    )
    assert profile == Profile(
        kind="achievement",
        industries=("materials",),
        subfield="石墨烯",
        city="hangzhou",
        price=Span(60.0, 60.0),
        trl=6,
        coop_modes=("转让", "许可"),
        funding_wan=60.0,
    )


def test_achievement_at_a_negotiable_price(database: Database) -> None:
    profile = _stored(
        database,
        "achievement",
        {
            "title": "工业视觉缺陷检测算法",
            "abstract": "深度学习检测表面缺陷。",
            "industry": "人工智能",
            "price_wan": "面议",
            "organization": "示例大学",
            "city": "合肥",
        },
    )
    assert profile.price is None and profile.price_negotiable
    assert profile.trl is None and profile.coop_modes == () and profile.subfield is None


def test_demand_states_no_readiness_and_none_is_inferred(database: Database) -> None:
    profile = _stored(
        database,
        "demand",
        {
            "title": "电池包轻量化散热方案",
            "description": "需减重20%以上,希望采用成熟度较高的技术。",
            "industry": "新能源汽车/动力电池",
            "budget": "50-80",
            "coop_modes": "合作开发",
            "organization": "嘉兴示例新能源有限公司",
            "city": "嘉兴",
        },
    )
    assert profile == Profile(
        kind="demand",
        industries=("nev",),
        subfield="动力电池",
        city="jiaxing",
        budget=Span(50.0, 80.0),
        coop_modes=("合作开发",),
    )
    assert profile.trl_needed is None


def test_capital(database: Database) -> None:
    profile = _stored(
        database,
        "capital",
        {
            "name": "G60科创走廊硬科技天使基金",
            "kind": "VC/PE",
            "stages": "天使轮、A轮",
            "industries": "人工智能、集成电路",
            "ticket": "500-3000",
            "cities": "松江、杭州",
        },
    )
    assert profile.kind == "capital" and profile.capital_kind == "vc_pe"
    assert profile.industries == ("ai", "ic")
    assert profile.cities == ("songjiang", "hangzhou")
    assert profile.stages == ("天使轮", "A轮")
    assert profile.ticket == Span(500.0, 3000.0)


def test_carrier(database: Database) -> None:
    profile = _stored(
        database,
        "carrier",
        {
            "name": "松江综保区标准厂房3号楼",
            "kind": "厂房",
            "city": "松江",
            "area": "30亩",
            "price": "1.2元/㎡/天",
            "industries": "高端装备、新材料",
            "tax_threshold_wan_per_mu": "50",
            "investment_threshold_wan_per_mu": "400",
        },
    )
    assert profile == Profile(
        kind="carrier",
        industries=("equipment", "materials"),
        city="songjiang",
        carrier_kind="factory",
        area_sqm=20000.0,
        unit_price=UnitPrice(1.2, "元/㎡/天"),
        tax_threshold_wan_per_mu=50.0,
        investment_threshold_wan_per_mu=400.0,
    )


def test_carrier_at_a_negotiable_price_has_no_unit_price(database: Database) -> None:
    cells = {"name": "嘉兴孵化器", "kind": "孵化器", "city": "嘉兴", "price": "面议"}
    profile = _stored(database, "carrier", cells)
    assert profile.unit_price is None and profile.area_sqm is None
    assert profile.carrier_kind == "incubator"


def test_expert(database: Database) -> None:
    profile = _stored(
        database,
        "expert",
        {
            "name": "陈立新",
            "affiliation": "示例大学材料学院",
            "fields": "石墨烯、复合材料",
            "industry": "新材料",
            "city": "合肥",
        },
    )
    assert profile == Profile(
        kind="expert", industries=("materials",), topics=("石墨烯", "复合材料"), city="hefei"
    )


def test_organization(database: Database) -> None:
    profile = _stored(
        database,
        "organization",
        {
            "name": "松江示例新材料有限公司",
            "kind": "企业",
            "city": "松江",
            "industry": "新材料/碳纤维及复合材料",
            "annual_tax_wan": "760",
        },
    )
    assert profile == Profile(
        kind="organization",
        industries=("materials",),
        subfield="碳纤维及复合材料",
        city="songjiang",
        org_kind="enterprise",
        annual_tax_wan=760.0,
    )


def test_space_lead_reads_its_figures_from_its_words(database: Database) -> None:
    profile = _lead(
        database,
        lead_type="空间",
        need="需要14200㎡左右的单层标准厂房,层高10米以上,租金1.2元/平/天以内",
        purpose="在长三角设立第二生产基地,总投资2亿元",
        annual_tax_wan="760",
        preferred_cities="湖州、嘉兴",
        industry="新材料",
        city="松江",
    )
    assert profile.kind == "lead" and profile.lead_type == "space"
    assert profile.industries == ("materials",) and profile.city == "songjiang"
    assert profile.cities == ("huzhou", "jiaxing")
    assert profile.area_needed_sqm == 14200.0
    assert profile.carrier_kinds_wanted == ("factory",)
    assert profile.unit_price_cap == UnitPrice(1.2, "元/㎡/天")
    assert profile.investment_wan == 20000.0
    assert profile.annual_tax_wan == 760.0
    assert profile.purpose == "在长三角设立第二生产基地,总投资2亿元"


def test_capital_lead_reads_its_round_and_amount(database: Database) -> None:
    profile = _lead(
        database, lead_type="资本", need="计划A轮融资2050万元,出让股权18%左右", purpose=None
    )
    assert profile.stages == ("A轮",) and profile.funding_wan == 2050.0
    assert profile.capital_kinds_wanted == ("vc_pe", "guidance_fund")
    assert profile.area_needed_sqm is None and profile.carrier_kinds_wanted == ()


def test_technology_lead_reads_its_budget(database: Database) -> None:
    profile = _lead(database, need="寻找石墨烯散热膜技术,预算100万左右")
    assert profile.budget == Span(None, 100.0) and profile.lead_type == "technology"


def test_a_lead_without_figures_states_none(database: Database) -> None:
    profile = _lead(database)
    assert profile.funding_wan is None and profile.stages == ()
    assert profile.area_needed_sqm is None and profile.investment_wan is None
    assert profile.cities == ()
    # No industry stated: it is read from the words (the default need is about 石墨烯 film).
    assert profile.industries == ("materials",) and profile.industries_inferred


def test_every_kind_has_a_builder() -> None:
    assert {k.value for k in KINDS} == {*SERVICES, "lead"}


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="auction"):
        profile_of("auction", object())


# the packaged sample, profiled and fitted in every direction


FORM_LEADS: list[dict[str, Any]] = [
    {
        "need": "原料药硝化反应想从釜式改成连续流,预算100-200万,技术服务或合作开发",
        "purpose": "原料药生产工艺改造",
        "lead_type": "技术",
        "city": "杭州",
        "industry": "生物医药",
    },
    {
        "need": "标准厂房5000平方左右,租金不超过1元/㎡/天,要有洁净车间",
        "purpose": "精密钣金加工",
        "lead_type": "空间",
        "city": "松江",
        "preferred_cities": ["宣城", "芜湖", "湖州"],
    },
    {
        "need": "工业用地30亩,总投资3亿元",
        "purpose": "口服固体制剂生产基地",
        "annual_tax_wan": "3000万",
        "lead_type": "空间",
        "city": "杭州",
    },
    {
        "need": "A轮融资3000万",
        "purpose": "协作机器人关节模组量产",
        "lead_type": "资本",
        "city": "芜湖",
        "preferred_cities": ["芜湖", "合肥"],
    },
]


def test_sample_profiles_fit_and_explain_in_every_direction(database: Database) -> None:
    with database.unit_of_work() as session:
        load_sample(session, ADMIN)
    with database.unit_of_work() as session:
        profiles = {
            kind: [profile_of(kind, row) for row in session.scalars(select(model))]
            for kind, model in (MODELS | {"lead": Lead}).items()
        }
    # Leads as the corridor's form brings them, beside the sample's own.
    form = [_lead(database, **{**cells, "consent": True}) for cells in FORM_LEADS]
    profiles["lead"] = form + profiles["lead"]
    # And a carrier posted as parks write them, with its facilities in its name.
    with database.unit_of_work() as session:
        add_listing(database, "carrier", name="宣城经开区标准化厂房(单层 层高8m 带洁净车间)")
        profiles["carrier"] = [
            profile_of("carrier", row) for row in session.scalars(select(Carrier))
        ]
    cfg = load_fit_config(DEFAULT_FIT_FILE)
    for (source_kind, target_kind), rules in cfg.directions.items():
        judged: set[str] = set()
        for source in profiles[source_kind][:25]:
            for target in profiles[target_kind]:
                fit = assess(source, target, cfg)
                assert fit.score is None or 0.0 <= fit.score <= 1.0
                assert all(c.detail and c.detail_en for c in fit.criteria)
                judged.update(c.key for c in fit.criteria if c.met is not None)
        # Every criterion a direction counts is fed by real listings, not only by made-up ones.
        assert judged == set(rules), (source_kind, target_kind, set(rules) - judged)


def test_every_direction_matched_has_fit_rules() -> None:
    cfg = load_fit_config(DEFAULT_FIT_FILE)
    for source, targets in TARGETS.items():
        for target in targets:
            assert cfg.supports(source.value, target.value), (source, target)


def test_sample_space_lead_is_matched_and_filtered_by_its_figures(database: Database) -> None:
    with database.unit_of_work() as session:
        load_sample(session, ADMIN)
    with database.unit_of_work() as session:
        lead = session.scalars(select(Lead).where(Lead.need.contains("14200"))).one()
        source = profile_of("lead", lead)
        carriers = [profile_of("carrier", row) for row in session.scalars(select(Carrier))]
    cfg = load_fit_config(DEFAULT_FIT_FILE)
    fits = [assess(source, target, cfg) for target in carriers]
    best = max((f for f in fits if f.passed), key=lambda f: f.score or 0.0)
    reasons = {c.key: c for c in best.criteria}
    assert reasons["carrier_kind"].met and reasons["cities"].met and reasons["industry"].met
    # A factory of the right size in the right city, closed to it by its 亩均税收 threshold:
    # the lead takes (nearly) the whole building, so the threshold holds.
    closed = [
        f
        for f in fits
        if [c.key for c in f.missed if c.filters] == ["tax_threshold"]
        and {c.key for c in f.met} >= {"area", "cities", "carrier_kind"}
    ]
    assert closed
    tax = next(c for c in closed[0].missed if c.key == "tax_threshold")
    assert "低于亩均税收门槛" in tax.detail and "below the tax threshold" in tax.detail_en
