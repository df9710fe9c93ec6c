"""A demand's deadline as people write it: the day it stands for, and the text kept."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from factorlink.demand.columns import SPEC

BASE = {
    "title": "电池包轻量化散热方案",
    "description": "需减重20%以上。",
    "industry": "新能源汽车",
    "organization": "嘉兴示例新能源有限公司",
    "city": "嘉兴",
}


def test_a_deadline_at_the_end_of_a_month_is_kept_as_typed() -> None:
    row = SPEC.parse({**BASE, "deadline": "2027年6月底"})
    assert row.ok, row.errors
    assert (row.values["deadline"], row.values["deadline_text"]) == (
        date(2027, 6, 30),
        "2027年6月底",
    )
    assert (
        SPEC.format(SimpleNamespace(**row.values, organization=None))["截止日期"] == "2027年6月底"
    )


def test_a_plain_date_keeps_no_text() -> None:
    row = SPEC.parse({**BASE, "deadline": "2027-06-30"})
    assert (row.values["deadline"], row.values["deadline_text"]) == (date(2027, 6, 30), None)
    assert SPEC.format(SimpleNamespace(**row.values, organization=None))["截止日期"] == "2027-06-30"
