"""Authentication: logins, logouts, API tokens, and the viewer a bearer token stands for."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from factorlink.auth.models import AuthToken, TokenKind, User
from factorlink.auth.passwords import (
    burn_verification,
    check_policy,
    hash_password,
    needs_rehash,
)
from factorlink.auth.passwords import verify_password as password_matches
from factorlink.auth.repository import TokenRepository, UserRepository
from factorlink.auth.throttle import LoginThrottle, Reason
from factorlink.auth.tokens import digest, new_token
from factorlink.auth.viewer import ANONYMOUS, Viewer
from factorlink.config import current_settings
from factorlink.db.base import utcnow
from factorlink.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, RateLimited
from factorlink.validation.parsers import drop_controls


@dataclass(frozen=True)
class IssuedToken:
    """A token just created: the stored record and the secret, which is shown only now."""

    record: AuthToken
    secret: str
    user: User


def viewer_of(user: User, *, session_id: int | None = None) -> Viewer:
    """Returns the viewer a user acts as (in the given login session, if any)."""
    return Viewer(
        user_id=user.id,
        role=user.role,
        organization_id=user.organization_id,
        city_scope=tuple(user.city_scope),
        session_id=session_id,
    )


def viewer_for_token(session: Session, token: str | None) -> Viewer:
    """Returns the viewer for a bearer token; anonymous without one, an error for a bad one."""
    if not token:
        return ANONYMOUS
    return viewer_for_record(session, TokenRepository(session).by_digest(digest(token)))


def viewer_for_record(session: Session, record: AuthToken | None) -> Viewer:
    """Returns the viewer for a stored token found by the digest of a bearer token (None: no
    such token), as `viewer_for_token` does."""
    now = utcnow()
    if record is None or not _is_live(record.revoked_at, record.expires_at, now):
        raise _expired()
    user = UserRepository(session).get(record.user_id)
    if user is None or not user.is_active:
        raise _disabled()
    record.last_used_at = now
    return viewer_of(user, session_id=record.id if record.kind == TokenKind.session else None)


# How stale a token's noted last use may be on paths that check many tokens at once.
USE_NOTED_EVERY = timedelta(minutes=1)


def viewers_for_tokens(
    session: Session, tokens: Iterable[str]
) -> dict[str, Viewer | NotAuthenticated]:
    """The viewers of several bearer tokens, each checked as `viewer_for_token` checks one (an
    unknown, revoked or expired token, or a disabled account, gets its refusal instead of a
    viewer), read in one statement, their use noted in one more: for callers that answer many
    requests at once (the auctions' bid batches). A token's use is noted at most once every
    `USE_NOTED_EVERY`: a crowd's bids need not rewrite their tokens' rows in every batch."""
    now = utcnow()
    wanted = {digest(t): t for t in tokens if t}
    holders = {h.digest: h for h in TokenRepository(session).holders(sorted(wanted))}
    found: dict[str, Viewer | NotAuthenticated] = {}
    used = []
    for hashed, token in wanted.items():
        holder = holders.get(hashed)
        if holder is None or not _is_live(holder.revoked_at, holder.expires_at, now):
            found[token] = _expired()
        elif holder.user_id is None or not holder.is_active:
            found[token] = _disabled()
        else:
            if holder.last_used_at is None or now - holder.last_used_at >= USE_NOTED_EVERY:
                used.append(holder.token_id)
            found[token] = Viewer(
                user_id=holder.user_id,
                role=holder.role,
                organization_id=holder.organization_id,
                city_scope=tuple(holder.city_scope),
                session_id=holder.token_id if holder.kind == TokenKind.session else None,
            )
    TokenRepository(session).note_use(used, now)
    return found


def _is_live(revoked_at: datetime | None, expires_at: datetime | None, now: datetime) -> bool:
    return revoked_at is None and (expires_at is None or expires_at > now)


def _expired() -> NotAuthenticated:
    return NotAuthenticated("登录已失效,请重新登录", message_en="Invalid or expired token")


def _disabled() -> NotAuthenticated:
    return NotAuthenticated("账号不可用", message_en="Account disabled")


class AuthService:
    """Logins and tokens, for one viewer."""

    def __init__(self, session: Session, viewer: Viewer) -> None:
        self.session = session
        self.viewer = viewer
        self.users = UserRepository(session)
        self.tokens = TokenRepository(session)

    def login(
        self,
        username: str,
        password: str,
        *,
        client: str,
        session_days: int,
        throttle: LoginThrottle,
        clock: Callable[[], float] = time.monotonic,
    ) -> IssuedToken:
        """Checks a password and opens a login session; the same error for any bad credential.
        `client` is the address the attempt comes from (see `auth.throttle`)."""
        username = username.strip()
        _refuse_if_throttled(throttle, client, username, clock())
        user = self.users.by_username_folded(username)
        if user is None or not user.password_hash.startswith("$argon2"):
            # Spend the time a real check costs, so timing does not reveal who exists.
            burn_verification(password)
            user = None
        if user is None or not password_matches(user.password_hash, password):
            throttle.record_failure(client, username, clock())
            raise NotAuthenticated("用户名或密码错误", message_en="Wrong username or password")
        throttle.record_success(client, username)
        if not user.is_active:
            raise NotAuthenticated("账号已停用,请联系管理员", message_en="Account disabled")
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        now = utcnow()
        self.tokens.purge_expired_sessions(user.id, now)
        return self._issue(user, TokenKind.session, "login", now + timedelta(days=session_days))

    def logout(self, token: str | None) -> None:
        """Ends the login session the token belongs to; API tokens are left alone."""
        if not token:
            return
        record = self.tokens.by_digest(digest(token))
        if record is not None and record.kind == TokenKind.session and record.revoked_at is None:
            record.revoked_at = utcnow()
            self.session.flush()

    def current_user(self) -> User:
        """The viewer's own user record."""
        user = self.users.get(self.viewer.user_id) if self.viewer.user_id is not None else None
        if user is None:
            raise NotAuthenticated("请先登录", message_en="Login required")
        return user

    def create_api_token(self, name: str, *, expires_in_days: int | None = None) -> IssuedToken:
        """Creates an API token for the viewer themself."""
        return self.issue_api_token(self.current_user(), name, expires_in_days=expires_in_days)

    def api_token_for(
        self, username: str, name: str, *, expires_in_days: int | None = None
    ) -> IssuedToken:
        """Creates an API token for the named user (admins; the CLI acts as one)."""
        user = self.users.by_username(username)
        if user is None:
            raise NotFound(f"用户“{username}”不存在", message_en=f"no user {username!r}")
        return self.issue_api_token(user, name, expires_in_days=expires_in_days)

    def issue_api_token(
        self, user: User, name: str, *, expires_in_days: int | None = None
    ) -> IssuedToken:
        """Creates a named API token for a user; admins may create one for anybody. It expires
        after `expires_in_days`, by default the api_token_days setting
        (FACTORLINK_API_TOKEN_DAYS, 90 days)."""
        if self.viewer.user_id != user.id and not self.viewer.is_admin:
            raise NotFound("用户不存在", message_en="no such user")
        name = drop_controls(name).strip()  # the CLI passes it as typed
        if not name or len(name) > 100:
            raise InvalidInput(
                "令牌名称应为1至100个字符",
                message_en="token name must be 1 to 100 characters",
                errors=[{"field": "name", "reason": "令牌名称应为1至100个字符"}],
            )
        now = utcnow()
        if self.tokens.active_named(user.id, name, now) is not None:
            raise Conflict(
                f"已有名为“{name}”的有效令牌,请先吊销它",
                message_en=f"an active token named {name!r} exists; revoke it first",
            )
        days = expires_in_days or current_settings().api_token_days
        return self._issue(user, TokenKind.api, name, now + timedelta(days=days))

    def change_password(
        self,
        current: str,
        new: str,
        *,
        client: str,
        throttle: LoginThrottle,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Changes the viewer's own password after checking the current one (a wrong one counts
        as a failed login). Ends every other login session and every API token of the user;
        the session making the change stays open."""
        user = self.current_user()
        _refuse_if_throttled(throttle, client, user.username, clock())
        if not password_matches(user.password_hash, current):
            throttle.record_failure(client, user.username, clock())
            raise InvalidInput(
                "当前密码不正确",
                message_en="The current password is wrong",
                errors=[
                    {
                        "field": "current_password",
                        "reason": "当前密码不正确",
                        "reason_en": "the current password is wrong",
                    }
                ],
            )
        check_policy(new, username=user.username, field="new_password")
        user.password_hash = hash_password(new)
        self.tokens.revoke_all(user.id, utcnow(), keep=self.viewer.session_id)
        self.session.flush()

    def my_tokens(self) -> Sequence[AuthToken]:
        """The viewer's live login sessions and API tokens, newest first."""
        return self.tokens.active_of(self.current_user().id, utcnow())

    def revoke(self, token_id: int) -> None:
        """Revokes one of the viewer's tokens; admins may revoke anyone's."""
        record = self.tokens.get(token_id)
        if record is None or (record.user_id != self.viewer.user_id and not self.viewer.is_admin):
            raise NotFound(f"令牌{token_id}不存在", message_en=f"token {token_id} not found")
        if record.revoked_at is None:
            record.revoked_at = utcnow()
            self.session.flush()

    def _issue(
        self, user: User, kind: TokenKind, name: str, expires_at: datetime | None
    ) -> IssuedToken:
        secret = new_token()
        record = self.tokens.add(
            AuthToken(
                digest=digest(secret),
                user_id=user.id,
                kind=kind,
                name=name,
                expires_at=expires_at,
            )
        )
        return IssuedToken(record, secret, user)


def _refuse_if_throttled(throttle: LoginThrottle, client: str, username: str, now: float) -> None:
    wait = throttle.retry_after(client, username, now)
    if wait is None:
        return
    minutes = max(1, math.ceil(wait.seconds / 60))
    if wait.reason == Reason.attack:
        message = f"该账号近期在多处登录失败,为保护账号,请{wait.seconds}秒后再试"
        message_en = (
            "This account has had many failed logins from several places; to protect it, "
            f"try again in {wait.seconds} s"
        )
    elif wait.reason == Reason.client:
        message = f"您所在的网络登录失败次数过多,请{minutes}分钟后再试"
        message_en = f"Too many failed logins from your address; try again in {minutes} minute(s)"
    else:
        message = f"登录失败次数过多,请{minutes}分钟后再试"
        message_en = f"Too many failed logins; try again in {minutes} minute(s)"
    raise RateLimited(message, message_en=message_en, headers={"Retry-After": str(wait.seconds)})
