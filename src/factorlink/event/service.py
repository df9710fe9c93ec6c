"""The rules of events: who runs them, who registers, who may ask whom, what the scheduler
is given and what it stores, and how a meeting becomes an introduction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from factorlink.auth import access
from factorlink.auth.tokens import digest, new_token
from factorlink.auth.viewer import SYSTEM, Viewer
from factorlink.db.base import utcnow
from factorlink.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from factorlink.event import rules
from factorlink.event.models import (
    Event,
    EventBlock,
    EventMeeting,
    EventOutcome,
    EventParticipant,
    EventRequest,
    EventTable,
)
from factorlink.event.repository import (
    EventRepository,
    MeetingRepository,
    ParticipantRepository,
    RequestRepository,
)
from factorlink.event.rules import Action, Actor, Slot
from factorlink.event.schemas import EventIn, ProfileIn, RegistrationIn, RequestIn
from factorlink.event.vocab import RequestStatus, ScheduleState
from factorlink.introduction.models import PartyKind
from factorlink.introduction.parties import party_owner, party_title
from factorlink.introduction.repository import IntroductionRepository, PartyRepository
from factorlink.kit.pagination import PageParams
from factorlink.organization.models import Organization
from factorlink.privacy.masking import mask_mobile, mask_name
from factorlink.privacy.policy import Contact
from factorlink.reference import get_region
from factorlink.validation.parsers import parse_mobile

Clock = Callable[[], datetime]
LISTING_KINDS = frozenset({"achievement", "demand", "capital", "carrier", "expert"})
# A counterpart sees a participant's contact once a meeting between them is agreed.
AGREED = frozenset(
    {RequestStatus.accepted, RequestStatus.scheduled, RequestStatus.held, RequestStatus.no_show}
)
# Suggestions per participant, and matches read per listing and target kind.
SUGGESTIONS = 20
# A run still marked running this many seconds past its time limit died with its server.
STALE_AFTER = 120
MATCHES_PER_TARGET = 50
# Roles that come to meet each other when nothing in their listings says more.
COMPLEMENTS: dict[str, frozenset[str]] = {
    "enterprise": frozenset({"investor", "park", "institute", "exhibitor"}),
    "investor": frozenset({"enterprise", "exhibitor", "institute"}),
    "park": frozenset({"enterprise", "exhibitor"}),
    "institute": frozenset({"enterprise", "investor", "exhibitor"}),
    "exhibitor": frozenset({"enterprise", "investor", "park", "institute"}),
}


def invalid(field_: str, reason: str, reason_en: str) -> InvalidInput:
    """An InvalidInput naming one field."""
    return InvalidInput(
        reason,
        message_en=reason_en,
        errors=[{"field": field_, "reason": reason, "reason_en": reason_en}],
    )


def parse_ref(text: str, field_: str = "listings") -> tuple[PartyKind, int]:
    """A listing named as kind:id (achievement:12)."""
    kind, _, id_text = text.strip().partition(":")
    if kind not in LISTING_KINDS or not id_text.isascii() or not id_text.isdigit():
        raise invalid(
            field_,
            f"“{text}”应写作 类型:编号,如 achievement:12",
            f"{text!r} must be KIND:ID, e.g. achievement:12",
        )
    return PartyKind(kind), int(id_text)


@dataclass(frozen=True)
class Reason:
    """Why two participants should meet: a listing of mine matched one of theirs."""

    mine: str
    theirs: str
    score: float
    terms: tuple[str, ...]
    criteria: tuple[str, ...]


@dataclass
class Suggestion:
    """A participant to meet, best first, with the reasons."""

    participant: EventParticipant
    score: float
    reasons: list[Reason] = field(default_factory=list)
    sender_listing: str | None = None
    recipient_listing: str | None = None
    requested: bool = False


@dataclass(frozen=True)
class AgendaItem:
    """One meeting in a participant's agenda."""

    meeting: EventMeeting
    request: EventRequest
    slot: Slot
    table: EventTable
    counterpart: EventParticipant
    outcome: EventOutcome | None


@dataclass(frozen=True)
class Stats:
    """What an event came to."""

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


class EventService:
    """Events for one viewer; a participant acting through a guest link is passed explicitly."""

    def __init__(self, session: Session, viewer: Viewer, clock: Clock = utcnow) -> None:
        self.session = session
        self.viewer = viewer
        self.clock = clock
        self.events = EventRepository(session)
        self.participants = ParticipantRepository(session)
        self.requests = RequestRepository(session)
        self.meetings = MeetingRepository(session)
        self._agreed: dict[int, set[int]] = {}

    # Events ------------------------------------------------------------------------------

    def create_event(self, body: EventIn) -> Event:
        """Creates an event with its blocks and numbered tables (staff, in their cities)."""
        access.require_staff(self.viewer, ("仅运营人员可创建对接会", "Operators create events"))
        if body.registration_closes_at <= body.registration_opens_at:
            raise invalid(
                "registration_closes_at",
                "报名截止时间须晚于开始时间",
                "registration must close after it opens",
            )
        rules.check_blocks([(b.starts_at, b.ends_at) for b in body.blocks], body.slot_minutes)
        event = Event(
            title=body.title.strip(),
            kind=body.kind,
            description=body.description,
            city=self._event_city(body.city),
            organiser_id=self.viewer.user_id or None,
            organiser_name=body.organiser_name,
            venue=body.venue,
            online_url=body.online_url,
            slot_minutes=body.slot_minutes,
            registration_opens_at=body.registration_opens_at,
            registration_closes_at=body.registration_closes_at,
            request_mode=body.request_mode,
            max_meetings=body.max_meetings,
            published=body.published,
        )
        if not (body.venue or body.online_url):
            raise invalid("venue", "请填写会场地址或线上会议链接", "give a venue or an online link")
        event.blocks = [
            EventBlock(starts_at=b.starts_at, ends_at=b.ends_at, label=b.label) for b in body.blocks
        ]
        event.tables = [EventTable(number=n) for n in range(1, body.tables + 1)]
        return self.events.add(event)

    def _event_city(self, text: str | None) -> str | None:
        viewer, city = self.viewer, None
        if text and text.strip():
            match = get_region().resolve(text.strip())
            if match is None:
                raise invalid("city", f"未知城市“{text}”", f"unknown city {text!r}")
            city = match.city.code
        elif viewer.is_operator and len(viewer.city_scope) == 1:
            city = viewer.city_scope[0]
        elif viewer.is_operator and viewer.city_scope:
            raise invalid(
                "city",
                "您的运营范围有多个城市,请指定对接会所在城市",
                "you operate in several cities: name the event's city",
            )
        if not viewer.operates_in(city):
            raise PermissionDenied(
                "该城市不在您的运营范围内", message_en="the city is outside your operator scope"
            )
        return city

    def list_events(self, params: PageParams) -> tuple[Sequence[Event], int]:
        """Published events; staff also see their cities' unpublished ones."""
        viewer = self.viewer
        drafts: Sequence[str] | None = None
        if viewer.is_admin or (viewer.is_operator and not viewer.city_scope):
            drafts = ()
        elif viewer.is_operator:
            drafts = viewer.city_scope
        return self.events.page(self.events.list_statement(drafts_in=drafts), params)

    def get_event(self, id_: int) -> Event:
        """An event the viewer may see (published, or staff of its city)."""
        event = self.events.get_full(id_)
        if event is None or not (event.published or self.may_organise(event)):
            raise NotFound(f"对接会{id_}不存在", message_en=f"event {id_} not found")
        return event

    def may_organise(self, event: Event) -> bool:
        """Staff who operate in the event's city (admins everywhere)."""
        return self.viewer.is_staff and self.viewer.operates_in(event.city)

    def organise(self, id_: int) -> Event:
        """An event the viewer runs: staff in its city."""
        access.require_staff(self.viewer, ("仅运营人员可操作对接会", "Operators only"))
        event = self.get_event(id_)
        if not self.may_organise(event):
            raise PermissionDenied(
                "该对接会不在您的运营范围内", message_en="the event is outside your operator scope"
            )
        return event

    def publish(self, id_: int, published: bool = True) -> Event:
        """Shows the event's public page (or hides it)."""
        event = self.organise(id_)
        event.published = published
        self.session.flush()
        return event

    def slots(self, event: Event) -> list[Slot]:
        """The event's meeting slots, numbered from 0."""
        return rules.slots_of(
            ((b.id, b.starts_at, b.ends_at) for b in event.blocks), event.slot_minutes
        )

    def registration_open(self, event: Event) -> bool:
        """Tells whether registration (and requests) are open now."""
        return rules.registration_open(
            self.clock(), event.registration_opens_at, event.registration_closes_at
        )

    def fix_table(self, event_id: int, number: int, participant_id: int | None) -> EventTable:
        """Fixes a table to a participant (their booth), or frees it."""
        event = self.organise(event_id)
        table = next((t for t in event.tables if t.number == number), None)
        if table is None:
            raise NotFound(f"桌号{number}不存在", message_en=f"table {number} not found")
        if participant_id is not None:
            self._participant_of(event, participant_id)
            if any(
                t.fixed_participant_id == participant_id for t in event.tables if t is not table
            ):
                raise Conflict(
                    "该参会人已有固定桌位", message_en="the participant already has a table"
                )
        table.fixed_participant_id = participant_id
        self.session.flush()
        return table

    # Participants ------------------------------------------------------------------------

    def register(self, event_id: int, body: RegistrationIn) -> tuple[EventParticipant, str | None]:
        """Registers the viewer for their organisation, or a guest with consent; a guest gets
        a private link's secret (returned once, only its digest kept)."""
        event = self.get_event(event_id)
        if not self.registration_open(event):
            raise Conflict("报名时间已结束或尚未开始", message_en="registration is not open")
        if body.guest or self.viewer.is_anonymous:
            return self._register_guest(event, body)
        user_id = access.require_user(self.viewer)
        if self.participants.of_user(event.id, user_id) is not None:
            raise Conflict("您已报名该对接会", message_en="you are already registered")
        org = self.session.get(Organization, self.viewer.organization_id or 0)
        name = body.contact_name or self._user_name(user_id)
        participant = EventParticipant(
            event_id=event.id,
            user_id=user_id,
            organization_id=org.id if org else None,
            organization_name=(org.name if org else body.organization_name or "").strip(),
            contact_name=name,
            contact_mobile=self._mobile(body.contact_mobile),
            role=body.role,
            consent_at=self.clock(),
        )
        if not participant.organization_name:
            raise invalid("organization_name", "请填写单位名称", "organization_name is required")
        self._apply_profile(event, participant, body)
        return self.participants.add(participant), None

    def _register_guest(
        self, event: Event, body: RegistrationIn
    ) -> tuple[EventParticipant, str | None]:
        if not body.consent:
            raise invalid(
                "consent",
                "请勾选同意:主办方和与您会面的人可查看您的姓名、单位和手机号",
                "consent is needed: the organiser and the people you meet see your contact",
            )
        missing = [
            (key, zh)
            for key, zh in (
                ("contact_name", "姓名"),
                ("contact_mobile", "手机号"),
                ("organization_name", "单位名称"),
            )
            if not (getattr(body, key) or "").strip()
        ]
        if missing:
            raise InvalidInput(
                "请填写" + "、".join(zh for _, zh in missing),
                message_en="missing: " + ", ".join(k for k, _ in missing),
                errors=[
                    {"field": k, "reason": f"请填写{zh}", "reason_en": f"{k} is required"}
                    for k, zh in missing
                ],
            )
        if body.listings:
            raise invalid(
                "listings", "嘉宾不能关联平台上的信息,请登录后报名", "guests link no listings"
            )
        key = new_token()
        participant = EventParticipant(
            event_id=event.id,
            organization_name=(body.organization_name or "").strip(),
            contact_name=(body.contact_name or "").strip(),
            contact_mobile=self._mobile(body.contact_mobile),
            role=body.role,
            guest=True,
            consent_at=self.clock(),
            guest_key_hash=digest(key),
        )
        self._apply_profile(event, participant, body)
        return self.participants.add(participant), key

    def add_participant(
        self, event_id: int, body: RegistrationIn, *, source: str = "api"
    ) -> EventParticipant:
        """The organiser registers someone (a guest who consented on paper, an import row)."""
        event = self.organise(event_id)
        if not body.consent:
            raise invalid("consent", "须有参会人的同意", "the participant's consent is needed")
        participant = EventParticipant(
            event_id=event.id,
            organization_name=(body.organization_name or "").strip(),
            contact_name=(body.contact_name or "").strip(),
            contact_mobile=self._mobile(body.contact_mobile),
            role=body.role,
            guest=True,
            consent_at=self.clock(),
            source=source,
        )
        if not participant.organization_name or not participant.contact_name:
            raise invalid("contact_name", "须填写姓名和单位", "name and organisation are required")
        org = self._organization_named(participant.organization_name)
        if org is not None:
            participant.organization_id = org.id
        self._apply_profile(event, participant, body, staff=True)
        return self.participants.add(participant)

    def _organization_named(self, name: str) -> Organization | None:
        from sqlalchemy import select

        return self.session.scalars(select(Organization).where(Organization.name == name)).first()

    def _mobile(self, text: str | None) -> str | None:
        if not text or not text.strip():
            return None
        try:
            return parse_mobile(text)
        except ValueError as exc:
            raise invalid("contact_mobile", f"手机号无效:{exc}", "invalid mobile number") from None

    def _user_name(self, user_id: int) -> str:
        from factorlink.auth.models import User

        user = self.session.get(User, user_id)
        return (user.display_name or user.username) if user else ""

    def _apply_profile(
        self,
        event: Event,
        participant: EventParticipant,
        body: RegistrationIn | ProfileIn,
        *,
        staff: bool = False,
    ) -> None:
        if body.position is not None:
            participant.position = body.position.strip() or None
        if body.offers is not None:
            participant.offers = body.offers.strip() or None
        if body.seeks is not None:
            participant.seeks = body.seeks.strip() or None
        if body.unavailable_blocks is not None:
            known = {b.id for b in event.blocks}
            unknown = sorted(set(body.unavailable_blocks) - known)
            if unknown:
                raise invalid(
                    "unavailable_blocks",
                    f"时段{unknown[0]}不属于该对接会",
                    f"block {unknown[0]} is not one of the event's",
                )
            participant.unavailable_blocks = sorted(set(body.unavailable_blocks))
        if body.listings is not None:
            participant.listings = self._listings(participant, body.listings, staff=staff)

    def _listings(
        self, participant: EventParticipant, texts: list[str], *, staff: bool
    ) -> list[str]:
        found: list[str] = []
        parties = PartyRepository(self.session)
        for text in texts:
            kind, id_ = parse_ref(text)
            obj = parties.get(kind, id_)
            if obj is None or getattr(obj, "state", "active") != "active":
                raise invalid("listings", f"信息“{text}”不存在", f"listing {text} not found")
            if not staff and party_owner(kind, obj) != participant.organization_id:
                raise invalid(
                    "listings",
                    f"“{party_title(kind, obj)}”不是本单位发布的信息",
                    f"{text} is not your organisation's listing",
                )
            ref = f"{kind.value}:{id_}"
            if ref not in found:
                found.append(ref)
        return found

    def update_profile(self, participant: EventParticipant, body: ProfileIn) -> EventParticipant:
        """A participant changes their profile, listings or availability."""
        event = self.get_event(participant.event_id)
        self._apply_profile(event, participant, body, staff=self.may_organise(event))
        self.session.flush()
        return participant

    def me(self, event_id: int) -> EventParticipant:
        """The viewer's own registration for an event."""
        user_id = access.require_user(self.viewer, ("请先登录", "Login required"))
        self.get_event(event_id)
        found = self.participants.of_user(event_id, user_id)
        if found is None:
            raise NotFound("您尚未报名该对接会", message_en="you are not registered for this event")
        return found

    def my_registration(self, event_id: int) -> EventParticipant | None:
        """The viewer's registration, if any (None for visitors)."""
        if self.viewer.user_id is None:
            return None
        return self.participants.of_user(event_id, self.viewer.user_id)

    def guest(self, key: str) -> EventParticipant:
        """The guest holding a private link."""
        found = self.participants.by_key_hash(digest(key)) if key else None
        if found is None:
            raise NotFound("链接无效或已失效", message_en="unknown or expired link")
        return found

    def participant_list(self, event_id: int) -> Sequence[EventParticipant]:
        """The event's participants: for its participants and its organisers."""
        event = self.get_event(event_id)
        return self.participants.of_event(event.id)

    def _participant_of(self, event: Event, participant_id: int) -> EventParticipant:
        found = self.participants.get(participant_id)
        if found is None or found.event_id != event.id:
            raise NotFound(
                f"参会人{participant_id}不存在",
                message_en=f"participant {participant_id} not found",
            )
        return found

    def check_in(
        self, event_id: int, participant_id: int, present: bool = True
    ) -> EventParticipant:
        """The desk checks a participant in on the day (or undoes it)."""
        event = self.organise(event_id)
        participant = self._participant_of(event, participant_id)
        participant.checked_in_at = self.clock() if present else None
        self.session.flush()
        return participant

    def contact(self, participant: EventParticipant, me: EventParticipant | None = None) -> Contact:
        """A participant's contact as the viewer (or the acting participant) may see it: the
        organiser's staff, the participant, and those with an agreed meeting see it in full."""
        name, mobile = participant.contact_name, participant.contact_mobile
        if self._may_see(participant, me):
            return Contact(name, mobile, masked=False)
        return Contact(mask_name(name), mask_mobile(mobile), masked=bool(name or mobile))

    def _may_see(self, participant: EventParticipant, me: EventParticipant | None) -> bool:
        viewer = self.viewer
        if viewer.is_staff:
            event = self.events.get(participant.event_id)
            if event is not None and viewer.operates_in(event.city):
                return True
        if me is None and viewer.user_id is not None:
            me = self.participants.of_user(participant.event_id, viewer.user_id)
        if me is None:
            return False
        if me.id == participant.id:
            return True
        if me.id not in self._agreed:
            agreed: set[int] = set()
            for r in self.requests.involving(me.id):
                if r.status in AGREED:
                    agreed.add(r.recipient_id if r.sender_id == me.id else r.sender_id)
            self._agreed[me.id] = agreed
        return participant.id in self._agreed[me.id]

    def table_of(self, event: Event) -> dict[int, int]:
        """Fixed tables: participant id -> table number."""
        return {t.fixed_participant_id: t.number for t in event.tables if t.fixed_participant_id}

    # Suggestions -------------------------------------------------------------------------

    def suggestions(self, me: EventParticipant, limit: int = SUGGESTIONS) -> list[Suggestion]:
        """The people to meet: the participants whose listings the matcher ranks for mine (and
        mine for theirs), best first, each with the listings and words behind it; with no
        listing to go by, the participants whose role complements mine."""
        from factorlink.matching.service import TARGETS, rank

        others = [p for p in self.participants.of_event(me.event_id) if p.id != me.id]
        owners: dict[str, list[EventParticipant]] = {}
        for p in others:
            for ref in p.listings:
                owners.setdefault(ref, []).append(p)
            if p.organization_id is not None and p.organization_id != me.organization_id:
                owners.setdefault(f"organization:{p.organization_id}", []).append(p)
        found: dict[int, Suggestion] = {}
        parties = PartyRepository(self.session)
        sources = list(me.listings)
        if me.organization_id is not None:
            sources.append(f"organization:{me.organization_id}")
        for ref in sources:
            kind_text, _, id_text = ref.partition(":")
            kind = PartyKind(kind_text)
            source = parties.get(kind, int(id_text))
            if source is None or getattr(source, "state", "active") != "active":
                continue
            mine = f"{party_title(kind, source)}"
            for target in TARGETS.get(kind, ()):
                if target == PartyKind.lead:
                    continue
                for match in rank(
                    self.session, self.viewer, kind, source, target, MATCHES_PER_TARGET
                ):
                    theirs_ref = f"{match.kind}:{match.id}"
                    for p in owners.get(theirs_ref, ()):
                        criteria = tuple(c.label for c in match.criteria if c.met and c.binding)
                        reason = Reason(mine, match.title, match.score, match.terms[:6], criteria)
                        s = found.setdefault(p.id, Suggestion(p, 0.0))
                        s.reasons.append(reason)
                        if match.score > s.score:
                            s.score = match.score
                            s.sender_listing = ref if kind != PartyKind.organization else None
                            s.recipient_listing = (
                                theirs_ref if match.kind != "organization" else None
                            )
        if not found:
            wanted = COMPLEMENTS.get(me.role.value, frozenset())
            for p in others:
                if p.role.value in wanted:
                    found[p.id] = Suggestion(p, 0.0)
        open_with = {
            r.recipient_id if r.sender_id == me.id else r.sender_id
            for r in self.requests.involving(me.id)
            if r.status in rules.OPEN or r.status in rules.MET
        }
        items = sorted(found.values(), key=lambda s: (-s.score, s.participant.id))
        for s in items:
            s.requested = s.participant.id in open_with
            s.reasons.sort(key=lambda r: -r.score)
            del s.reasons[3:]
        return items[:limit]

    # Requests ----------------------------------------------------------------------------

    def send(self, me: EventParticipant, body: RequestIn) -> EventRequest:
        """Asks another participant to meet: waiting for their answer (opt-in) or accepted."""
        event = self.get_event(me.event_id)
        recipient = self._participant_of(event, body.recipient_id)
        rules.check_send(
            sender=me.id,
            recipient=recipient.id,
            now=self.clock(),
            opens_at=event.registration_opens_at,
            closes_at=event.registration_closes_at,
            open_between=self.requests.open_between(me.id, recipient.id) is not None,
            sender_open=self.requests.open_count(me.id),
            recipient_open=self.requests.open_count(recipient.id),
            cap=event.max_meetings,
        )
        for side, ref, owner in (
            ("sender_listing", body.sender_listing, me),
            ("recipient_listing", body.recipient_listing, recipient),
        ):
            if ref is not None and ref not in owner.listings:
                raise invalid(side, f"“{ref}”不是该参会人关联的信息", f"{ref} is not theirs")
        status = rules.initial_status(event.request_mode)
        request = EventRequest(
            event_id=event.id,
            sender_id=me.id,
            recipient_id=recipient.id,
            message=(body.message or "").strip() or None,
            status=status,
            sender_listing=body.sender_listing,
            recipient_listing=body.recipient_listing,
            decided_at=self.clock() if status == RequestStatus.accepted else None,
        )
        self._agreed.clear()
        return self.requests.add(request)

    def act(
        self,
        request_id: int,
        action: Action,
        *,
        me: EventParticipant | None = None,
        message: str | None = None,
    ) -> EventRequest:
        """A participant (or, without `me`, the organiser) accepts, declines or cancels."""
        request = self.requests.get(request_id)
        event = self.events.get_full(request.event_id) if request is not None else None
        if request is None or event is None:
            raise NotFound(f"约见{request_id}不存在", message_en=f"request {request_id} not found")
        if me is None:
            if not (self.viewer.is_staff and self.may_organise(event)):
                me = self.my_registration(event.id)
            actor = Actor.organiser if me is None else None
        else:
            actor = None
        if actor is None:
            assert me is not None
            if me.id == request.sender_id:
                actor = Actor.sender
            elif me.id == request.recipient_id:
                actor = Actor.recipient
            else:
                raise NotFound(
                    f"约见{request_id}不存在", message_en=f"request {request_id} not found"
                )
        if actor == Actor.organiser:
            self.organise(event.id)
        if action not in (Action.accept, Action.decline, Action.cancel):
            raise invalid(
                "action", "只能接受、谢绝或取消约见", "action is accept, decline or cancel"
            )
        if action == Action.accept and event.max_meetings is not None:
            # The cap counts agreed meetings: accepting one more must leave both within it.
            for pid in (request.sender_id, request.recipient_id):
                agreed = sum(
                    1
                    for r in self.requests.involving(pid)
                    if r.status in (RequestStatus.accepted, RequestStatus.scheduled)
                    and r.id != request.id
                )
                if agreed >= event.max_meetings:
                    raise Conflict(
                        f"每人最多{event.max_meetings}场会面,已满",
                        message_en=f"at most {event.max_meetings} meetings each: cap reached",
                    )
        request.status = self._move(event, request, action, actor)
        if message is not None and message.strip():
            request.reply = message.strip()
        request.decided_at = self.clock()
        if request.status == RequestStatus.cancelled:
            meeting = self.meetings.by_request(request.id)
            if meeting is not None:
                self.meetings.delete(meeting)
        self._agreed.clear()
        self.session.flush()
        return request

    def _move(
        self, event: Event, request: EventRequest, action: Action, actor: Actor
    ) -> RequestStatus:
        return rules.next_status(
            request.status,
            action,
            actor,
            mode=event.request_mode,
            now=self.clock(),
            opens_at=event.registration_opens_at,
            closes_at=event.registration_closes_at,
        )

    def allowed(
        self, request: EventRequest, event: Event, me: EventParticipant | None
    ) -> tuple[Action, ...]:
        """The answers the viewer may give a request now."""
        if me is not None and me.id == request.sender_id:
            actor = Actor.sender
        elif me is not None and me.id == request.recipient_id:
            actor = Actor.recipient
        elif self.may_organise(event):
            actor = Actor.organiser
        else:
            return ()
        found = rules.allowed_actions(
            request.status,
            actor,
            mode=event.request_mode,
            now=self.clock(),
            opens_at=event.registration_opens_at,
            closes_at=event.registration_closes_at,
        )
        return tuple(a for a in found if a in (Action.accept, Action.decline, Action.cancel))

    def requests_of(self, me: EventParticipant) -> Sequence[EventRequest]:
        """A participant's requests, sent and received, newest first."""
        self.get_event(me.event_id)
        return self.requests.involving(me.id)

    def event_requests(self, event_id: int) -> Sequence[EventRequest]:
        """Every request of an event (organiser)."""
        event = self.organise(event_id)
        return self.requests.of_event(event.id)

    def expire_waiting(self, event: Event) -> int:
        """Stores as expired the requests still waiting after registration closed."""
        now = self.clock()
        if now < event.registration_closes_at:
            return 0
        count = 0
        for r in self.requests.of_event(event.id, [RequestStatus.waiting]):
            r.status = rules.next_status(
                r.status,
                Action.expire,
                Actor.scheduler,
                mode=event.request_mode,
                now=now,
                opens_at=event.registration_opens_at,
                closes_at=event.registration_closes_at,
            )
            count += 1
        self.session.flush()
        return count

    # Meetings ----------------------------------------------------------------------------

    def lock(self, event_id: int, meeting_id: int, locked: bool = True) -> EventMeeting:
        """Keeps a meeting where it is when the event is scheduled again (or lets it move)."""
        event = self.organise(event_id)
        meeting = self.meetings.get(meeting_id)
        if meeting is None or meeting.event_id != event.id:
            raise NotFound(f"会面{meeting_id}不存在", message_en=f"meeting {meeting_id} not found")
        meeting.locked = locked
        self.session.flush()
        return meeting

    def agenda(self, me: EventParticipant) -> list[AgendaItem]:
        """A participant's meetings in time order."""
        event = self.get_event(me.event_id)
        requests = [r for r in self.requests.involving(me.id) if r.status in rules.MET]
        meetings = self.meetings.of_requests(r.id for r in requests)
        slots = self.slots(event)
        tables = {t.id: t for t in event.tables}
        others = self.participants.by_ids(
            r.recipient_id if r.sender_id == me.id else r.sender_id for r in requests
        )
        outcomes = self.meetings.outcomes(m.id for m in meetings.values())
        items = []
        for r in requests:
            m = meetings.get(r.id)
            if m is None or m.slot >= len(slots):
                continue
            other = others[r.recipient_id if r.sender_id == me.id else r.sender_id]
            mine = next((o for o in outcomes.get(m.id, []) if o.participant_id == me.id), None)
            items.append(AgendaItem(m, r, slots[m.slot], tables[m.table_id], other, mine))
        items.sort(key=lambda i: (i.slot.index, i.table.number))
        return items

    def grid(
        self, event_id: int
    ) -> tuple[
        Event, list[Slot], list[EventMeeting], dict[int, EventRequest], dict[int, EventParticipant]
    ]:
        """The organiser's grid: every meeting with its request and both people."""
        event = self.organise(event_id)
        meetings = list(self.meetings.of_event(event.id))
        requests = {r.id: r for r in self.requests.of_event(event.id)}
        people = {p.id: p for p in self.participants.of_event(event.id)}
        return event, self.slots(event), meetings, requests, people

    def mark(
        self,
        me: EventParticipant,
        meeting_id: int,
        *,
        held: bool,
        interested: bool,
        next_step: str | None,
    ) -> EventMeeting:
        """One side marks a meeting held or not, their interest and the next step; when both
        sides are interested the meeting becomes an introduction in the pipeline."""
        rules.check_mark(held, interested)
        meeting = self.meetings.get(meeting_id)
        request = self.requests.get(meeting.request_id) if meeting is not None else None
        if (
            meeting is None
            or request is None
            or me.id not in (request.sender_id, request.recipient_id)
        ):
            raise NotFound(f"会面{meeting_id}不存在", message_en=f"meeting {meeting_id} not found")
        event = self.get_event(meeting.event_id)
        slots = self.slots(event)
        if meeting.slot < len(slots) and self.clock() < slots[meeting.slot].starts_at:
            raise Conflict(
                "会面开始后才能标记结果", message_en="a meeting is marked once it has started"
            )
        actor = Actor.sender if me.id == request.sender_id else Actor.recipient
        outcome = self.meetings.outcome(meeting.id, me.id)
        if outcome is None:
            outcome = EventOutcome(
                meeting_id=meeting.id, participant_id=me.id, held=held, interested=interested
            )
            self.session.add(outcome)
        outcome.held, outcome.interested = held, interested
        outcome.next_step = (next_step or "").strip() or None
        outcome.at = self.clock()
        self.session.flush()
        marks = [
            rules.Mark(o.held, o.interested)
            for o in self.meetings.outcomes([meeting.id])[meeting.id]
        ]
        action = Action.hold if rules.meeting_held(marks) else Action.no_show
        request.status = self._move(event, request, action, actor)
        meeting.locked = True  # a meeting that took place is not moved by a later run
        if meeting.introduction_id is None and rules.mutual_interest(marks):
            meeting.introduction_id = self._introduce(event, request)
        self.session.flush()
        return meeting

    def _introduce(self, event: Event, request: EventRequest) -> int | None:
        """Both sides are interested: an introduction of the sender's side (listing, else
        organisation) to the recipient's, attributed to the event through the meeting. None
        where a side has neither (a guest of no known organisation)."""
        from factorlink.introduction.service import IntroductionService

        people = self.participants.by_ids([request.sender_id, request.recipient_id])
        refs = []
        for person, listing in (
            (people[request.sender_id], request.sender_listing),
            (people[request.recipient_id], request.recipient_listing),
        ):
            if listing is not None and listing in person.listings:
                refs.append(parse_ref(listing))
            elif person.listings:
                refs.append(parse_ref(person.listings[0]))
            elif person.organization_id is not None:
                refs.append((PartyKind.organization, person.organization_id))
            else:
                return None
        a, b = refs
        if a == b:
            return None
        note = f"对接会“{event.title}”会面,双方均有意向"
        existing = IntroductionRepository(self.session).between(a, b, open_only=True)
        if existing is not None:
            return int(existing.id)
        intro = IntroductionService(self.session, SYSTEM).create(a, b, note)
        if self.viewer.user_id:
            intro.created_by_id = event.organiser_id
        return int(intro.id)

    def stats(self, event_id: int) -> Stats:
        """Participants, requests, meetings held, introductions and signed deals of an event."""
        event = self.get_event(event_id)
        people = self.participants.of_event(event.id)
        requests = self.requests.of_event(event.id)
        statuses = [r.status for r in requests]
        intros, signed, amount = self.meetings.introduction_figures(event.id)
        return Stats(
            participants=len(people),
            checked_in=sum(1 for p in people if p.checked_in_at is not None),
            requests=len(requests),
            accepted=sum(1 for s in statuses if s in AGREED),
            meetings=sum(1 for s in statuses if s in rules.MET),
            held=statuses.count(RequestStatus.held),
            no_show=statuses.count(RequestStatus.no_show),
            introductions=intros,
            signed=signed,
            signed_amount_wan=amount,
        )

    # Scheduling --------------------------------------------------------------------------

    def schedule_status(self, event_id: int) -> Event:
        """The event with its scheduler's state (organiser)."""
        return self.organise(event_id)

    def start_schedule(self, event_id: int) -> Any:
        """Marks the event as being scheduled and returns the solver's instance (organiser);
        refuses a second run while one is going."""
        event = self.organise(event_id)
        if event.schedule_state == ScheduleState.running and not self._stale(event):
            raise Conflict("排期正在进行中", message_en="the event is already being scheduled")
        self.expire_waiting(event)
        instance = self.instance(event)
        event.schedule_state = ScheduleState.running
        event.schedule_started_at = self.clock()
        event.schedule_finished_at = None
        event.schedule_progress = {"stage": "start", "requests": len(instance.requests)}
        self.session.flush()
        return instance

    def _stale(self, event: Event) -> bool:
        """A run that should have ended long ago (the server stopped during it)."""
        started = event.schedule_started_at
        limit = float((event.schedule_progress or {}).get("time_limit") or 0)
        return started is None or self.clock() > started + timedelta(seconds=limit + STALE_AFTER)

    def instance(self, event: Event) -> Any:
        """What the scheduler is given: slots, tables (fixed ones), participants, accepted
        requests, who is unavailable when, the cap, locked and current meetings."""
        from factorlink.event import scheduling as sch

        slots = self.slots(event)
        people = self.participants.of_event(event.id)
        requests = [
            r
            for r in self.requests.of_event(event.id)
            if r.status in rules.SCHEDULABLE or r.status in rules.MET
        ]
        meetings = self.meetings.of_requests(r.id for r in requests)
        unavailable = set()
        for p in people:
            blocked = set(p.unavailable_blocks or ())
            for s in slots:
                if s.block_id in blocked:
                    unavailable.add((p.id, s.index))
        locked, previous = [], []
        for r in requests:
            m = meetings.get(r.id)
            if m is None:
                continue
            meeting = sch.Meeting(r.id, m.slot, m.table_id)
            previous.append(meeting)
            if m.locked or r.status in (RequestStatus.held, RequestStatus.no_show):
                locked.append(meeting)
        return sch.Instance(
            slots=tuple(s.index for s in slots),
            tables=tuple(sch.Table(t.id, t.fixed_participant_id) for t in event.tables),
            participants=tuple(p.id for p in people),
            requests=tuple(sch.Request(r.id, r.sender_id, r.recipient_id) for r in requests),
            unavailable=frozenset(unavailable),
            max_meetings=event.max_meetings,
            locked=tuple(locked),
            previous=tuple(previous),
        )

    def store_schedule(self, event_id: int, schedule: Any) -> tuple[int, int]:
        """Stores a schedule: meetings kept, moved, added; requests it left out go back to
        accepted. Returns (meetings, moved)."""
        event = self.organise(event_id)
        requests = {r.id: r for r in self.requests.of_event(event.id)}
        current = {m.request_id: m for m in self.meetings.of_event(event.id)}
        placed = {m.request: m for m in schedule.meetings}
        moved = 0
        for request_id, meeting in current.items():
            if request_id not in placed and not meeting.locked:
                self.session.delete(meeting)
                request = requests[request_id]
                if request.status == RequestStatus.scheduled:
                    request.status = self._move(event, request, Action.unschedule, Actor.scheduler)
        self.session.flush()
        for request_id, m in placed.items():
            found = requests.get(request_id)
            if found is None:
                continue
            request = found
            existing = current.get(request_id)
            if existing is not None:
                if (existing.slot, existing.table_id) != (m.slot, m.table):
                    moved += 1
                    existing.slot, existing.table_id = -1 - existing.id, m.table
            else:
                self.session.add(
                    EventMeeting(
                        event_id=event.id, request_id=request_id, slot=m.slot, table_id=m.table
                    )
                )
            if request.status == RequestStatus.accepted:
                request.status = self._move(event, request, Action.schedule, Actor.scheduler)
        self.session.flush()
        # Moved meetings took a placeholder slot first, so no two rows share a (table, slot)
        # while they change places.
        for request_id, m in placed.items():
            existing = current.get(request_id)
            if existing is not None and existing.slot < 0:
                existing.slot = m.slot
        event.schedule_state = ScheduleState.done
        event.schedule_finished_at = self.clock()
        self.session.flush()
        return len(placed), moved

    def fail_schedule(self, event_id: int, error: str) -> None:
        """Records that a run failed."""
        event = self.events.get(event_id)
        if event is not None:
            event.schedule_state = ScheduleState.failed
            event.schedule_finished_at = self.clock()
            event.schedule_progress = {
                **(event.schedule_progress or {}),
                "stage": "failed",
                "error": error,
            }
            self.session.flush()


def own_listings(session: Session, organization_id: int | None) -> list[tuple[str, str, str]]:
    """An organisation's active listings a member may link: (kind:id, kind label, title)."""
    from sqlalchemy import select

    from factorlink.introduction.parties import party_label
    from factorlink.models import LISTING_MODELS

    if organization_id is None:
        return []
    found = []
    for kind, model in LISTING_MODELS.items():
        if kind.value not in LISTING_KINDS:
            continue
        stmt = select(model).where(model.organization_id == organization_id).order_by(model.id)
        for obj in session.scalars(stmt.limit(50)):
            if getattr(obj, "state", "active") == "active":
                found.append((f"{kind.value}:{obj.id}", party_label(kind), party_title(kind, obj)))
    return found
