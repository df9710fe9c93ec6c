"""Events, participants, requests and meetings as the API shows them, contacts as the viewer
may see them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from factorlink.event.models import (
    Event,
    EventMeeting,
    EventOutcome,
    EventParticipant,
    EventRequest,
)
from factorlink.event.rules import Slot, effective_status
from factorlink.event.schemas import (
    BlockOut,
    ContactOut,
    EventDetailOut,
    EventStatsOut,
    EventSummaryOut,
    MeetingOut,
    OutcomeOut,
    ParticipantOut,
    ReasonOut,
    RequestOut,
    ScheduleOut,
    SuggestionOut,
)
from factorlink.event.service import AgendaItem, EventService, Stats, Suggestion
from factorlink.event.vocab import (
    KIND_LABELS,
    MODE_LABELS,
    ROLE_LABELS,
    SCHEDULE_LABELS,
    STATUS_LABELS,
    label,
)
from factorlink.reference import city_name


def _city_name(code: str | None) -> str | None:
    return city_name(code) if code else None


def present_event(event: Event, service: EventService, participants: int) -> dict[str, Any]:
    """An event's summary."""
    blocks = sorted(event.blocks, key=lambda b: b.starts_at)
    return EventSummaryOut(
        id=event.id,
        title=event.title,
        kind=event.kind,
        kind_label=label(KIND_LABELS, event.kind.value),
        description=event.description,
        city=event.city,
        city_name=_city_name(event.city),
        organiser_name=event.organiser_name,
        venue=event.venue,
        online_url=event.online_url,
        slot_minutes=event.slot_minutes,
        registration_opens_at=event.registration_opens_at,
        registration_closes_at=event.registration_closes_at,
        registration_open=service.registration_open(event),
        request_mode=event.request_mode,
        request_mode_label=label(MODE_LABELS, event.request_mode.value),
        max_meetings=event.max_meetings,
        published=event.published,
        starts_at=blocks[0].starts_at if blocks else None,
        ends_at=max(b.ends_at for b in blocks) if blocks else None,
        participants=participants,
    ).model_dump()


def present_detail(event: Event, service: EventService, participants: int) -> EventDetailOut:
    """An event with its blocks (and their slots) and tables."""
    slots = service.slots(event)
    return EventDetailOut(
        **present_event(event, service, participants),
        blocks=[
            BlockOut(
                id=b.id,
                starts_at=b.starts_at,
                ends_at=b.ends_at,
                label=b.label,
                slots=[s.index for s in slots if s.block_id == b.id],
            )
            for b in sorted(event.blocks, key=lambda b: b.starts_at)
        ],
        tables=[
            {
                "id": t.id,
                "number": t.number,
                "label": t.label,
                "fixed_participant_id": t.fixed_participant_id,
            }
            for t in event.tables
        ],
        schedule_state=event.schedule_state,
    )


def present_participant(
    p: EventParticipant,
    service: EventService,
    me: EventParticipant | None = None,
    tables: dict[int, int] | None = None,
) -> ParticipantOut:
    """A participant with their contact as the viewer (or `me`) may see it."""
    contact = service.contact(p, me)
    return ParticipantOut(
        id=p.id,
        event_id=p.event_id,
        organization_id=p.organization_id,
        organization_name=p.organization_name,
        contact=ContactOut(name=contact.name, mobile=contact.mobile, masked=contact.masked),
        position=p.position,
        role=p.role,
        role_label=label(ROLE_LABELS, p.role.value),
        offers=p.offers,
        seeks=p.seeks,
        listings=list(p.listings),
        unavailable_blocks=list(p.unavailable_blocks or ()),
        guest=p.guest,
        checked_in_at=p.checked_in_at,
        table_number=(tables or {}).get(p.id),
    )


def present_suggestion(s: Suggestion, service: EventService, me: EventParticipant) -> SuggestionOut:
    """A suggestion with its reasons."""
    return SuggestionOut(
        participant=present_participant(s.participant, service, me),
        score=round(s.score, 4),
        reasons=[
            ReasonOut(
                mine=r.mine,
                theirs=r.theirs,
                score=round(r.score, 4),
                terms=list(r.terms),
                criteria=list(r.criteria),
            )
            for r in s.reasons
        ],
        sender_listing=s.sender_listing,
        recipient_listing=s.recipient_listing,
        requested=s.requested,
    )


def present_request(
    r: EventRequest,
    service: EventService,
    event: Event,
    people: dict[int, EventParticipant],
    me: EventParticipant | None = None,
) -> RequestOut:
    """A request with both sides and the answers the viewer may give; one still waiting at
    the close of registration is shown as expired."""
    status = effective_status(r.status, service.clock(), event.registration_closes_at)
    return RequestOut(
        id=r.id,
        event_id=r.event_id,
        sender=present_participant(people[r.sender_id], service, me),
        recipient=present_participant(people[r.recipient_id], service, me),
        message=r.message,
        reply=r.reply,
        status=status,
        status_label=label(STATUS_LABELS, status.value),
        sender_listing=r.sender_listing,
        recipient_listing=r.recipient_listing,
        created_at=r.created_at,
        decided_at=r.decided_at,
        allowed=list(service.allowed(r, event, me)),
    )


def present_outcome(o: EventOutcome) -> OutcomeOut:
    return OutcomeOut(
        participant_id=o.participant_id,
        held=o.held,
        interested=o.interested,
        next_step=o.next_step,
        at=o.at,
    )


def present_meeting(
    m: EventMeeting,
    r: EventRequest,
    slot: Slot,
    table_number: int,
    service: EventService,
    people: dict[int, EventParticipant],
    outcomes: Sequence[EventOutcome],
    me: EventParticipant | None = None,
) -> MeetingOut:
    """A meeting with its time, table, both sides and what each said of it."""
    return MeetingOut(
        id=m.id,
        request_id=r.id,
        slot=m.slot,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        table_id=m.table_id,
        table_number=table_number,
        locked=m.locked,
        status=r.status,
        status_label=label(STATUS_LABELS, r.status.value),
        a=present_participant(people[r.sender_id], service, me),
        b=present_participant(people[r.recipient_id], service, me),
        outcomes=[present_outcome(o) for o in outcomes],
        introduction_id=m.introduction_id,
    )


def present_agenda(
    items: Sequence[AgendaItem], service: EventService, me: EventParticipant
) -> list[MeetingOut]:
    """A participant's agenda."""
    people = {me.id: me, **{i.counterpart.id: i.counterpart for i in items}}
    outcomes = service.meetings.outcomes(i.meeting.id for i in items)
    return [
        present_meeting(
            i.meeting,
            i.request,
            i.slot,
            i.table.number,
            service,
            people,
            outcomes.get(i.meeting.id, []),
            me,
        )
        for i in items
    ]


def present_schedule(event: Event, meetings: int) -> ScheduleOut:
    """The scheduler's state and progress."""
    return ScheduleOut(
        state=event.schedule_state,
        state_label=label(SCHEDULE_LABELS, event.schedule_state.value),
        progress=event.schedule_progress,
        started_at=event.schedule_started_at,
        finished_at=event.schedule_finished_at,
        meetings=meetings,
    )


def present_stats(stats: Stats) -> EventStatsOut:
    return EventStatsOut(**stats.__dict__)
