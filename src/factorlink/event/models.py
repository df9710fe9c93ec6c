"""Factor-linkage events (对接会): their meeting blocks and tables, participants, meeting
requests, the scheduled one-to-one meetings and what each side says came of them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factorlink.db.base import Base, IdMixin, StringList, TimestampMixin, UTCDateTime, utcnow
from factorlink.event.vocab import (
    EventKind,
    ParticipantRole,
    RequestMode,
    RequestStatus,
    ScheduleState,
)

__all__ = [
    "Event",
    "EventBlock",
    "EventKind",
    "EventMeeting",
    "EventOutcome",
    "EventParticipant",
    "EventRequest",
    "EventTable",
    "ParticipantRole",
    "RequestMode",
    "RequestStatus",
    "ScheduleState",
]


def _enum(kind: type[enum.StrEnum], length: int = 20) -> Enum:
    return Enum(kind, native_enum=False, length=length)


class Event(Base, IdMixin, TimestampMixin):
    """An event with its registration window, request mode and meeting cap."""

    __tablename__ = "events"

    title: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    # The city (code) it is run in: operators of other cities may not run it; None: the region.
    city: Mapped[str | None] = mapped_column(String(32), index=True)
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organiser_name: Mapped[str | None] = mapped_column(String(200))
    venue: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    slot_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    registration_opens_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    registration_closes_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    request_mode: Mapped[RequestMode] = mapped_column(
        _enum(RequestMode), default=RequestMode.opt_in, nullable=False
    )
    max_meetings: Mapped[int | None] = mapped_column(Integer)
    published: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    schedule_state: Mapped[ScheduleState] = mapped_column(
        _enum(ScheduleState), default=ScheduleState.idle, nullable=False
    )
    # What the last run said: stage, meetings, bound, seconds, method, error.
    schedule_progress: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    schedule_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    schedule_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    blocks: Mapped[list[EventBlock]] = relationship(
        order_by="EventBlock.starts_at", cascade="all, delete-orphan", back_populates="event"
    )
    tables: Mapped[list[EventTable]] = relationship(
        order_by="EventTable.number", cascade="all, delete-orphan", back_populates="event"
    )


class EventBlock(Base, IdMixin):
    """A stretch of meetings (e.g. 9:00–11:00 on the first day), cut into slots."""

    __tablename__ = "event_blocks"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True, nullable=False
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    label: Mapped[str | None] = mapped_column(String(100))

    event: Mapped[Event] = relationship(back_populates="blocks")


class EventTable(Base, IdMixin):
    """A numbered meeting table; one fixed to a participant (a booth) hosts their meetings."""

    __tablename__ = "event_tables"
    __table_args__ = (UniqueConstraint("event_id", "number"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True, nullable=False
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    label: Mapped[str | None] = mapped_column(String(100))
    fixed_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_participants.id", ondelete="SET NULL")
    )

    event: Mapped[Event] = relationship(back_populates="tables")


class EventParticipant(Base, IdMixin, TimestampMixin):
    """A person at an event: a member (a user of an organisation) or a guest who consented."""

    __tablename__ = "event_participants"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        UniqueConstraint("guest_key_hash"),
    )

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True, nullable=False
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )
    organization_name: Mapped[str] = mapped_column(String(200), nullable=False)
    contact_name: Mapped[str] = mapped_column(String(100), nullable=False)
    contact_mobile: Mapped[str | None] = mapped_column(String(32))
    position: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[ParticipantRole] = mapped_column(_enum(ParticipantRole), nullable=False)
    offers: Mapped[str | None] = mapped_column(Text)
    seeks: Mapped[str | None] = mapped_column(Text)
    # Their listings, "kind:id" (achievement:12): what the matcher suggests meetings from.
    listings: Mapped[list[str]] = mapped_column(StringList, default=list, nullable=False)
    # The ids of the event's blocks they cannot make.
    unavailable_blocks: Mapped[list[int]] = mapped_column(JSON, default=list, nullable=False)
    guest: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A guest's private link: only the SHA-256 of its secret is kept.
    guest_key_hash: Mapped[str | None] = mapped_column(String(64))
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(200), default="api", nullable=False)


class EventRequest(Base, IdMixin, TimestampMixin):
    """A request from one participant to meet another, and where it stands."""

    __tablename__ = "event_requests"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True, nullable=False
    )
    sender_id: Mapped[int] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE"), index=True, nullable=False
    )
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE"), index=True, nullable=False
    )
    message: Mapped[str | None] = mapped_column(Text)
    reply: Mapped[str | None] = mapped_column(Text)
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus), nullable=False)
    # The listings the meeting is about ("kind:id"), where the suggestion named them.
    sender_listing: Mapped[str | None] = mapped_column(String(40))
    recipient_listing: Mapped[str | None] = mapped_column(String(40))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EventMeeting(Base, IdMixin):
    """An accepted request given a slot and a table; a locked one stays where it is."""

    __tablename__ = "event_meetings"
    __table_args__ = (UniqueConstraint("table_id", "slot"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True, nullable=False
    )
    request_id: Mapped[int] = mapped_column(
        ForeignKey("event_requests.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    slot: Mapped[int] = mapped_column(Integer, nullable=False)
    table_id: Mapped[int] = mapped_column(
        ForeignKey("event_tables.id", ondelete="CASCADE"), nullable=False
    )
    locked: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # The introduction both sides' interest led to: the event's share of the pipeline.
    introduction_id: Mapped[int | None] = mapped_column(
        ForeignKey("introductions.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class EventOutcome(Base, IdMixin):
    """What one side says of a meeting: held or not, interest, the next step."""

    __tablename__ = "event_outcomes"
    __table_args__ = (UniqueConstraint("meeting_id", "participant_id"),)

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("event_meetings.id", ondelete="CASCADE"), index=True, nullable=False
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE"), nullable=False
    )
    held: Mapped[bool] = mapped_column(Boolean, nullable=False)
    interested: Mapped[bool] = mapped_column(Boolean, nullable=False)
    next_step: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
