"""Field parsers: what operators type, and the errors they get back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from factorlink.reference import get_industries, get_region
from factorlink.validation import (
    FieldError,
    parse_area,
    parse_city,
    parse_date,
    parse_industry,
    parse_mobile,
    parse_money,
    parse_money_range,
    parse_price,
    parse_text,
    parse_trl,
    split_multi,
)
from factorlink.validation.parsers import MAX_WAN, MAX_WAN_PER_MU, clean, normalize
from factorlink.validation.vocab import COOP_MODES, parse_choices


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        (13812345678, "13812345678"),
        (13812345678.0, "13812345678"),
    ],
)
def test_mobile_accepts_common_forms(typed: object, expected: str) -> None:
    assert parse_mobile(typed) == expected


@pytest.mark.parametrize(
    "typed", ["1381234567", "23812345678", "12812345678", "021-5788888", "abc"]
)
def test_mobile_rejects(typed: str) -> None:
    with pytest.raises(FieldError) as excinfo:
        parse_mobile(typed)
    assert "手机号" in excinfo.value.reason
    assert "mobile" in excinfo.value.reason_en


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("转让、许可", ["转让", "许可"]),
        ("转让，许可;技术服务；合作开发", ["转让", "许可", "技术服务", "合作开发"]),
        ("转让 许可  转让", ["转让", "许可"]),
        (["转让", " 许可 "], ["转让", "许可"]),
        ("", []),
    ],
)
def test_split_multi(typed: object, expected: list[str]) -> None:
    assert split_multi(typed) == expected


def test_choices_map_synonyms_to_canonical() -> None:
    assert parse_choices("技术转让、专利许可、联合开发", COOP_MODES, "合作方式", "mode") == [
        "转让",
        "许可",
        "合作开发",
    ]
    with pytest.raises(FieldError) as excinfo:
        parse_choices("转让、赠送", COOP_MODES, "合作方式", "cooperation mode")
    assert "赠送" in excinfo.value.reason


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("100-300", (100, 300)),
        ("100万~300万", (100, 300)),
        ("100至300万元", (100, 300)),
        ("200", (200, 200)),
        ("200万", (200, 200)),
        ("面议", (None, None)),
        ("≤500", (None, 500)),
        ("1000以上", (1000, None)),
    ],
)
def test_money_range(typed: str, expected: tuple[float | None, float | None]) -> None:
    assert parse_money_range(typed) == expected


@pytest.mark.parametrize("typed", ["300-100", "很多", "-5"])
def test_money_range_rejects(typed: str) -> None:
    with pytest.raises(FieldError):
        parse_money_range(typed)


def test_money() -> None:
    assert parse_money("120万元") == 120
    assert parse_money("1,200") == 1200
    assert parse_money("面议") is None
    with pytest.raises(FieldError):
        parse_money("一百万")


def test_area_units() -> None:
    quantity, sqm = parse_area("30亩")
    assert (quantity.value, quantity.unit, sqm) == (30, "亩", 20000)
    assert parse_area("5,000平方米")[1] == 5000
    assert parse_area("1200㎡")[1] == 1200
    with pytest.raises(FieldError) as excinfo:
        parse_area("5000")
    assert "单位" in excinfo.value.reason


def test_price_units() -> None:
    price = parse_price("1.2元/平方米/天")
    assert price is not None and (price.value, price.unit) == (1.2, "元/㎡/天")
    land = parse_price("45万元/亩")
    assert land is not None and land.unit == "万元/亩"
    assert parse_price("面议") is None
    with pytest.raises(FieldError):
        parse_price("1.2")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("中试", 6), ("实验室", 4), ("小试", 5), ("量产", 9), ("7", 7), ("TRL 8", 8), (3, 3)],
)
def test_trl(typed: object, expected: int) -> None:
    assert parse_trl(typed) == expected


@pytest.mark.parametrize("typed", ["0", "10", "成熟"])
def test_trl_rejects(typed: str) -> None:
    with pytest.raises(FieldError):
        parse_trl(typed)


@pytest.mark.parametrize(
    "typed", ["2027-06-30", "2027/6/30", "2027年6月30日", "2027.06.30", datetime(2027, 6, 30, 0, 0)]
)
def test_dates(typed: object) -> None:
    assert parse_date(typed) == date(2027, 6, 30)


def test_date_rejects() -> None:
    with pytest.raises(FieldError):
        parse_date("2027-02-30")


def test_city_and_industry_errors_list_choices() -> None:
    with pytest.raises(FieldError) as city_error:
        parse_city("北京市海淀区", get_region())
    assert "上海松江" in city_error.value.reason
    with pytest.raises(FieldError) as industry_error:
        parse_industry("房地产", get_industries())
    assert "人工智能" in industry_error.value.reason


def test_text_length() -> None:
    assert parse_text("  标题  ") == "标题"
    with pytest.raises(FieldError):
        parse_text("长" * 201)


def test_digits_of_other_scripts_are_not_a_trl() -> None:
    for typed in ("፩", "١"):
        with pytest.raises(FieldError):
            parse_trl(typed)


def test_lone_surrogates_and_controls_are_dropped() -> None:
    assert parse_text("石墨\ud800烯\x00") == "石墨烯"


@pytest.mark.parametrize(
    "typed",
    [
        "\u202e公司名称",  # right-to-left override
        "公司\u202a名\u202c称",  # embedding and pop
        "公司\u2066名\u2069称",  # isolates
        "公\u200b司\u200c名\u200d称",  # zero-width space, non-joiner, joiner
        "\ufeff公司名称\u2060",  # byte-order mark, word joiner
        "公司\u200e名称\u200f",  # direction marks
        "公司名称\U000e0041\U000e007f",  # tag characters
    ],
)
def test_invisible_format_characters_are_dropped(typed: str) -> None:
    assert parse_text(typed) == "公司名称"
    assert split_multi(f"石墨烯、{typed}") == ["石墨烯", "公司名称"]


def test_visible_text_of_other_scripts_stays() -> None:
    assert parse_text("مرحبا עברית Ünïcödé 中文") == "مرحبا עברית Ünïcödé 中文"


@pytest.mark.parametrize(
    ("parse", "typed", "shown_max"),
    [
        (parse_money, "1e308", "10,000,000万元"),
        (parse_money, 1e308, "10,000,000万元"),
        (parse_money, "20000000万元", "10,000,000万元"),
        (parse_money_range, "100-200000000", "10,000,000万元"),
        (parse_money_range, "≥1e308", "10,000,000万元"),
        (parse_area, "1e308亩", "1,500,000亩"),
        (parse_area, "2000000000㎡", "1,000,000,000㎡"),
        (parse_price, "1e308元/㎡/天", "1,000元/㎡/天"),
        (parse_price, "2000000万元/亩", "100,000万元/亩"),
    ],
)
def test_absurd_figures_are_refused_with_the_maximum(
    parse: Callable[[object], object], typed: object, shown_max: str
) -> None:
    with pytest.raises(FieldError) as excinfo:
        parse(typed)
    assert "超出上限" in excinfo.value.reason and shown_max in excinfo.value.reason
    assert "maximum" in excinfo.value.reason_en
    assert len(excinfo.value.reason) < 80  # never a page of digits


def test_a_field_may_set_its_own_maximum() -> None:
    assert parse_money("50000", maximum=MAX_WAN_PER_MU) == 50000
    with pytest.raises(FieldError) as excinfo:
        parse_money("200000", "亩均税收门槛", "tax threshold", maximum=MAX_WAN_PER_MU)
    assert "亩均税收门槛" in excinfo.value.reason and "100,000" in excinfo.value.reason


def test_figures_up_to_the_maximum_are_kept() -> None:
    assert parse_money("10000000") == MAX_WAN
    assert parse_area("1500000亩")[1] == 1_000_000_000
    price = parse_price("1000元/㎡/天")
    assert price is not None and price.value == 1000


@pytest.mark.parametrize("typed", ["inf", "nan", "-inf", float("inf"), float("nan"), "1e400"])
def test_non_finite_figures_are_refused(typed: object) -> None:
    for parse in (parse_money, parse_area_in_mu):
        with pytest.raises(FieldError) as excinfo:
            parse(typed)
        assert "有效数字" in excinfo.value.reason or "不是数字" in excinfo.value.reason


def parse_area_in_mu(value: object) -> object:
    return parse_area(f"{value}亩")


def test_text_is_kept_as_typed() -> None:
    # Issue 14: full-width punctuation, ㎡ and full-width digits are what the user typed.
    typed = "寻找铝合金压铸件（转向节、电机壳），需３０００㎡厂房：月产5万件"
    assert parse_text(f"  {typed}\u200b ") == typed
    assert split_multi("转向节，电机壳；（压铸）") == ["转向节", "电机壳", "（压铸）"]


def test_split_multi_drops_parts_that_read_the_same() -> None:
    assert split_multi("ＡＩ、AI、石墨烯、石墨烯") == ["ＡＩ", "石墨烯"]


def test_normalize_still_folds_for_comparing() -> None:
    assert normalize("（转向节），：㎡") == "(转向节),:m2"
    assert clean("（转向节），：㎡ ") == "（转向节），：㎡"
