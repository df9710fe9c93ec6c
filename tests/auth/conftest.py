"""Users with real Argon2 password hashes, for the login and user-management tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from factorlink.auth.models import Role, User
from factorlink.auth.passwords import hash_password
from factorlink.db.session import Database

PASSWORD = "松江-G60-correct-horse"

MakeUser = Callable[..., User]


@pytest.fixture
def make_user(database: Database) -> MakeUser:
    """Creates and commits a user who logs in with PASSWORD (or the one given)."""

    def make(
        username: str,
        *,
        role: Role | str = Role.operator,
        password: str = PASSWORD,
        password_hash: str | None = None,
        organization_id: int | None = None,
        city_scope: list[str] | None = None,
        is_active: bool = True,
    ) -> User:
        user = User(
            username=username,
            password_hash=password_hash or hash_password(password),
            role=Role(role),
            organization_id=organization_id,
            city_scope=city_scope or [],
            is_active=is_active,
        )
        with database.unit_of_work() as s:
            s.add(user)
        return user

    return make
