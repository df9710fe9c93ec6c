"""Leads: the messages operators receive (需求, 用途, 税收, 公司, 联系人, 手机号)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from factorlink.db.base import (
    Base,
    IdMixin,
    StringList,
    TimestampMixin,
    UTCDateTime,
    utcnow,
)
from factorlink.db.factor import ContactMixin


class LeadType(enum.StrEnum):
    """What a lead is looking for."""

    technology = "technology"
    space = "space"
    capital = "capital"


class LeadStatus(enum.StrEnum):
    """Where a lead stands in the operators' inbox."""

    new = "new"
    reviewing = "reviewing"
    introduced = "introduced"
    closed = "closed"


class Lead(Base, IdMixin, TimestampMixin, ContactMixin):
    """An inbound lead, stored with the time its sender consented to be contacted."""

    __tablename__ = "leads"

    lead_type: Mapped[LeadType] = mapped_column(
        Enum(LeadType, native_enum=False, length=20), nullable=False
    )
    need: Mapped[str] = mapped_column(Text, nullable=False)
    purpose: Mapped[str | None] = mapped_column(Text)
    annual_tax_wan: Mapped[float | None] = mapped_column(Float)
    # 税收 as the sender wrote it ("年纳税约500万"); annual_tax_wan is the figure read from it.
    annual_tax_text: Mapped[str | None] = mapped_column(String(100))
    company: Mapped[str | None] = mapped_column(String(200))
    preferred_cities: Mapped[list[str]] = mapped_column(StringList, default=list, nullable=False)
    industry: Mapped[str | None] = mapped_column(String(32), index=True)
    # The industry as the sender typed it ("汽车零部件"), where the catalogue names it otherwise.
    industry_text: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(32), index=True)
    # The canonical district of the city cell ("湖州市长兴县" → 长兴县), None for a city alone.
    district: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[LeadStatus] = mapped_column(
        Enum(LeadStatus, native_enum=False, length=20), default=LeadStatus.new, nullable=False
    )
    # When the lead entered its status (None: since it was received); its days in stage.
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The operator who follows it (负责人).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    consent: Mapped[bool] = mapped_column(Boolean, nullable=False)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(200), default="api", nullable=False)
    # 受理编号: what the sender quotes on the phone ("G60-20261205-7K3Q"); random, not the id.
    reference: Mapped[str | None] = mapped_column(String(32), unique=True)
    # The digest of mobile and need (lead.service.duplicate_key) while copies merge into this
    # lead: unique, so two copies sent at once cannot both be stored; None once it is erased or
    # a later copy, past the merge window, holds it.
    duplicate_key: Mapped[str | None] = mapped_column(String(64), unique=True)


class LeadLink(Base, IdMixin):
    """A private link to a lead (its status page, withdrawal and erasure), handed to whoever
    sent it; only the SHA-256 digest of the link's random secret is stored."""

    __tablename__ = "lead_links"

    lead_id: Mapped[int] = mapped_column(
        ForeignKey("leads.id", ondelete="CASCADE"), index=True, nullable=False
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
