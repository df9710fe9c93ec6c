"""User management, for admins: create users, list them, change roles, scopes and status."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from factorlink.auth.models import Role, User
from factorlink.auth.passwords import check_policy, hash_password
from factorlink.auth.repository import TokenRepository, UserRepository
from factorlink.auth.viewer import Viewer
from factorlink.db.base import utcnow
from factorlink.errors import Conflict, FactorLinkError, InvalidInput, NotFound, PermissionDenied
from factorlink.kit.ids import MAX_ID
from factorlink.kit.pagination import PageParams
from factorlink.organization.models import Organization
from factorlink.organization.repository import OrganizationRepository
from factorlink.reference import get_region
from factorlink.validation.parsers import drop_controls

_USERNAME = re.compile(r"^[\w.@-]{3,50}$")

Problem = dict[str, Any]


def _problem(field: str, reason: str, reason_en: str) -> Problem:
    return {"field": field, "reason": reason, "reason_en": reason_en}


class UserService:
    """Users, managed by admins (the CLI acts as one)."""

    def __init__(self, session: Session, viewer: Viewer) -> None:
        if not viewer.is_admin:
            raise PermissionDenied("仅管理员可管理用户", message_en="Admins only")
        self.session = session
        self.viewer = viewer
        self.users = UserRepository(session)

    def search(
        self, params: PageParams, *, role: Role | None = None, q: str | None = None
    ) -> tuple[Sequence[User], int]:
        """One page of users, optionally of one role or matching a text."""
        return self.users.page(self.users.search_statement(role=role, q=q), params)

    def all(self, *, role: Role | None = None) -> Sequence[User]:
        """Every user, optionally of one role, in creation order."""
        return self.users.all(self.users.search_statement(role=role))

    def get(self, user_id: int) -> User:
        """Gets a user, or raises NotFound."""
        user = self.users.get(user_id)
        if user is None:
            raise NotFound(f"用户{user_id}不存在", message_en=f"user {user_id} not found")
        return user

    def organization_names(self, users: Sequence[User]) -> dict[int, str]:
        """Names of the users' organisations, by id."""
        return self.users.organization_names(u.organization_id for u in users)

    def create(
        self,
        *,
        username: str,
        password: str,
        role: Role,
        display_name: str | None = None,
        organization: int | str | None = None,
        city_scope: Sequence[str] = (),
    ) -> User:
        """Creates a user after checking every field; all problems are reported at once."""
        problems: list[Problem] = []
        username = self._check_username(username, problems)
        problems += _password_problems(password, username)
        org = self._organization(organization, problems)
        cities = _city_codes(city_scope, problems)
        _check_role_fit(role, org, cities, problems)
        _raise_if_any(problems)
        user = User(
            username=username,
            display_name=_shown_name(display_name),
            password_hash=hash_password(password),
            role=role,
            organization_id=org.id if org is not None else None,
            city_scope=cities,
        )
        return self.users.add(user)

    def update(self, user_id: int, changes: Mapping[str, Any]) -> User:
        """Changes the given fields of a user; deactivating, or a new password, revokes their
        tokens (login sessions and API tokens alike)."""
        user = self.get(user_id)
        problems: list[Problem] = []
        role = changes.get("role") or user.role
        org_id = user.organization_id
        if "organization" in changes:
            org = self._organization(changes["organization"], problems)
            org_id = org.id if org is not None else None
        cities = list(user.city_scope) if role == Role.operator else []
        if changes.get("city_scope") is not None:
            cities = _city_codes(changes["city_scope"], problems)
        password = changes.get("password")
        if password is not None:
            problems += _password_problems(password, user.username)
        _check_role_fit(role, org_id, cities, problems)
        _raise_if_any(problems)
        active = user.is_active if changes.get("is_active") is None else changes["is_active"]
        self._keep_an_admin(user, role, active)
        self._apply(user, changes, role=role, org_id=org_id, cities=cities, active=active)
        return user

    def _apply(
        self,
        user: User,
        changes: Mapping[str, Any],
        *,
        role: Role,
        org_id: int | None,
        cities: list[str],
        active: bool,
    ) -> None:
        tokens, now = TokenRepository(self.session), utcnow()
        if "display_name" in changes:
            user.display_name = _shown_name(changes["display_name"])
        if changes.get("password") is not None:
            user.password_hash = hash_password(changes["password"])
            # A reset ends every login session and API token of the user; an admin resetting
            # their own password keeps the session doing it.
            keep = self.viewer.session_id if user.id == self.viewer.user_id else None
            tokens.revoke_all(user.id, now, keep=keep)
        if user.is_active and not active:
            tokens.revoke_all(user.id, now)
        user.role, user.organization_id, user.city_scope, user.is_active = (
            role,
            org_id,
            cities,
            active,
        )
        self.session.flush()

    def _keep_an_admin(self, user: User, role: Role, active: bool) -> None:
        was_admin = user.role == Role.admin and user.is_active
        if not was_admin or (role == Role.admin and active):
            return
        if self.users.count_active_admins(excluding=user.id) == 0:
            raise Conflict(
                "不能停用或降级最后一位管理员", message_en="Cannot demote or disable the last admin"
            )

    def _check_username(self, username: str, problems: list[Problem]) -> str:
        username = username.strip()
        if not _USERNAME.match(username):
            problems.append(
                _problem(
                    "username",
                    "用户名应为3至50个字符,只含字母、数字、汉字及 . _ @ -",
                    "username must be 3-50 letters, digits, Chinese characters or . _ @ -",
                )
            )
        elif self.users.by_username_folded(username) is not None:
            raise Conflict(f"用户名“{username}”已被使用", message_en="username already taken")
        return username

    def _organization(self, ref: int | str | None, problems: list[Problem]) -> Organization | None:
        if ref is None or (isinstance(ref, str) and not ref.strip()):
            return None
        orgs = OrganizationRepository(self.session)
        if isinstance(ref, int):
            org = _organization_by_id(orgs, ref)
        else:
            text = ref.strip()
            org = orgs.by_name(text)
            # isdigit alone lets "²" through, which int() refuses.
            if org is None and text.isascii() and text.isdigit():
                org = _organization_by_id(orgs, int(text))
        if org is None:
            problems.append(
                _problem(
                    "organization", f"机构“{ref}”不存在", f"organisation {ref!r} does not exist"
                )
            )
        return org


def _shown_name(text: str | None) -> str | None:
    # The CLI passes names as typed; the API's have been through InputModel already.
    return drop_controls(text or "").strip() or None


def _organization_by_id(orgs: OrganizationRepository, id_: int) -> Organization | None:
    # An id beyond the integer column's range names nothing; PostgreSQL would refuse the query.
    return orgs.get(id_) if 1 <= id_ <= MAX_ID else None


def _city_codes(texts: Sequence[str], problems: list[Problem]) -> list[str]:
    region = get_region()
    codes: dict[str, None] = {}
    for i, text in enumerate(texts):
        match = region.resolve(text)
        if match is None:
            known = "、".join(c.name for c in region.cities)
            problems.append(
                _problem(
                    f"city_scope[{i}]",
                    f"未知城市“{text}”,应为{region.name}的城市:{known}",
                    f"unknown city {text!r}; expected a city of the {region.name_en}",
                )
            )
        else:
            codes.setdefault(match.city.code, None)
    return list(codes)


def _check_role_fit(
    role: Role, org: Organization | int | None, cities: list[str], problems: list[Problem]
) -> None:
    if (
        role == Role.member
        and org is None
        and not any(p["field"] == "organization" for p in problems)
    ):
        problems.append(
            _problem(
                "organization", "成员必须属于一个机构", "a member must belong to an organisation"
            )
        )
    if role != Role.operator and cities:
        problems.append(
            _problem(
                "city_scope",
                "只有运营人员可以设置城市范围",
                "only operators have a city scope",
            )
        )


def _password_problems(password: str, username: str) -> list[Problem]:
    try:
        check_policy(password, username=username)
    except FactorLinkError as exc:
        return list(exc.errors)
    return []


def _raise_if_any(problems: list[Problem]) -> None:
    if not problems:
        return
    fields = "、".join(p["field"] for p in problems)
    raise InvalidInput(
        f"用户信息有误:{fields}",
        message_en="Invalid user: " + "; ".join(p["reason_en"] for p in problems),
        errors=list(problems),
    )
