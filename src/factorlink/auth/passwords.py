"""Password hashing with Argon2id, and the password policy (pure).

The policy follows NIST SP 800-63B rather than composition rules: a minimum length that counts
what a person can see (after NFKC, without spaces at the ends, zero-width or other invisible
characters, and with runs of spaces counted once), and a refusal of passwords that are guessed
first: one character or a short piece repeated (aaaaaaaaaa, abcabcabca), a run along the
alphabet, the digits or a keyboard row (1234567890, qwertyuiop), one that contains the
username, and the common words and number patterns of `weak_passwords` however they are
dressed up (Password2024!, p@ssw0rd, woaini1314). Every place a password is set (the API, the
web pages, `factorlink user add`) goes through `check_policy`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from factorlink.auth.weak_passwords import DIGITS, WORDS
from factorlink.errors import InvalidInput
from factorlink.validation.parsers import drop_controls

MIN_LENGTH = 10
# Long enough for any passphrase, short enough that nobody can make us hash megabytes.
MAX_LENGTH = 256

_hasher = PasswordHasher()

_SPACES = re.compile(r"\s+")
# Runs of letters (any script) and runs of digits; what is between them is decoration.
_RUNS = re.compile(r"[^\W\d_]+|\d+")
_DECORATION = re.compile(r"^[\d\W_]+|[\d\W_]+$")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
# Orders people type along; a password that runs along one (either way, wrapping) is refused.
_SEQUENCES = (
    "0123456789",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "qazwsxedcrfvtgbyhnujmikolp",
    "1q2w3e4r5t6y7u8i9o0p",
    "零一二三四五六七八九十",
    "甲乙丙丁戊己庚辛壬癸",
)


def visible_length(password: str) -> int:
    """How many characters of a password count: after NFKC, without control and invisible
    characters, trimmed, with each run of spaces counted once."""
    return len(_visible(password))


def _visible(password: str) -> str:
    text = drop_controls(unicodedata.normalize("NFKC", password))
    return _SPACES.sub(" ", text).strip()


def _is_repetition(text: str) -> bool:
    # One character, or a piece of up to three repeated ("abcabcabca", "12121212").
    return any(
        len(text) >= 2 * size and (text[:size] * (len(text) // size + 1))[: len(text)] == text
        for size in (1, 2, 3)
    )


def _is_sequence(text: str) -> bool:
    for order in _SEQUENCES:
        around = order * (len(text) // len(order) + 2)
        if text in around or text[::-1] in around:
            return True
    # Any run with a constant small step in code points (13579, acegikmoqs, 一丁七...).
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    return len(steps) == 1 and abs(next(iter(steps))) <= 2


def _is_weak_piece(piece: str) -> bool:
    # A common word or digit string, a short number (a year, 123, 1314), or one of these twice
    # or more ("我爱你我爱你", "52013145201314").
    if piece in WORDS or piece in DIGITS or (piece.isdigit() and len(piece) <= 4):
        return True
    return any(
        len(piece) % len(word) == 0 and word * (len(piece) // len(word)) == piece
        for word in (*WORDS, *DIGITS)
    )


def _is_common(text: str) -> bool:
    compact = text.replace(" ", "")
    if _is_weak_piece(compact):
        return True
    core = _DECORATION.sub("", compact)
    if core.translate(_LEET) in WORDS or _DECORATION.sub("", compact.translate(_LEET)) in WORDS:
        return True
    # Made only of weak pieces: "Password2024!", "woaini1314520", "admin@12345".
    runs = _RUNS.findall(text)
    return bool(runs) and all(_is_weak_piece(run) for run in runs)


def _weakness(password: str, username: str | None) -> tuple[str, str] | None:
    if len(password) > MAX_LENGTH:
        return (
            f"密码不能超过{MAX_LENGTH}个字符",
            f"password must be at most {MAX_LENGTH} characters long",
        )
    visible = _visible(password)
    if len(visible) < MIN_LENGTH:
        return (
            f"密码至少需要{MIN_LENGTH}个字符(首尾空格和不可见字符不计)",
            f"password must be at least {MIN_LENGTH} characters long "
            "(spaces at the ends and invisible characters do not count)",
        )
    folded = visible.casefold()
    compact = folded.replace(" ", "")
    if _is_repetition(compact):
        return (
            "密码不能是同一个字符或片段的重复(如“aaaaaaaaaa”)",
            "password must not repeat one character or a short piece (such as aaaaaaaaaa)",
        )
    if _is_sequence(compact):
        return (
            "密码不能是连续的字符序列(如“1234567890”“abcdefghij”“qwertyuiop”)",
            "password must not be a simple sequence (such as 1234567890, abcdefghij or qwertyuiop)",
        )
    name = _visible(username or "").casefold()
    if len(name) >= 3 and (name in compact or name[::-1] in compact):
        return ("密码不能包含用户名", "password must not contain the username")
    if _is_common(folded):
        return (
            "密码过于常见,容易被猜中,请换一个(可用几个词组成的长句)",
            "password is too common and easily guessed; choose another "
            "(a few words make a good one)",
        )
    return None


def check_policy(password: str, *, username: str | None = None, field: str = "password") -> None:
    """Raises InvalidInput, with the reason in Chinese and English, unless the password is long
    enough (MIN_LENGTH visible characters, at most MAX_LENGTH in all) and not one of the easily
    guessed kinds: repeated, a sequence, containing the username, or common."""
    weakness = _weakness(password, username)
    if weakness is None:
        return
    reason, reason_en = weakness
    raise InvalidInput(
        reason,
        message_en=reason_en,
        errors=[{"field": field, "reason": reason, "reason_en": reason_en}],
    )


def hash_password(password: str) -> str:
    """Returns an Argon2id hash of the password, salt and parameters included."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Tells whether the password matches the hash; False for unusable or malformed hashes."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Tells whether a hash was made with weaker parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("factorlink-timing-equaliser")


def burn_verification(password: str) -> None:
    """Runs a verification that always fails, so an unknown user costs as much as a known one."""
    verify_password(_dummy_hash(), password)
