"""TableSpec: headers, row parsing and formatting, for every listing kind."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from factorlink.achievement.columns import SPEC as ACHIEVEMENT
from factorlink.capital.columns import SPEC as CAPITAL
from factorlink.carrier.columns import SPEC as CARRIER
from factorlink.demand.columns import SPEC as DEMAND
from factorlink.expert.columns import SPEC as EXPERT
from factorlink.kit.table import TableSpec
from factorlink.organization.columns import SPEC as ORGANIZATION

SPECS = [ORGANIZATION, ACHIEVEMENT, DEMAND, CAPITAL, CARRIER, EXPERT]


def _record(spec: TableSpec, values: dict[str, Any]) -> SimpleNamespace:
    fields: dict[str, object] = {
        "organization": None,
        "price_negotiable": False,
        "budget_negotiable": False,
    }
    for col in spec.columns:
        fields.setdefault(col.key, None)
    fields.update(values)
    if "organization_name" in values:
        fields["organization"] = SimpleNamespace(name=values["organization_name"])
    return SimpleNamespace(**fields)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.kind)
def test_example_row_parses_and_formats_back(spec: TableSpec) -> None:
    cells = {col.key: col.example for col in spec.columns}
    row = spec.parse(cells)
    assert row.ok, row.errors
    again = spec.parse({col.key: col.format(_record(spec, row.values)) for col in spec.columns})
    assert again.ok, again.errors
    assert again.values == row.values


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.kind)
def test_required_columns_are_reported(spec: TableSpec) -> None:
    row = spec.parse({})
    assert {e.column for e in row.errors} == {c.header for c in spec.required}
    assert all("必填" in e.reason and "required" in e.reason_en for e in row.errors)


def test_headers_match_in_chinese_english_and_with_marks() -> None:
    found, unknown = ACHIEVEMENT.match_headers(
        ["成果名称*", "Abstract", "参考价格（万元）", "所在城市", "手机号码", "备注", ""]
    )
    assert [c.key for c in found.values()] == [
        "title",
        "abstract",
        "price_wan",
        "city",
        "contact_mobile",
    ]
    assert unknown == ["备注"]


def test_derived_code_is_stable_and_distinct() -> None:
    a = ACHIEVEMENT.derive_code({"title": "甲", "organization_name": "乙"})
    assert a == ACHIEVEMENT.derive_code({"title": "甲", "organization_name": "乙"})
    assert a != ACHIEVEMENT.derive_code({"title": "甲", "organization_name": "丙"})
    assert a.startswith("ACH-")


def test_all_errors_of_a_row_are_collected() -> None:
    row = DEMAND.parse(
        {
            "title": "需求",
            "description": "描述",
            "industry": "新材料",
            "budget": "300-100",
            "deadline": "明年",
            "organization": "某公司",
            "city": "北京",
            "contact_mobile": "123",
        }
    )
    assert [e.key for e in row.errors] == ["budget", "deadline", "city", "contact_mobile"]
    assert row.errors[2].value == "北京"


def test_blank_cells_clear_their_fields() -> None:
    row = CARRIER.parse({"name": "标准厂房", "kind": "厂房", "city": "苏州工业园区"})
    assert row.ok
    assert row.values["district"] == "苏州工业园区"  # from the city cell, not cleared
    assert row.values["industries"] == []
    assert row.values["area_sqm"] is None and row.values["price_unit"] is None
    assert row.values["contact_mobile"] is None


@pytest.mark.parametrize(
    ("city", "written", "stored"),
    [
        ("湖州", "长兴", "长兴县"),
        ("湖州", "湖州市长兴县", "长兴县"),
        ("合肥", "合肥经开区", "合肥经济技术开发区"),
        ("合肥", "经开区", "合肥经济技术开发区"),
        ("芜湖", "芜湖县", "湾沚区"),
        ("宣城", "宁国", "宁国市"),
        ("上海市松江区", "松江经开区", "松江经济技术开发区"),
        ("合肥", "合肥经济技术开发区", "合肥经济技术开发区"),
        # A park the corridor file does not know stays as written, and is no error.
        ("合肥", "滨湖科学城", "滨湖科学城"),
        # Another city's district is not this city's: kept as written too.
        ("杭州", "长兴", "长兴"),
    ],
)
def test_a_carriers_district_is_named_as_the_corridor_names_it(
    city: str, written: str, stored: str
) -> None:
    row = CARRIER.parse({"name": "标准厂房", "kind": "厂房", "city": city, "district": written})
    assert row.ok, row.errors
    assert row.values["district"] == stored


def test_a_carrier_with_an_unknown_city_keeps_its_errors_and_district() -> None:
    row = CARRIER.parse({"name": "标准厂房", "kind": "厂房", "city": "北京", "district": "长兴"})
    assert [e.key for e in row.errors] == ["city"]
    assert row.values["district"] == "长兴"


def test_a_sheet_with_a_district_column_writes_the_district_once() -> None:
    row = CARRIER.parse(
        {"name": "标准厂房", "kind": "厂房", "city": "苏州", "district": "苏州工业园区"}
    )
    record = _record(CARRIER, row.values)
    cells = CARRIER.format(record)
    assert (cells["所在城市*"], cells["区县"]) == ("苏州", "苏州工业园区")
    achievement = ACHIEVEMENT.parse({**{c.key: c.example for c in ACHIEVEMENT.columns}})
    assert ACHIEVEMENT.format(_record(ACHIEVEMENT, achievement.values))["所在城市*"] == "上海松江"
    located = ACHIEVEMENT.parse(
        {**{c.key: c.example for c in ACHIEVEMENT.columns}, "city": "杭州市余杭区"}
    )
    assert ACHIEVEMENT.format(_record(ACHIEVEMENT, located.values))["所在城市*"] == "杭州余杭区"
