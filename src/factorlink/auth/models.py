"""Users, their roles, and the tokens (login sessions and API tokens) they authenticate with."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from factorlink.db.base import Base, IdMixin, StringList, TimestampMixin, UTCDateTime, utcnow


class Role(enum.StrEnum):
    """What a user may do. Anonymous visitors have no user record."""

    admin = "admin"
    operator = "operator"
    member = "member"


class User(Base, IdMixin, TimestampMixin):
    """A person who logs in: an admin, an operator (optionally city-scoped) or a member."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    display_name: Mapped[str | None] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20), nullable=False)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    city_scope: Mapped[list[str]] = mapped_column(StringList, default=list, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


class TokenKind(enum.StrEnum):
    """A browser login session or a long-lived integration token."""

    session = "session"
    api = "api"


class AuthToken(Base, IdMixin):
    """A bearer credential; only its SHA-256 digest is stored."""

    __tablename__ = "auth_tokens"

    digest: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    kind: Mapped[TokenKind] = mapped_column(
        Enum(TokenKind, native_enum=False, length=10), nullable=False
    )
    name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
