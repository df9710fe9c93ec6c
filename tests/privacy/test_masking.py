"""The masks themselves: 张** and 138****1234."""

from __future__ import annotations

import pytest

from factorlink.privacy.masking import mask_mobile, mask_mobiles_in, mask_name


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张**"), ("欧阳娜娜", "欧**"), (" 李晓明 ", "李**"), ("Li Wei", "L**")],
)
def test_names_keep_only_the_first_character(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_empty_names_stay_empty(empty: str | None) -> None:
    assert mask_name(empty) == empty


def test_mobiles_keep_prefix_and_last_four() -> None:
    assert mask_mobile("13812341234") == "138****1234"
    assert mask_mobile("1381234") == "*******"
    assert mask_mobile(None) is None and mask_mobile("") == ""


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("有意向请致电13812345678,王工", "有意向请致电138****5678,王工"),
        ("手机 138 1234 5678 或 139-8765-4321", "手机 138****5678 或 139****4321"),
        ("+86 13812345678", "138****5678"),
        ("8613812345678", "138****5678"),
        ("两个号码:13812345678/15900001111", "两个号码:138****5678/159****1111"),
        ("微信同号13812345678。", "微信同号138****5678。"),
    ],
)
def test_mobiles_typed_in_free_text_are_masked(text: str, masked: str) -> None:
    assert mask_mobiles_in(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "需要14200㎡左右的单层标准厂房,层高10米以上",
        "统一社会信用代码913301086316310954",  # 18 characters, digits inside: not a mobile
        "订单号2026120513812345678",  # a longer run of digits
        "热线400 0123 021",  # a service line
        "12345678901",  # starts 12: no mobile prefix
        "金额1.38123456789亿",
    ],
)
def test_other_figures_are_left_alone(text: str) -> None:
    assert mask_mobiles_in(text) == text


@pytest.mark.parametrize("empty", [None, ""])
def test_empty_text_stays_empty(empty: str | None) -> None:
    assert mask_mobiles_in(empty) == empty
