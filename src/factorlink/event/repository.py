"""Every query of the events domain."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import selectinload

from factorlink.event.models import (
    Event,
    EventMeeting,
    EventOutcome,
    EventParticipant,
    EventRequest,
    EventTable,
)
from factorlink.event.rules import OPEN
from factorlink.event.vocab import RequestStatus
from factorlink.introduction.models import Introduction, IntroductionStatus
from factorlink.kit.repository import Repository


class EventRepository(Repository[Event]):
    """Events with their blocks and tables."""

    model = Event

    def get_full(self, id_: int) -> Event | None:
        """An event with its blocks and tables loaded."""
        stmt = (
            select(Event)
            .where(Event.id == id_)
            .options(selectinload(Event.blocks), selectinload(Event.tables))
        )
        return self.session.scalars(stmt).first()

    def list_statement(self, *, drafts_in: Sequence[str] | None) -> Select[Event]:
        """Published events, newest registration first; with `drafts_in` (a staff scope, empty
        for all cities) also the unpublished events of those cities."""
        stmt = select(Event).options(selectinload(Event.blocks))
        if drafts_in is None:
            stmt = stmt.where(Event.published.is_(True))
        elif drafts_in:
            stmt = stmt.where(
                or_(
                    Event.published.is_(True), Event.city.in_(list(drafts_in)), Event.city.is_(None)
                )
            )
        return stmt.order_by(Event.registration_closes_at.desc(), Event.id.desc())

    def participant_counts(self, ids: Iterable[int]) -> dict[int, int]:
        """How many participants each event has."""
        ids = list(ids)
        if not ids:
            return {}
        p = EventParticipant
        rows = self.session.execute(
            select(p.event_id, func.count()).where(p.event_id.in_(ids)).group_by(p.event_id)
        ).all()
        return {int(e): int(n) for e, n in rows}


class ParticipantRepository(Repository[EventParticipant]):
    """The people of an event."""

    model = EventParticipant

    def of_event(self, event_id: int) -> Sequence[EventParticipant]:
        """Every participant of an event, in the order they registered."""
        p = EventParticipant
        return self.all(select(p).where(p.event_id == event_id).order_by(p.id))

    def of_user(self, event_id: int, user_id: int) -> EventParticipant | None:
        """The user's own registration."""
        return self.get_by(event_id=event_id, user_id=user_id)

    def by_key_hash(self, key_hash: str) -> EventParticipant | None:
        """The guest holding a private link."""
        return self.get_by(guest_key_hash=key_hash)

    def by_ids(self, ids: Iterable[int]) -> dict[int, EventParticipant]:
        """Participants by id."""
        ids = sorted(set(ids))
        if not ids:
            return {}
        p = EventParticipant
        return {x.id: x for x in self.session.scalars(select(p).where(p.id.in_(ids)))}


class RequestRepository(Repository[EventRequest]):
    """Meeting requests."""

    model = EventRequest

    def of_event(
        self, event_id: int, statuses: Iterable[RequestStatus] = ()
    ) -> Sequence[EventRequest]:
        """The requests of an event (of some statuses), oldest first."""
        r = EventRequest
        stmt = select(r).where(r.event_id == event_id)
        statuses = list(statuses)
        if statuses:
            stmt = stmt.where(r.status.in_(statuses))
        return self.all(stmt.order_by(r.id))

    def involving(self, participant_id: int) -> Sequence[EventRequest]:
        """A participant's requests, sent and received, newest first."""
        r = EventRequest
        stmt = select(r).where(or_(r.sender_id == participant_id, r.recipient_id == participant_id))
        return self.all(stmt.order_by(r.id.desc()))

    def open_between(self, a: int, b: int) -> EventRequest | None:
        """An open request between two participants, either way."""
        r = EventRequest
        stmt = select(r).where(
            r.status.in_(list(OPEN)),
            or_(
                and_(r.sender_id == a, r.recipient_id == b),
                and_(r.sender_id == b, r.recipient_id == a),
            ),
        )
        return self.session.scalars(stmt).first()

    def open_count(self, participant_id: int) -> int:
        """How many open requests (waiting, accepted, scheduled) a participant has."""
        r = EventRequest
        stmt = select(func.count()).where(
            r.status.in_(list(OPEN)),
            or_(r.sender_id == participant_id, r.recipient_id == participant_id),
        )
        return int(self.session.scalar(stmt) or 0)


class MeetingRepository(Repository[EventMeeting]):
    """Scheduled meetings and their outcomes."""

    model = EventMeeting

    def of_event(self, event_id: int) -> Sequence[EventMeeting]:
        """Every meeting of an event, by slot and table."""
        m = EventMeeting
        return self.all(select(m).where(m.event_id == event_id).order_by(m.slot, m.table_id))

    def by_request(self, request_id: int) -> EventMeeting | None:
        """The meeting of a request."""
        return self.get_by(request_id=request_id)

    def of_requests(self, ids: Iterable[int]) -> dict[int, EventMeeting]:
        """Meetings keyed by their request."""
        ids = sorted(set(ids))
        if not ids:
            return {}
        m = EventMeeting
        return {
            x.request_id: x for x in self.session.scalars(select(m).where(m.request_id.in_(ids)))
        }

    def outcomes(self, meeting_ids: Iterable[int]) -> dict[int, list[EventOutcome]]:
        """Each meeting's outcomes."""
        ids = sorted(set(meeting_ids))
        found: dict[int, list[EventOutcome]] = {i: [] for i in ids}
        if not ids:
            return found
        o = EventOutcome
        for row in self.session.scalars(select(o).where(o.meeting_id.in_(ids)).order_by(o.id)):
            found[row.meeting_id].append(row)
        return found

    def outcome(self, meeting_id: int, participant_id: int) -> EventOutcome | None:
        """One side's outcome of a meeting."""
        o = EventOutcome
        stmt = select(o).where(o.meeting_id == meeting_id, o.participant_id == participant_id)
        return self.session.scalars(stmt).first()

    def tables(self, event_id: int) -> dict[int, EventTable]:
        """The event's tables by id."""
        t = EventTable
        return {x.id: x for x in self.session.scalars(select(t).where(t.event_id == event_id))}

    def introduction_figures(self, event_id: int) -> tuple[int, int, float]:
        """Introductions the event's meetings led to, how many are signed, and their amount."""
        m, i = EventMeeting, Introduction
        row: Any = self.session.execute(
            select(
                func.count(i.id),
                func.count(i.id).filter(i.status == IntroductionStatus.signed),
                func.coalesce(
                    func.sum(i.amount_wan).filter(i.status == IntroductionStatus.signed), 0
                ),
            )
            .select_from(m)
            .join(i, i.id == m.introduction_id)
            .where(m.event_id == event_id)
        ).one()
        return int(row[0]), int(row[1]), float(row[2])
