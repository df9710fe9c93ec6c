"""Builders of realistic objects for tests: users with tokens, organisations, listings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from factorlink.auth.models import AuthToken, Role, TokenKind, User
from factorlink.auth.tokens import digest, new_token
from factorlink.db.session import Database
from factorlink.organization.models import Organization, OrganizationKind


@dataclass(frozen=True)
class Actor:
    """A user and the Authorization header that authenticates them."""

    user_id: int
    role: Role
    organization_id: int | None
    headers: dict[str, str]


MakeActor = Callable[..., Actor]
MakeOrganization = Callable[..., Organization]


@pytest.fixture
def make_org(database: Database) -> MakeOrganization:
    """Creates and commits an organisation."""
    counter = iter(range(1, 10_000))

    def make(
        name: str | None = None,
        *,
        city: str = "songjiang",
        kind: OrganizationKind = OrganizationKind.enterprise,
        industry: str | None = "materials",
    ) -> Organization:
        n = next(counter)
        org = Organization(
            code=f"ORG-T{n:04d}",
            name=name or f"测试机构{n}有限公司",
            kind=kind,
            city=city,
            industry=industry,
            contact_name="王建国",
            contact_mobile="13900001111",
        )
        with database.unit_of_work() as s:
            s.add(org)
        return org

    return make


@pytest.fixture
def make_actor(database: Database) -> MakeActor:
    """Creates a user of a role with an API token; password hashing is not needed here."""
    counter = iter(range(1, 10_000))

    def make(
        role: Role | str,
        *,
        organization_id: int | None = None,
        city_scope: list[str] | None = None,
    ) -> Actor:
        role = Role(role)
        token = new_token()
        with database.unit_of_work() as s:
            user = _user(s, f"{role.value}{next(counter)}", role, organization_id, city_scope or [])
            s.add(AuthToken(digest=digest(token), user_id=user.id, kind=TokenKind.api, name="test"))
        return Actor(user.id, role, organization_id, {"Authorization": f"Bearer {token}"})

    return make


def _user(
    s: Session, username: str, role: Role, organization_id: int | None, city_scope: list[str]
) -> User:
    user = User(
        username=username,
        password_hash="!unusable",
        role=role,
        organization_id=organization_id,
        city_scope=city_scope,
    )
    s.add(user)
    s.flush()
    return user
