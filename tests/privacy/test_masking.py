"""The masks themselves: 张** and 138****1234."""

from __future__ import annotations

import pytest

from factorlink.privacy.masking import mask_mobile, mask_name


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
