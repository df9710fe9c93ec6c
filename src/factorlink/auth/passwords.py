"""Password hashing with Argon2id, and the minimum password policy (pure)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from factorlink.errors import InvalidInput

MIN_LENGTH = 10
# Long enough for any passphrase, short enough that nobody can make us hash megabytes.
MAX_LENGTH = 256

_hasher = PasswordHasher()


def check_policy(password: str, *, field: str = "password") -> None:
    """Raises InvalidInput unless the password is between MIN_LENGTH and MAX_LENGTH characters."""
    if len(password) < MIN_LENGTH or not password.strip():
        reason = f"密码至少需要{MIN_LENGTH}个字符"
        reason_en = f"password must be at least {MIN_LENGTH} characters long"
    elif len(password) > MAX_LENGTH:
        reason = f"密码不能超过{MAX_LENGTH}个字符"
        reason_en = f"password must be at most {MAX_LENGTH} characters long"
    else:
        return
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
