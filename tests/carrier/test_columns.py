"""A carrier's building, land and delivery columns: parsed as typed, written back the same,
checked across columns."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from factorlink.carrier.columns import SPEC

BASE = {"name": "芜湖经开区标准厂房", "kind": "厂房", "city": "芜湖", "area": "5000㎡"}


def _parse(**cells: Any) -> Any:
    return SPEC.parse({**BASE, **cells})


def test_details_parse_as_people_type_them() -> None:
    row = _parse(
        address="鸠江区电子产业园1号",
        ceiling_height_m="8米",
        floor_load_t="3吨/㎡",
        power_kva="630kVA",
        crane="2台10吨",
        divisible="是",
        min_split="1000㎡",
        delivery_date="2027年6月底",
        land_use="M1",
        tenure_years="50年",
    )
    assert row.ok, row.errors
    values = row.values
    assert values["ceiling_height_m"] == 8 and values["floor_load_t"] == 3
    assert values["power_kva"] == 630 and (values["crane"], values["crane_tonnes"]) == (True, 10)
    assert values["divisible"] is True and values["min_split_sqm"] == 1000
    assert values["delivery_date"] == date(2027, 6, 30)
    assert values["delivery_text"] == "2027年6月底"
    assert values["land_use"] == "工业用地" and values["tenure_years"] == 50


def test_details_are_written_back_so_they_read_the_same() -> None:
    row = _parse(
        ceiling_height_m="8.5m",
        floor_load_t="800kg/㎡",
        power_kva="2MVA",
        crane="无",
        min_split="2亩",
        delivery_date="现房",
        land_use="新型产业用地",
        tenure_years="剩余42年",
    )
    assert row.ok, row.errors
    cells = SPEC.format(SimpleNamespace(**{**row.values, "organization": None}))
    assert cells["层高"] == "8.5米" and cells["承重"] == "0.8吨/㎡" and cells["电力"] == "2000kVA"
    assert cells["行车"] == "无" and cells["可分割"] == "是" and cells["交付日期"] == "现房"
    assert cells["最小分割面积"] == "1333.33㎡" and cells["产权年限"] == "42年"
    again = SPEC.parse({col.key: cells[col.display_header] for col in SPEC.columns})
    assert again.ok, again.errors
    assert {k: again.values[k] for k in row.values if k != "code"} == {
        k: v for k, v in row.values.items() if k != "code"
    }


def test_a_bad_detail_names_its_column() -> None:
    row = _parse(ceiling_height_m="很高", power_kva="800kW", delivery_date="明年")
    assert {e.column for e in row.errors} == {"层高", "电力", "交付日期"}
    assert all(e.reason and e.reason_en for e in row.errors)


def test_smallest_part_is_checked_against_the_whole_and_divisibility() -> None:
    too_big = _parse(min_split="6000㎡")
    assert [e.reason for e in too_big.errors] == ["最小分割面积大于总面积"]
    not_divisible = _parse(divisible="否", min_split="1000㎡")
    assert [e.column for e in not_divisible.errors] == ["最小分割面积"]
