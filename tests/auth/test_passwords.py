"""Argon2id hashing, verification, rehashing and the minimum password policy."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from factorlink.auth.passwords import (
    check_policy,
    hash_password,
    needs_rehash,
    verify_password,
    visible_length,
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
    check_policy("合肥滨湖科学城量子中心")
    check_policy("松江-G60-correct-horse", username="zhao.ops")
    check_policy("river stone 光谱 lamp")


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


@pytest.mark.parametrize(
    ("password", "username", "reason_en"),
    [
        # The audit's four: accepted before the policy had more than a length.
        ("aaaaaaaaaa", None, "repeat"),
        ("1234567890", None, "sequence"),
        ("zhao.ops.2024", "zhao.ops", "username"),
        ("\u200b" * 10, None, "at least 10"),
        # Their neighbours.
        ("ZHAO.OPS", "zhao.ops", "at least 10"),
        ("Zhao.Ops-Songjiang", "zhao.ops", "username"),
        ("\u200b\u200c\u200d\u2060\ufeffab\u202e\u2066cd", None, "at least 10"),
        ("ab" + "\u3000" * 12 + "cd", None, "at least 10"),
        ("ａａａａａａａａａａ", None, "repeat"),  # full-width is the same letter
        ("abcabcabcabc", None, "repeat"),
        ("0987654321", None, "sequence"),
        ("9012345678", None, "sequence"),  # wrapping around the digits
        ("qwertyuiop", None, "sequence"),
        ("1qaz2wsx3edc", None, "sequence"),
        ("abcdefghijkl", None, "sequence"),
        ("零一二三四五六七八九十", None, "sequence"),
        ("Password2024!", None, "common"),
        ("p@ssw0rd123", None, "common"),
        ("woaini1314520", None, "common"),
        ("5201314 5201314", None, "common"),
        ("admin@12345", None, "common"),
        ("FactorLink2026", None, "common"),
        ("我爱你我爱你1314", None, "common"),
    ],
)
def test_policy_refuses_easily_guessed_passwords(
    password: str, username: str | None, reason_en: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_policy(password, username=username)
    assert reason_en in str(caught.value.message_en)
    assert caught.value.message.startswith("密码")


def test_policy_does_not_repeat_the_password() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_policy("zhao.ops.2024", username="zhao.ops")
    assert "zhao" not in caught.value.message and "zhao" not in str(caught.value.message_en)


def test_visible_length_counts_what_can_be_seen() -> None:
    assert visible_length("\u200b" * 10) == 0
    assert visible_length("  a   b  ") == 3
    assert visible_length("ＡＢＣ") == 3
    assert visible_length("合肥\u202e滨湖") == 4
