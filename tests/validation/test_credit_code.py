"""The GB 32100-2015 check digit."""

from __future__ import annotations

import pytest

from factorlink.validation import FieldError, parse_credit_code
from factorlink.validation.credit_code import check_char, is_valid

# Published codes of well-known companies (public registration data).
REAL_CODES = ["91330100799655058B", "91440300708461136T"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass(code: str) -> None:
    assert is_valid(code)
    assert parse_credit_code(code.lower()) == code


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_wrong_check_char_fails(code: str) -> None:
    for ch in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if ch != code[-1]:
            assert not is_valid(code[:-1] + ch)


def test_bad_check_digit_names_the_expected_one() -> None:
    with pytest.raises(FieldError) as excinfo:
        parse_credit_code("91330100799655058C")
    assert "校验位" in excinfo.value.reason
    assert "expected B" in excinfo.value.reason_en


@pytest.mark.parametrize("code", ["9133010079965505", "91330100799655058I", "91330100-99655058B"])
def test_malformed_codes_fail(code: str) -> None:
    with pytest.raises(FieldError) as excinfo:
        parse_credit_code(code)
    assert "格式错误" in excinfo.value.reason


def test_check_char_is_in_alphabet() -> None:
    assert check_char("91310117MA1J3ABC1") in "0123456789ABCDEFGHJKLMNPQRTUWXY"
