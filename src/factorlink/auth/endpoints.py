"""HTTP endpoints: login and logout, the current user, API tokens, and user management."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from factorlink.api.cookies import delete_cookie, set_cookie
from factorlink.api.deps import (
    SESSION_COOKIE,
    AdminViewer,
    AppSettings,
    DbSession,
    Paging,
    Throttle,
    UserViewer,
    header_token,
)
from factorlink.auth.models import Role, User
from factorlink.auth.repository import UserRepository
from factorlink.auth.schemas import (
    LoginIn,
    PasswordChangeIn,
    SessionOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    UserIn,
    UserOut,
    UserPatch,
)
from factorlink.auth.service import AuthService
from factorlink.auth.user_service import UserService
from factorlink.auth.viewer import ANONYMOUS
from factorlink.kit.ids import IdPath
from factorlink.kit.pagination import Page
from factorlink.lead.ratelimit import client_address
from factorlink.reference import city_name

router = APIRouter()
auth = APIRouter(prefix="/auth", tags=["auth"])
users = APIRouter(prefix="/users", tags=["users"])


def present_users(users_: Sequence[User], org_names: dict[int, str]) -> list[UserOut]:
    """Builds the API shape of users, with organisation and city names."""
    return [
        UserOut(
            id=u.id,
            username=u.username,
            display_name=u.display_name,
            role=u.role,
            organization_id=u.organization_id,
            organization_name=org_names.get(u.organization_id) if u.organization_id else None,
            city_scope=list(u.city_scope),
            city_scope_names=[n for c in u.city_scope if (n := city_name(c))],
            is_active=u.is_active,
            created_at=u.created_at,
        )
        for u in users_
    ]


def present_user(session: Session, user: User) -> UserOut:
    """Builds the API shape of one user."""
    names = UserRepository(session).organization_names([user.organization_id])
    return present_users([user], names)[0]


@auth.post("/login", response_model=SessionOut, summary="登录")
def login(
    body: LoginIn,
    request: Request,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    throttle: Throttle,
) -> Any:
    """Opens a login session: the token is returned and set as an HttpOnly cookie."""
    issued = AuthService(session, ANONYMOUS).login(
        body.username,
        body.password.get_secret_value(),
        client=client_address(request, settings),
        session_days=settings.session_days,
        throttle=throttle,
    )
    set_cookie(response, SESSION_COOKIE, issued.secret, max_age=settings.session_days * 86_400)
    return SessionOut(
        token=issued.secret,
        expires_at=issued.record.expires_at,
        user=present_user(session, issued.user),
    )


@auth.post("/logout", status_code=204, summary="退出登录")
def logout(request: Request, session: DbSession) -> Response:
    """Revokes the login session (header or cookie) and clears the cookie; always succeeds."""
    service = AuthService(session, ANONYMOUS)
    # Ending a session needs no CSRF token: the worst a foreign page can do is log one out.
    for token in {header_token(request), request.cookies.get(SESSION_COOKIE)}:
        service.logout(token)
    response = Response(status_code=204)
    delete_cookie(response, SESSION_COOKIE)
    return response


@auth.get("/me", response_model=UserOut, summary="当前用户")
def me(session: DbSession, viewer: UserViewer) -> Any:
    """The logged-in user: role, organisation and city scope."""
    return present_user(session, AuthService(session, viewer).current_user())


@auth.post("/password", status_code=204, summary="修改密码")
def change_password(
    body: PasswordChangeIn,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    viewer: UserViewer,
    throttle: Throttle,
) -> Response:
    """Changes one's own password. Every other login session and every API token of the user
    is revoked; the session making the change stays logged in."""
    AuthService(session, viewer).change_password(
        body.current_password.get_secret_value(),
        body.new_password.get_secret_value(),
        client=client_address(request, settings),
        throttle=throttle,
    )
    return Response(status_code=204)


@auth.post("/tokens", response_model=TokenCreatedOut, status_code=201, summary="创建API令牌")
def create_token(body: TokenIn, session: DbSession, viewer: UserViewer) -> Any:
    """Creates an API token for oneself; the secret is in this answer only. It expires after
    `expires_in_days`, by default FACTORLINK_API_TOKEN_DAYS (90)."""
    issued = AuthService(session, viewer).create_api_token(
        body.name, expires_in_days=body.expires_in_days
    )
    return TokenCreatedOut(
        **TokenOut.model_validate(issued.record).model_dump(), token=issued.secret
    )


@auth.get("/tokens", response_model=list[TokenOut], summary="我的令牌")
def list_tokens(session: DbSession, viewer: UserViewer) -> Any:
    """One's live login sessions and API tokens, without their secrets."""
    return AuthService(session, viewer).my_tokens()


@auth.delete("/tokens/{id}", status_code=204, summary="吊销令牌")
def revoke_token(id: IdPath, session: DbSession, viewer: UserViewer) -> Response:
    """Revokes one of one's tokens (admins: anyone's)."""
    AuthService(session, viewer).revoke(id)
    return Response(status_code=204)


@users.post("", response_model=UserOut, status_code=201, summary="创建用户")
def create_user(body: UserIn, session: DbSession, viewer: AdminViewer) -> Any:
    """Creates a user (admins only)."""
    user = UserService(session, viewer).create(
        username=body.username,
        password=body.password.get_secret_value(),
        role=body.role,
        display_name=body.display_name,
        organization=body.organization,
        city_scope=body.city_scope,
    )
    return present_user(session, user)


@users.get("", response_model=Page[UserOut], summary="用户列表")
def list_users(
    session: DbSession,
    viewer: AdminViewer,
    paging: Paging,
    role: Role | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of a name")] = None,
) -> Any:
    """Lists users (admins only)."""
    service = UserService(session, viewer)
    rows, total = service.search(paging, role=role, q=q)
    items = present_users(rows, service.organization_names(rows))
    return {"items": items, "total": total, "page": paging.page, "page_size": paging.page_size}


@users.get("/{id}", response_model=UserOut, summary="用户详情")
def get_user(id: IdPath, session: DbSession, viewer: AdminViewer) -> Any:
    """One user (admins only)."""
    return present_user(session, UserService(session, viewer).get(id))


@users.patch("/{id}", response_model=UserOut, summary="修改用户")
def update_user(id: IdPath, body: UserPatch, session: DbSession, viewer: AdminViewer) -> Any:
    """Changes a user's role, organisation, city scope, name, password or status (admins only)."""
    changes = body.model_dump(exclude_unset=True)
    if body.password is not None:
        changes["password"] = body.password.get_secret_value()
    user = UserService(session, viewer).update(id, changes)
    return present_user(session, user)


router.include_router(auth)
router.include_router(users)
