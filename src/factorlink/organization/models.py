"""Organisations: enterprises, universities, institutes, investors, parks and service bodies."""

from __future__ import annotations

import enum

from sqlalchemy import Enum, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from factorlink.db.base import Base, IdMixin, SourceMixin, TimestampMixin
from factorlink.db.factor import ContactMixin


class OrganizationKind(enum.StrEnum):
    """What kind of body an organisation is."""

    enterprise = "enterprise"
    university = "university"
    institute = "institute"
    investor = "investor"
    park = "park"
    service = "service"


class Organization(Base, IdMixin, TimestampMixin, SourceMixin, ContactMixin):
    """An organisation that owns listings and whose members act for it."""

    __tablename__ = "organizations"

    code: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    kind: Mapped[OrganizationKind] = mapped_column(
        Enum(OrganizationKind, native_enum=False, length=20), nullable=False
    )
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    city: Mapped[str] = mapped_column(String(32), index=True, nullable=False)
    district: Mapped[str | None] = mapped_column(String(50))
    industry: Mapped[str | None] = mapped_column(String(32), index=True)
    subfield: Mapped[str | None] = mapped_column(String(50))
    # The industry as its author typed it ("汽车零部件"), where the catalogue names it otherwise.
    industry_text: Mapped[str | None] = mapped_column(String(100))
    annual_tax_wan: Mapped[float | None] = mapped_column(Float)
