"""Shapes of the events API; times in UTC (the pages show them in Beijing time)."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, Field

from factorlink.event.rules import Action
from factorlink.event.vocab import (
    EventKind,
    ParticipantRole,
    RequestMode,
    RequestStatus,
    ScheduleState,
)
from factorlink.kit.ids import IdField
from factorlink.kit.schemas import InputModel

MAX_BLOCKS = 40
MAX_TABLES = 500
LISTING_REF = r"^(achievement|demand|capital|carrier|expert):[1-9][0-9]{0,9}$"


class BlockIn(InputModel):
    """A stretch of meetings, cut into slots of the event's length."""

    starts_at: AwareDatetime
    ends_at: AwareDatetime
    label: str | None = Field(default=None, max_length=100)


class EventIn(InputModel):
    """A new event (对接会)."""

    title: str = Field(min_length=1, max_length=200)
    kind: EventKind = EventKind.matchmaking
    description: str | None = Field(default=None, max_length=5000)
    city: str | None = Field(
        default=None,
        max_length=32,
        description="The city it is run in (code or name, e.g. 松江); an operator of one city "
        "gets it by default and may run events of their own cities only.",
    )
    organiser_name: str | None = Field(default=None, max_length=200)
    venue: str | None = Field(default=None, max_length=300)
    online_url: str | None = Field(default=None, max_length=500, pattern=r"^https?://\S+$")
    slot_minutes: int = Field(default=20, ge=5, le=240)
    registration_opens_at: AwareDatetime
    registration_closes_at: AwareDatetime
    request_mode: RequestMode = RequestMode.opt_in
    max_meetings: int | None = Field(default=None, ge=1, le=100)
    tables: int = Field(default=10, ge=1, le=MAX_TABLES, description="Tables numbered 1…N.")
    blocks: list[BlockIn] = Field(min_length=1, max_length=MAX_BLOCKS)
    published: bool = True


class TableFixIn(InputModel):
    """A table fixed to a participant (a booth), or freed (null)."""

    participant_id: IdField | None = None


class RegistrationIn(InputModel):
    """A registration: a member (logged in) for their organisation, or a guest with consent."""

    role: ParticipantRole
    contact_name: str | None = Field(default=None, max_length=100)
    contact_mobile: str | None = Field(default=None, max_length=32)
    organization_name: str | None = Field(default=None, max_length=200)
    position: str | None = Field(default=None, max_length=100)
    offers: str | None = Field(default=None, max_length=2000)
    seeks: str | None = Field(default=None, max_length=2000)
    listings: list[str] = Field(default_factory=list, max_length=20)
    unavailable_blocks: list[IdField] = Field(default_factory=list, max_length=MAX_BLOCKS)
    consent: bool = Field(
        default=False,
        description="A guest agrees that the organiser and the people they meet see their "
        "name, organisation and mobile for this event.",
    )
    guest: bool = Field(default=False, description="Register as a guest (no account needed).")


class ProfileIn(InputModel):
    """A participant's profile and availability (fields left out stay as they are)."""

    position: str | None = Field(default=None, max_length=100)
    offers: str | None = Field(default=None, max_length=2000)
    seeks: str | None = Field(default=None, max_length=2000)
    listings: list[str] | None = Field(default=None, max_length=20)
    unavailable_blocks: list[IdField] | None = Field(default=None, max_length=MAX_BLOCKS)


class RequestIn(InputModel):
    """A request to meet another participant."""

    recipient_id: IdField
    message: str | None = Field(default=None, max_length=1000)
    sender_listing: str | None = Field(default=None, pattern=LISTING_REF)
    recipient_listing: str | None = Field(default=None, pattern=LISTING_REF)


class ActionIn(InputModel):
    """An answer to a request: accept, decline or cancel, with an optional message."""

    action: Action
    message: str | None = Field(default=None, max_length=1000)


class OutcomeIn(InputModel):
    """One side's word on a meeting."""

    held: bool
    interested: bool = False
    next_step: str | None = Field(default=None, max_length=1000)


class BlockOut(BaseModel):
    id: int
    starts_at: datetime
    ends_at: datetime
    label: str | None
    slots: list[int]


class TableOut(BaseModel):
    id: int
    number: int
    label: str | None
    fixed_participant_id: int | None


class EventSummaryOut(BaseModel):
    id: int
    title: str
    kind: EventKind
    kind_label: str
    description: str | None
    city: str | None
    city_name: str | None
    organiser_name: str | None
    venue: str | None
    online_url: str | None
    slot_minutes: int
    registration_opens_at: datetime
    registration_closes_at: datetime
    registration_open: bool
    request_mode: RequestMode
    request_mode_label: str
    max_meetings: int | None
    published: bool
    starts_at: datetime | None
    ends_at: datetime | None
    participants: int


class EventDetailOut(EventSummaryOut):
    blocks: list[BlockOut]
    tables: list[TableOut]
    schedule_state: ScheduleState


class ContactOut(BaseModel):
    name: str | None
    mobile: str | None
    masked: bool


class ParticipantOut(BaseModel):
    id: int
    event_id: int
    organization_id: int | None
    organization_name: str
    contact: ContactOut
    position: str | None
    role: ParticipantRole
    role_label: str
    offers: str | None
    seeks: str | None
    listings: list[str]
    unavailable_blocks: list[int]
    guest: bool
    checked_in_at: datetime | None
    table_number: int | None


class RegisteredOut(ParticipantOut):
    guest_link: str | None = Field(
        default=None,
        description="A guest's private link to their requests and agenda; shown once.",
    )


class ReasonOut(BaseModel):
    mine: str
    theirs: str
    score: float
    terms: list[str]
    criteria: list[str]


class SuggestionOut(BaseModel):
    participant: ParticipantOut
    score: float
    reasons: list[ReasonOut]
    sender_listing: str | None
    recipient_listing: str | None
    requested: bool


class RequestOut(BaseModel):
    id: int
    event_id: int
    sender: ParticipantOut
    recipient: ParticipantOut
    message: str | None
    reply: str | None
    status: RequestStatus
    status_label: str
    sender_listing: str | None
    recipient_listing: str | None
    created_at: datetime
    decided_at: datetime | None
    allowed: list[Action]


class OutcomeOut(BaseModel):
    participant_id: int
    held: bool
    interested: bool
    next_step: str | None
    at: datetime


class MeetingOut(BaseModel):
    id: int
    request_id: int
    slot: int
    starts_at: datetime
    ends_at: datetime
    table_id: int
    table_number: int
    locked: bool
    status: RequestStatus
    status_label: str
    a: ParticipantOut
    b: ParticipantOut
    outcomes: list[OutcomeOut]
    introduction_id: int | None


class ScheduleOut(BaseModel):
    state: ScheduleState
    state_label: str
    progress: dict[str, object] | None
    started_at: datetime | None
    finished_at: datetime | None
    meetings: int


class EventStatsOut(BaseModel):
    participants: int
    checked_in: int
    requests: int
    accepted: int
    meetings: int
    held: int
    no_show: int
    introductions: int
    signed: int
    signed_amount_wan: float
