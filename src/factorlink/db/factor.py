"""Columns every factor listing shares: a code, a place, an industry, an owner and a contact."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

if TYPE_CHECKING:
    from factorlink.organization.models import Organization

from factorlink.db.base import IdMixin, SourceMixin, TimestampMixin


class ContactMixin:
    """A contact person and mobile number: personal data, masked for most viewers."""

    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_mobile: Mapped[str | None] = mapped_column(String(20))


class ListingState(enum.StrEnum):
    """Where a listing stands: shown (active), withdrawn by its owner (hidden from the public,
    kept) or closed as done (已解决/已成交: shown, but no longer searched or matched)."""

    active = "active"
    withdrawn = "withdrawn"
    closed = "closed"


class FactorMixin(IdMixin, TimestampMixin, SourceMixin, ContactMixin):
    """A listing of one factor kind, identified by its code (编号)."""

    code: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    state: Mapped[str] = mapped_column(
        String(20), default=ListingState.active.value, server_default="active", nullable=False
    )
    city: Mapped[str | None] = mapped_column(String(32), index=True)
    district: Mapped[str | None] = mapped_column(String(50))

    @declared_attr
    def organization_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"), index=True)

    @declared_attr
    def organization(cls) -> Mapped[Organization | None]:
        return relationship("Organization", lazy="joined")
