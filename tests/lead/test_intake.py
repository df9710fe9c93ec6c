"""Validation of each field of a lead message."""

from __future__ import annotations

from typing import Any

import pytest

from factorlink.lead.intake import parse_lead
from factorlink.lead.models import LeadType
from factorlink.validation.errors import FieldError
from factorlink.validation.parsers import parse_mobile
from tests.introduction.builders import LEAD


def _errors(**cells: Any) -> dict[str, str]:
    """The reasons by field for the example lead changed by `cells` (None drops a field)."""
    row = parse_lead({k: v for k, v in {**LEAD, **cells}.items() if v is not None})
    return {str(e.key): e.reason for e in row.errors}


def test_a_complete_message_parses() -> None:
    row = parse_lead({**LEAD, "preferred_cities": "松江、嘉兴", "industry": "新材料/石墨烯"})
    assert row.ok, row.errors
    assert row.values == {
        "need": "寻找石墨烯散热膜技术,用于手机散热模组",
        "purpose": "新产品导入",
        "annual_tax_wan": 500.0,
        "annual_tax_text": "500万",
        "company": "松江示例电子有限公司",
        "contact_name": "张伟",
        "contact_mobile": "13912345678",
        "lead_type": LeadType.technology,
        "preferred_cities": ["songjiang", "jiaxing"],
        "industry": "materials",
        "industry_text": "新材料/石墨烯",
        "city": None,
        "district": None,
    }


@pytest.mark.parametrize(
    ("given", "city", "district"),
    [
        ("湖州市长兴县", "huzhou", "长兴县"),
        ("长兴", "huzhou", "长兴县"),
        ("永康", "jinhua", "永康市"),
        ("东阳", "jinhua", "东阳市"),
        ("义乌市", "jinhua", "义乌市"),
        ("宁国", "xuancheng", "宁国市"),
        ("合肥经开区", "hefei", "合肥经济技术开发区"),
        ("松江", "songjiang", None),
        ("上海市松江区九亭镇", "songjiang", "九亭镇"),
        ("杭州", "hangzhou", None),
    ],
)
def test_the_city_keeps_its_district(given: str, city: str, district: str | None) -> None:
    row = parse_lead({**LEAD, "city": given})
    assert row.ok, row.errors
    assert (row.values["city"], row.values["district"]) == (city, district)


def test_the_leads_of_the_judged_set_resolve_to_city_and_district() -> None:
    # The cities written in ../shared/data/g60-match/leads/dev.jsonl.
    written: dict[str, tuple[str, str | None]] = {
        "湖州市长兴县": ("huzhou", "长兴县"),
        "永康": ("jinhua", "永康市"),
        "宁国": ("xuancheng", "宁国市"),
        "东阳": ("jinhua", "东阳市"),
        "松江": ("songjiang", None),
        "合肥": ("hefei", None),
        "苏州": ("suzhou", None),
    }
    for given, expected in written.items():
        values = parse_lead({**LEAD, "city": given}).values
        assert (values["city"], values["district"]) == expected, given


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("technology", LeadType.technology),
        ("技术", LeadType.technology),
        ("space", LeadType.space),
        ("空间", LeadType.space),
        ("载体", LeadType.space),
        ("capital", LeadType.capital),
        ("资本", LeadType.capital),
        ("资金", LeadType.capital),
        ("Capital", LeadType.capital),
    ],
)
def test_lead_types_accept_chinese_names(given: str, expected: LeadType) -> None:
    row = parse_lead({**LEAD, "lead_type": given})
    assert row.ok and row.values["lead_type"] == expected


@pytest.mark.parametrize(
    ("given", "expected"), [(500, 500.0), ("500万", 500.0), ("1,200万元", 1200.0), (0, 0.0)]
)
def test_tax_accepts_numbers_and_units(given: object, expected: float) -> None:
    assert parse_lead({**LEAD, "annual_tax_wan": given}).values["annual_tax_wan"] == expected


@pytest.mark.parametrize(
    ("typed", "figure"),
    [
        ("500万元/年", 500.0),
        ("年纳税约500万", 500.0),
        ("约500万", 500.0),
        ("年税收500万左右", 500.0),
        ("每年500万", 500.0),
        ("税收:500万", 500.0),
        ("纳税300多万", 300.0),
        ("500 万元 / 年", 500.0),
        ("５００万元／年", 500.0),
        ("1.2亿", 12000.0),
        ("300-500万", 300.0),
        ("5000000元", 500.0),
        ("500", 500.0),
        ("保密", None),
        ("暂无", None),
    ],
)
def test_tax_is_read_as_the_corridor_message_writes_it_and_kept_as_typed(
    typed: str, figure: float | None
) -> None:
    row = parse_lead({**LEAD, "annual_tax_wan": typed})
    assert row.ok, row.errors
    assert (row.values["annual_tax_wan"], row.values["annual_tax_text"]) == (figure, typed)


def test_a_tax_given_as_a_number_has_no_text() -> None:
    values = parse_lead({**LEAD, "annual_tax_wan": 760}).values
    assert (values["annual_tax_wan"], values["annual_tax_text"]) == (760.0, None)


def test_errors_name_the_fields_by_their_labels() -> None:
    row = parse_lead({"need": "厂房"})
    columns = {str(e.key): e.column for e in row.errors}
    assert columns["lead_type"] == "需求类型" and columns["consent"] == "个人信息同意"
    bad_tax = parse_lead({**LEAD, "annual_tax_wan": "很多"}).errors
    assert [e.column for e in bad_tax] == ["税收"]


def test_preferred_cities_accept_a_list_or_text_and_aliases() -> None:
    listed = parse_lead({**LEAD, "preferred_cities": ["上海市松江区", "合肥市"]})
    typed = parse_lead({**LEAD, "preferred_cities": "松江,合肥"})
    assert (
        listed.values["preferred_cities"]
        == typed.values["preferred_cities"]
        == ["songjiang", "hefei"]
    )


@pytest.mark.parametrize(
    ("cells", "field", "says"),
    [
        ({"need": None}, "need", "必填"),
        ({"need": "   "}, "need", "必填"),
        ({"contact_name": None}, "contact_name", "必填"),
        ({"contact_mobile": None}, "contact_mobile", "必填"),
        ({"contact_mobile": "1381234567"}, "contact_mobile", "11位"),
        ({"contact_mobile": "23812345678"}, "contact_mobile", "11位"),
        ({"lead_type": None}, "lead_type", "必填"),
        ({"lead_type": "房子"}, "lead_type", "technology"),
        ({"annual_tax_wan": -5}, "annual_tax_wan", "负数"),
        ({"annual_tax_wan": "-5万"}, "annual_tax_wan", "负数"),
        ({"annual_tax_wan": "很多"}, "annual_tax_wan", "500万元/年"),
        ({"annual_tax_wan": "税" * 101}, "annual_tax_wan", "100"),
        ({"preferred_cities": "松江、北京"}, "preferred_cities", "北京"),
        ({"city": "深圳"}, "city", "深圳"),
        ({"industry": "房地产"}, "industry", "房地产"),
        ({"need": "需" * 2001}, "need", "2000"),
    ],
)
def test_each_bad_field_is_named(cells: dict[str, Any], field: str, says: str) -> None:
    errors = _errors(**cells)
    assert set(errors) == {field}
    assert says in errors[field]


@pytest.mark.parametrize("consent", [None, False, "true", 1, "是"])
def test_consent_must_be_explicitly_true(consent: object) -> None:
    cells = {k: v for k, v in LEAD.items() if k != "consent"}
    if consent is not None:
        cells["consent"] = consent
    row = parse_lead(cells)
    assert [(e.key, e.column) for e in row.errors] == [("consent", "个人信息同意")]
    # What the visitor reads says what to do, in their words: no field names or JSON values.
    assert row.errors[0].reason == "须勾选同意平台保存所填信息并据此与您联系"
    assert "consent" not in row.errors[0].reason and "true" not in row.errors[0].reason


def test_a_rejected_mobile_is_not_repeated_in_the_error() -> None:
    row = parse_lead({**LEAD, "contact_mobile": "1391234567"})
    (error,) = row.errors
    assert "1391234567" not in error.reason + error.reason_en + error.value


def test_a_rejected_name_is_not_repeated_in_the_error() -> None:
    name = "张" * 51
    row = parse_lead({**LEAD, "contact_name": name})
    (error,) = row.errors
    assert error.key == "contact_name" and "50" in error.reason
    assert name not in error.reason + error.reason_en + error.value


@pytest.mark.parametrize("mobile", ["1391234567", "23912345678", "手机"])
def test_mobile_errors_are_the_shared_parsers_own(mobile: str) -> None:
    with pytest.raises(FieldError) as shared:
        parse_mobile(mobile)
    (error,) = parse_lead({**LEAD, "contact_mobile": mobile}).errors
    assert (error.reason, error.reason_en) == (shared.value.reason, shared.value.reason_en)


def test_every_error_is_reported_at_once() -> None:
    row = parse_lead({"annual_tax_wan": -1, "contact_mobile": "x", "preferred_cities": "北京"})
    assert {e.key for e in row.errors} == {
        "need",
        "contact_name",
        "contact_mobile",
        "lead_type",
        "annual_tax_wan",
        "preferred_cities",
        "consent",
    }


def test_the_words_are_kept_as_typed() -> None:
    # Issue 14: full-width punctuation and ㎡ are stored as the visitor typed them.
    need = "寻找铝合金压铸件供应商（转向节、电机壳），需３０００㎡厂房：尽快"
    row = parse_lead(
        {**LEAD, "need": need, "purpose": "新项目（二期）", "company": "某某（嘉兴）有限公司"}
    )
    assert row.ok, row.errors
    assert row.values["need"] == need
    assert row.values["purpose"] == "新项目（二期）"
    assert row.values["company"] == "某某（嘉兴）有限公司"


@pytest.mark.parametrize(
    ("typed", "industry", "kept"),
    [
        ("汽车零部件", "nev", "汽车零部件"),  # an alias: filed under 新能源汽车/智能网联汽车
        ("新材料", "materials", None),  # the catalogue's own name
        ("materials", "materials", None),  # its code
        ("新能源汽车/智能网联汽车", "nev", None),
    ],
)
def test_the_industry_is_kept_as_typed_beside_the_catalogue_one(
    typed: str, industry: str, kept: str | None
) -> None:
    row = parse_lead({**LEAD, "industry": typed})
    assert row.ok, row.errors
    assert (row.values["industry"], row.values["industry_text"]) == (industry, kept)
