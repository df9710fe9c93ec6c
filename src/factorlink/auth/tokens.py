"""Bearer tokens: random secrets handed out once, stored only as SHA-256 digests (pure)."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "flk_"


def new_token() -> str:
    """Returns a fresh random bearer token."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """Returns the stored digest of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
