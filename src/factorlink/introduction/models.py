"""Introductions (对接): two parties put in touch, followed through to a deal."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, Enum, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factorlink.db.base import Base, IdMixin, TimestampMixin, UTCDateTime, utcnow


class PartyKind(enum.StrEnum):
    """What can stand on either side of an introduction."""

    organization = "organization"
    achievement = "achievement"
    demand = "demand"
    capital = "capital"
    carrier = "carrier"
    expert = "expert"
    lead = "lead"


class IntroductionStatus(enum.StrEnum):
    """The deal pipeline; a member's request (requested) waits for an operator first."""

    requested = "requested"
    proposed = "proposed"
    contacted = "contacted"
    negotiating = "negotiating"
    signed = "signed"
    closed = "closed"


class Introduction(Base, IdMixin, TimestampMixin):
    """Party A (the one being served) introduced to party B, with each step timestamped."""

    __tablename__ = "introductions"

    party_a_kind: Mapped[PartyKind] = mapped_column(
        Enum(PartyKind, native_enum=False, length=20), nullable=False
    )
    party_a_id: Mapped[int] = mapped_column(Integer, nullable=False)
    party_b_kind: Mapped[PartyKind] = mapped_column(
        Enum(PartyKind, native_enum=False, length=20), nullable=False
    )
    party_b_id: Mapped[int] = mapped_column(Integer, nullable=False)
    city: Mapped[str | None] = mapped_column(String(32), index=True)
    counterpart_city: Mapped[str | None] = mapped_column(String(32))
    industry: Mapped[str | None] = mapped_column(String(32), index=True)
    status: Mapped[IntroductionStatus] = mapped_column(
        Enum(IntroductionStatus, native_enum=False, length=20),
        default=IntroductionStatus.proposed,
        nullable=False,
    )
    amount_wan: Mapped[float | None] = mapped_column(Float)
    close_reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The operator who follows it through (负责人).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    negotiating_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    events: Mapped[list[IntroductionEvent]] = relationship(
        back_populates="introduction", order_by="IntroductionEvent.id", cascade="all, delete-orphan"
    )


class IntroductionEvent(Base, IdMixin):
    """One step of an introduction's history: who moved it where, and when."""

    __tablename__ = "introduction_events"

    introduction_id: Mapped[int] = mapped_column(
        ForeignKey("introductions.id", ondelete="CASCADE"), index=True, nullable=False
    )
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)

    introduction: Mapped[Introduction] = relationship(back_populates="events")


class FollowUp(Base, IdMixin):
    """One dated entry of the work log (跟进记录) of a lead or of an introduction: what was done
    or learnt, and optionally the next step and the day it is due."""

    __tablename__ = "follow_ups"

    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="CASCADE"), index=True
    )
    introduction_id: Mapped[int | None] = mapped_column(
        ForeignKey("introductions.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, nullable=False)
    next_step: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(Date)
