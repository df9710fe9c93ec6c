"""An achievement's patents, rights holder and listing period, as imports and the API read them."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from factorlink.achievement.columns import SPEC

BASE = {
    "title": "高导热石墨烯复合散热膜",
    "abstract": "面内导热系数≥1500 W/(m·K)。",
    "industry": "新材料",
    "organization": "示例大学技术转移中心",
    "city": "杭州",
}


def test_patents_status_holder_and_period() -> None:
    row = SPEC.parse(
        {
            **BASE,
            "patent_numbers": "ZL 202310123456.6、CN201080063196.9",
            "patent_status": "已授权",
            "rights_holder": "示例大学",
            "listing_period": "2026.1.1-2026.12.31",
        }
    )
    assert row.ok, row.errors
    assert row.values["patent_numbers"] == ["ZL202310123456.6", "ZL201080063196.9"]
    assert row.values["patent_status"] == "授权" and row.values["rights_holder"] == "示例大学"
    assert (row.values["listed_from"], row.values["listed_until"]) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    cells = SPEC.format(SimpleNamespace(**row.values, organization=None))
    assert cells["专利号"] == "ZL202310123456.6、ZL201080063196.9"
    assert cells["挂牌期限"] == "2026-01-01至2026-12-31" and cells["专利状态"] == "授权"


def test_a_patent_number_failing_its_check_is_refused_in_its_column() -> None:
    row = SPEC.parse({**BASE, "patent_numbers": "ZL202310123456.7", "patent_status": "过期"})
    errors = {e.column: e.reason for e in row.errors}
    assert errors["专利号"] == "专利号“ZL202310123456.7”校验位错误(应为6)"
    assert errors["专利状态"].startswith("专利状态“过期”无效,可选:授权、实审、公开")


def test_an_open_ended_period_reads_back() -> None:
    row = SPEC.parse({**BASE, "listing_period": "至2026年底"})
    cells = SPEC.format(SimpleNamespace(**row.values, organization=None))
    assert cells["挂牌期限"] == "至2026-12-31"
    assert SPEC.parse({**BASE, "listing_period": cells["挂牌期限"]}).values["listed_until"] == date(
        2026, 12, 31
    )
