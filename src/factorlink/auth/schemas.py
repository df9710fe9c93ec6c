"""API shapes of logins, users and tokens. Secrets come in as SecretStr and go out once."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, SecretStr, Tag

from factorlink.auth.models import Role, TokenKind
from factorlink.kit.ids import IdField
from factorlink.kit.schemas import InputModel


def _ref_kind(value: object) -> str:
    return "name" if isinstance(value, str) else "id"


# An organisation by id or by exact name; a bad id is one error, at "organization.id".
OrganizationRef = Annotated[
    Annotated[IdField, Tag("id")] | Annotated[str, Tag("name")], Discriminator(_ref_kind)
]


class PasswordChangeIn(InputModel):
    """One's own new password, with the current one as proof."""

    model_config = ConfigDict(extra="forbid")

    current_password: SecretStr = Field(min_length=1, max_length=1024)
    new_password: SecretStr = Field(
        min_length=1,
        max_length=1024,
        description="At least 10 visible characters; not repeated, a sequence, the username "
        "or a common password.",
    )


class LoginIn(InputModel):
    """A username and password, in the request body (never in the URL)."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=100)
    password: SecretStr = Field(min_length=1, max_length=1024)


class UserOut(BaseModel):
    """A user as the API shows it; never the password hash."""

    id: int
    username: str
    display_name: str | None
    role: Role
    organization_id: int | None
    organization_name: str | None = None
    city_scope: list[str] = Field(description="City codes an operator works in; empty = all.")
    city_scope_names: list[str] = []
    is_active: bool
    created_at: datetime


class SessionOut(BaseModel):
    """A new login session: the token (also set as the factorlink_session cookie) and the user."""

    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime | None
    user: UserOut


class TokenIn(InputModel):
    """An API token to create for oneself."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, description="What the token is for.")
    expires_in_days: int | None = Field(
        default=None,
        ge=1,
        le=3650,
        description="Lifetime in days; by default FACTORLINK_API_TOKEN_DAYS (90). A new "
        "password for the user revokes the token earlier.",
    )


class TokenOut(BaseModel):
    """A login session or API token, without its secret."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: TokenKind
    name: str | None
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class TokenCreatedOut(TokenOut):
    """A new API token; `token` is shown this once and cannot be retrieved again."""

    token: str


class UserIn(InputModel):
    """A user to create."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=100)
    password: SecretStr = Field(
        description="At least 10 visible characters; not repeated, a sequence, the username "
        "or a common password."
    )
    role: Role
    display_name: str | None = Field(default=None, max_length=100)
    organization: OrganizationRef | None = Field(
        default=None, description="Organisation id or exact name; required for members."
    )
    city_scope: list[str] = Field(
        default_factory=list, description="Operators only: cities such as 松江 or hangzhou."
    )


class UserPatch(InputModel):
    """Changes to a user; fields left out stay as they are (null clears organisation)."""

    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    display_name: str | None = Field(default=None, max_length=100)
    organization: OrganizationRef | None = None
    city_scope: list[str] | None = None
    is_active: bool | None = None
    password: SecretStr | None = Field(default=None, description="A new password.")
