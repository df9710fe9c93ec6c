"""Queries for users and tokens."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, delete, func, or_, select, update

from factorlink.auth.models import AuthToken, Role, TokenKind, User
from factorlink.kit.repository import Repository, escape_like
from factorlink.organization.models import Organization


class UserRepository(Repository[User]):
    """Users."""

    model = User

    def by_username(self, username: str) -> User | None:
        """Gets a user by login name."""
        return self.session.scalars(select(User).where(User.username == username)).first()

    def by_username_folded(self, username: str) -> User | None:
        """Gets a user whose login name differs from this one at most in letter case."""
        stmt = select(User).where(func.lower(User.username) == username.lower())
        return self.session.scalars(stmt).first()

    def search_statement(self, *, role: Role | None = None, q: str | None = None) -> Select[User]:
        """Users of a role and/or whose name contains the text, in creation order."""
        stmt = select(User)
        if role is not None:
            stmt = stmt.where(User.role == role)
        if q:
            pattern = f"%{escape_like(q)}%"
            stmt = stmt.where(
                or_(
                    User.username.ilike(pattern, escape="\\"),
                    User.display_name.ilike(pattern, escape="\\"),
                )
            )
        return stmt.order_by(User.id)

    def count_active_admins(self, *, excluding: int | None = None) -> int:
        """Counts active admins, leaving one user out if asked."""
        stmt = select(User).where(User.role == Role.admin, User.is_active.is_(True))
        if excluding is not None:
            stmt = stmt.where(User.id != excluding)
        return self.count(stmt)

    def organization_names(self, ids: Iterable[int | None]) -> dict[int, str]:
        """Names of the organisations with these ids."""
        wanted = {i for i in ids if i is not None}
        if not wanted:
            return {}
        rows = self.session.execute(
            select(Organization.id, Organization.name).where(Organization.id.in_(wanted))
        )
        return {id_: name for id_, name in rows}


class TokenRepository(Repository[AuthToken]):
    """Login sessions and API tokens."""

    model = AuthToken

    def by_digest(self, digest: str) -> AuthToken | None:
        """Gets a token by the digest of its secret."""
        return self.session.scalars(select(AuthToken).where(AuthToken.digest == digest)).first()

    def holders(self, digests: Sequence[str]) -> Sequence[Row[Any]]:
        """The tokens of several digests with what checking them needs of their users, one row
        each (columns only, in one statement): digest, token_id, kind, expires_at, revoked_at,
        last_used_at, and the user's user_id, role, organization_id, city_scope, is_active
        (None when the user is gone)."""
        if not digests:
            return []
        stmt = (
            select(
                AuthToken.digest,
                AuthToken.id.label("token_id"),
                AuthToken.kind,
                AuthToken.expires_at,
                AuthToken.revoked_at,
                AuthToken.last_used_at,
                User.id.label("user_id"),
                User.role,
                User.organization_id,
                User.city_scope,
                User.is_active,
            )
            .outerjoin(User, User.id == AuthToken.user_id)
            .where(AuthToken.digest.in_(digests))
        )
        return list(self.session.execute(stmt))

    def note_use(self, token_ids: Sequence[int], now: datetime) -> None:
        """Notes that these tokens were used now (one statement)."""
        if token_ids:
            stmt = update(AuthToken).where(AuthToken.id.in_(token_ids)).values(last_used_at=now)
            self.session.execute(stmt, execution_options={"synchronize_session": False})

    def active_of(self, user_id: int, now: datetime) -> Sequence[AuthToken]:
        """A user's tokens that are neither revoked nor expired, newest first."""
        stmt = (
            select(AuthToken)
            .where(
                AuthToken.user_id == user_id,
                AuthToken.revoked_at.is_(None),
                or_(AuthToken.expires_at.is_(None), AuthToken.expires_at > now),
            )
            .order_by(AuthToken.id.desc())
        )
        return self.session.scalars(stmt).all()

    def active_named(self, user_id: int, name: str, now: datetime) -> AuthToken | None:
        """A user's active API token of this name, if any."""
        for token in self.active_of(user_id, now):
            if token.kind == TokenKind.api and token.name == name:
                return token
        return None

    def revoke_all(
        self,
        user_id: int,
        now: datetime,
        *,
        kind: TokenKind | None = None,
        keep: int | None = None,
    ) -> None:
        """Revokes every live token of a user (of one kind, if given), but the one kept."""
        stmt = update(AuthToken).where(AuthToken.user_id == user_id, AuthToken.revoked_at.is_(None))
        if kind is not None:
            stmt = stmt.where(AuthToken.kind == kind)
        if keep is not None:
            stmt = stmt.where(AuthToken.id != keep)
        self.session.execute(stmt.values(revoked_at=now))

    def purge_expired_sessions(self, user_id: int, now: datetime) -> None:
        """Deletes a user's expired login sessions; they can never be used again."""
        self.session.execute(
            delete(AuthToken).where(
                AuthToken.user_id == user_id,
                AuthToken.kind == TokenKind.session,
                AuthToken.expires_at <= now,
            )
        )
