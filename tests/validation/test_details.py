"""Parsers of a listing's details: figures with their units, dates as people write them, periods,
patent numbers with their check character, loan rates and terms."""

from __future__ import annotations

from datetime import date

import pytest

from factorlink.validation import patents
from factorlink.validation.details import (
    Crane,
    parse_crane,
    parse_floor_load,
    parse_height,
    parse_loose_date,
    parse_patent_number,
    parse_patent_numbers,
    parse_period,
    parse_power,
    parse_rate,
    parse_term,
    parse_years,
    parse_yes_no,
)
from factorlink.validation.errors import FieldError


@pytest.mark.parametrize(
    ("text", "metres"), [("8米", 8), ("8m", 8), ("8.5 M", 8.5), ("首层8米", 8), ("12", 12)]
)
def test_height_in_metres(text: str, metres: float) -> None:
    assert parse_height(text) == metres


@pytest.mark.parametrize("text", ["八米", "8层", "0.5米", "800米", "8米/5米"])
def test_height_refused_says_what_is_expected(text: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_height(text)
    assert "层高" in caught.value.reason and "ceiling height" in caught.value.reason_en


@pytest.mark.parametrize(
    ("text", "tonnes"),
    [("3吨/㎡", 3), ("3t/m2", 3), ("1.5吨/平方米", 1.5), ("800kg/㎡", 0.8), ("2", 2)],
)
def test_floor_load_in_tonnes_per_square_metre(text: str, tonnes: float) -> None:
    assert parse_floor_load(text) == tonnes


def test_floor_load_out_of_range_is_refused() -> None:
    with pytest.raises(FieldError, match="承重"):
        parse_floor_load("300吨/㎡")


@pytest.mark.parametrize(
    ("text", "kva"), [("500kVA", 500), ("1250 KVA", 1250), ("630千伏安", 630), ("2MVA", 2000)]
)
def test_power_in_kva(text: str, kva: float) -> None:
    assert parse_power(text) == kva


def test_power_in_kilowatts_asks_for_kva() -> None:
    with pytest.raises(FieldError) as caught:
        parse_power("800kW")
    assert "kVA" in caught.value.reason


@pytest.mark.parametrize(
    ("text", "crane"),
    [
        ("10吨", Crane(True, 10)),
        ("10t", Crane(True, 10)),
        ("2台10吨", Crane(True, 10)),
        ("16/5吨", Crane(True, 16)),
        ("有", Crane(True)),
        ("无", Crane(False)),
        ("没有行车", Crane(False)),
    ],
)
def test_crane(text: str, crane: Crane) -> None:
    assert parse_crane(text) == crane


def test_crane_without_a_capacity_is_refused() -> None:
    with pytest.raises(FieldError, match="行车"):
        parse_crane("大型")


@pytest.mark.parametrize(
    ("text", "value"), [("是", True), ("否", False), ("可", True), ("不可", False), ("YES", True)]
)
def test_yes_no(text: str, value: bool) -> None:
    assert parse_yes_no(text, "可分割", "divisible") is value


def test_yes_no_refuses_anything_else() -> None:
    with pytest.raises(FieldError, match="可分割“也许”无效"):
        parse_yes_no("也许", "可分割", "divisible")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2027年6月底", date(2027, 6, 30)),
        ("2027年6月", date(2027, 6, 30)),
        ("2027-06", date(2027, 6, 30)),
        ("2027年6月中旬", date(2027, 6, 20)),
        ("2027年2月底", date(2027, 2, 28)),
        ("2027年三季度", date(2027, 9, 30)),
        ("2027Q1", date(2027, 3, 31)),
        ("2027年上半年", date(2027, 6, 30)),
        ("2027年底", date(2027, 12, 31)),
        ("2027-06-15", date(2027, 6, 15)),
        ("2027年6月15日", date(2027, 6, 15)),
    ],
)
def test_loose_dates_stand_for_the_end_of_the_period_named(text: str, day: date) -> None:
    found = parse_loose_date(text)
    assert found.day == day
    assert found.text == text


def test_loose_date_keeps_the_text_as_typed_and_now_has_no_day() -> None:
    assert parse_loose_date("现房").day is None
    assert parse_loose_date("现房,随时可看").text == "现房,随时可看"
    assert parse_loose_date("2027年6月底").text == "2027年6月底"


@pytest.mark.parametrize("text", ["6月底", "明年", "2027年13月", "2027年第五季度"])
def test_loose_date_refused_with_examples(text: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_loose_date(text, "交付日期", "delivery")
    assert "交付日期" in caught.value.reason and "2027年6月底" in caught.value.reason


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2026-01-01至2026-12-31", (date(2026, 1, 1), date(2026, 12, 31))),
        ("2026.1.1-2026.12.31", (date(2026, 1, 1), date(2026, 12, 31))),
        ("2026-01-01 - 2026-12-31", (date(2026, 1, 1), date(2026, 12, 31))),
        ("2026年1月1日~2026年底", (date(2026, 1, 1), date(2026, 12, 31))),
        ("至2026-12-31", (None, date(2026, 12, 31))),
        ("截至2026年12月31日", (None, date(2026, 12, 31))),
        ("2026-03-01起", (date(2026, 3, 1), None)),
    ],
)
def test_period(text: str, period: tuple[date | None, date | None]) -> None:
    assert parse_period(text, "挂牌期限", "listing period") == period


def test_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(FieldError, match="开始日期晚于结束日期"):
        parse_period("2026-12-31至2026-01-01", "挂牌期限", "listing period")


@pytest.mark.parametrize(("text", "years"), [("50年", 50), ("50", 50), ("剩余42年", 42)])
def test_tenure_years(text: str, years: int) -> None:
    assert parse_years(text) == years


def test_tenure_beyond_seventy_years_is_refused() -> None:
    with pytest.raises(FieldError, match="产权年限"):
        parse_years("99年")


def test_patent_check_character_of_a_published_number() -> None:
    # CN 201080063196.9: an application number as the patent office prints it.
    assert patents.check_char("201080063196") == "9"
    assert parse_patent_number("CN 201080063196.9") == "ZL201080063196.9"


def test_patent_number_with_a_wrong_check_character_names_the_right_one() -> None:
    with pytest.raises(FieldError) as caught:
        parse_patent_number("ZL202310123456.7")
    assert caught.value.reason == "专利号“ZL202310123456.7”校验位错误(应为6)"
    assert parse_patent_number("ZL202310123456.6") == "ZL202310123456.6"


def test_patent_check_character_ten_is_x() -> None:
    digits = next(
        f"2023101{n:05d}" for n in range(100_000) if patents.check_char(f"2023101{n:05d}") == "X"
    )
    assert parse_patent_number(f"ZL{digits}.X") == f"ZL{digits}.X"
    assert parse_patent_number(f"zl{digits}.x") == f"ZL{digits}.X"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("ZL202310123456", "缺少校验位(应为ZL202310123456.6)"),
        ("ZL202360123456.1", "专利类型位“6”无效"),
        ("ZL199810123456.1", "申请年份无效"),
        ("专利一项", "格式错误"),
    ],
)
def test_patent_number_refused(text: str, words: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_patent_number(text)
    assert words in caught.value.reason


def test_old_eight_digit_patent_numbers_are_checked_too() -> None:
    check = patents.check_char("98123456")
    assert parse_patent_number(f"ZL98123456.{check}") == f"ZL98123456.{check}"


def test_several_patent_numbers_with_spaces_after_zl() -> None:
    assert parse_patent_numbers("ZL 202310123456.6、CN201080063196.9;ZL202310123456.6") == [
        "ZL202310123456.6",
        "ZL201080063196.9",
    ]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("3.45%", 3.45, 3.45),
        ("3.2%-4.5%", 3.2, 4.5),
        ("3.2-4.5%", 3.2, 4.5),
        ("年化3.5%", 3.5, 3.5),
        ("一年期LPR+50BP", None, None),
        ("LPR", None, None),
        ("面议", None, None),
    ],
)
def test_rate(text: str, low: float | None, high: float | None) -> None:
    rate = parse_rate(text)
    assert (rate.low, rate.high, rate.text) == (low, high, text)


@pytest.mark.parametrize("text", ["50%", "低息", "4.5%-3.2%"])
def test_rate_refused(text: str) -> None:
    with pytest.raises(FieldError, match="利率"):
        parse_rate(text)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("12个月", (12, 12)),
        ("1年", (12, 12)),
        ("1-3年", (12, 36)),
        ("6-36个月", (6, 36)),
        ("最长3年", (None, 36)),
        ("3年以内", (None, 36)),
    ],
)
def test_term_in_months(text: str, term: tuple[int | None, int]) -> None:
    assert parse_term(text) == term


@pytest.mark.parametrize("text", ["长期", "40年", "3-1年", "1.5个月"])
def test_term_refused(text: str) -> None:
    with pytest.raises(FieldError, match="期限"):
        parse_term(text)
