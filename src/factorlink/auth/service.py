"""Authentication: resolving a bearer token to the viewer it stands for."""

from __future__ import annotations

from sqlalchemy.orm import Session

from factorlink.auth.models import User
from factorlink.auth.repository import TokenRepository, UserRepository
from factorlink.auth.tokens import digest
from factorlink.auth.viewer import ANONYMOUS, Viewer
from factorlink.db.base import utcnow
from factorlink.errors import NotAuthenticated


def viewer_of(user: User) -> Viewer:
    """Returns the viewer a user acts as."""
    return Viewer(
        user_id=user.id,
        role=user.role,
        organization_id=user.organization_id,
        city_scope=tuple(user.city_scope),
    )


def viewer_for_token(session: Session, token: str | None) -> Viewer:
    """Returns the viewer for a bearer token; anonymous without one, an error for a bad one."""
    if not token:
        return ANONYMOUS
    record = TokenRepository(session).by_digest(digest(token))
    now = utcnow()
    if (
        record is None
        or record.revoked_at is not None
        or (record.expires_at is not None and record.expires_at <= now)
    ):
        raise NotAuthenticated("登录已失效,请重新登录", message_en="Invalid or expired token")
    user = UserRepository(session).get(record.user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("账号不可用", message_en="Account disabled")
    record.last_used_at = now
    return viewer_of(user)
