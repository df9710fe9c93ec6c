"""Who is looking: the identity every permission and masking decision is made for."""

from __future__ import annotations

from dataclasses import dataclass, field

from factorlink.auth.models import Role


@dataclass(frozen=True)
class Viewer:
    """The current user as the rules see it; `user_id` None means an anonymous visitor."""

    user_id: int | None = None
    role: Role | None = None
    organization_id: int | None = None
    city_scope: tuple[str, ...] = field(default_factory=tuple)
    # The login session the request came with (None for an API token, the CLI, anonymous):
    # a password changed by its own user keeps this one session and ends every other.
    session_id: int | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin

    @property
    def is_operator(self) -> bool:
        return self.role == Role.operator

    @property
    def is_staff(self) -> bool:
        """Admins and operators: the people who run the platform."""
        return self.role in (Role.admin, Role.operator)

    def operates_in(self, city: str | None) -> bool:
        """Tells whether this viewer is an admin, or an operator whose scope covers the city."""
        if self.is_admin:
            return True
        if not self.is_operator:
            return False
        return not self.city_scope or (city is not None and city in self.city_scope)


ANONYMOUS = Viewer()
# Who the command line and other one-shot jobs act as: an administrator of the database they
# are pointed at.
SYSTEM = Viewer(user_id=0, role=Role.admin)
