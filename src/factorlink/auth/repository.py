"""Queries for users and tokens."""

from __future__ import annotations

from sqlalchemy import select

from factorlink.auth.models import AuthToken, User
from factorlink.kit.repository import Repository


class UserRepository(Repository[User]):
    """Users."""

    model = User

    def by_username(self, username: str) -> User | None:
        """Gets a user by login name."""
        return self.session.scalars(select(User).where(User.username == username)).first()


class TokenRepository(Repository[AuthToken]):
    """Login sessions and API tokens."""

    model = AuthToken

    def by_digest(self, digest: str) -> AuthToken | None:
        """Gets a token by the digest of its secret."""
        return self.session.scalars(select(AuthToken).where(AuthToken.digest == digest)).first()
