"""Argon2id hashing, verification, rehashing and the minimum password policy."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from factorlink.auth.passwords import (
    MIN_LENGTH,
    check_policy,
    hash_password,
    needs_rehash,
    verify_password,
)
from factorlink.errors import InvalidInput


def test_hash_is_salted_argon2id_and_verifies() -> None:
    first, second = hash_password("长三角G60科创走廊2024"), hash_password("长三角G60科创走廊2024")
    assert first.startswith("$argon2id$")
    assert first != second  # a fresh salt each time
    assert "长三角" not in first
    assert verify_password(first, "长三角G60科创走廊2024")
    assert not verify_password(first, "长三角G60科创走廊2025")
    assert not verify_password(first, "")


@pytest.mark.parametrize("stored", ["!unusable", "", "$argon2id$garbage", "plain-text-password"])
def test_unusable_or_malformed_hashes_never_verify(stored: str) -> None:
    assert verify_password(stored, "plain-text-password") is False


def test_weaker_parameters_need_a_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("苏州-工业园区-2024")
    assert verify_password(weak, "苏州-工业园区-2024")
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password("苏州-工业园区-2024"))
    assert needs_rehash("!unusable")


def test_policy_accepts_ten_characters() -> None:
    check_policy("a" * MIN_LENGTH)
    check_policy("合肥滨湖科学城量子中心")


@pytest.mark.parametrize("password", ["", "short", "九个字九个字九个字", " " * 12, "x" * 257])
def test_policy_rejects_with_a_bilingual_reason(password: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_policy(password)
    error = caught.value
    assert "密码" in error.message
    assert error.message_en and "password" in error.message_en
    assert error.errors[0]["field"] == "password"
    assert password.strip() == "" or password not in error.message


def test_policy_names_the_minimum_length() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_policy("123456789")
    assert "10" in caught.value.message and "10" in str(caught.value.message_en)
