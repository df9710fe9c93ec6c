"""Events through the service on a real database: setup and scope, registration, suggestions
from the matcher, requests, scheduling into stored meetings, agendas (.ics), check-in, and
outcomes that become introductions attributed to the event."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import icalendar
import pytest

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
from factorlink.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from factorlink.event import units
from factorlink.event.calendar import agenda_ics
from factorlink.event.models import EventMeeting, EventParticipant
from factorlink.event.rules import Action
from factorlink.event.schemas import BlockIn, ProfileIn, RequestIn
from factorlink.event.service import EventService
from factorlink.event.vocab import RequestStatus
from factorlink.introduction.models import Introduction, IntroductionStatus, PartyKind
from factorlink.introduction.service import IntroductionService
from tests.event.builders import NOW, World, make_event, member, registration, world
from tests.factories import MakeActor
from tests.introduction.builders import ADMIN

OPERATOR = Viewer(user_id=0, role=Role.operator, city_scope=("songjiang",))


def clock(now: Any = NOW) -> Any:
    return lambda: now


def service(session: Any, viewer: Viewer = ADMIN, now: Any = NOW) -> EventService:
    return EventService(session, viewer, clock(now))


@pytest.fixture
def people(database: Database, make_actor: MakeActor) -> tuple[World, Viewer, Viewer]:
    w = world(database)
    a = make_actor("member", organization_id=w.org_a)
    b = make_actor("member", organization_id=w.org_b)
    return w, member(a.user_id, w.org_a), member(b.user_id, w.org_b)


def register_both(
    database: Database, event: int, w: World, a: Viewer, b: Viewer
) -> tuple[int, int]:
    with database.unit_of_work() as s:
        pa, _ = service(s, a).register(
            event, registration(listings=[f"demand:{w.demand}"], contact_mobile="13811112222")
        )
        pb, _ = service(s, b).register(
            event,
            registration(role="institute", listings=[f"achievement:{w.achievement}"]),
        )
        return pa.id, pb.id


def send(database: Database, viewer: Viewer, event: int, to: int, **extra: Any) -> int:
    with database.unit_of_work() as s:
        svc = service(s, viewer)
        return svc.send(svc.me(event), RequestIn(recipient_id=to, **extra)).id


def act(database: Database, viewer: Viewer, event: int, request: int, action: Action) -> None:
    with database.unit_of_work() as s:
        svc = service(s, viewer)
        svc.act(request, action, me=svc.me(event))


def test_an_event_has_its_blocks_slots_and_numbered_tables(database: Database) -> None:
    event_id = make_event(database, tables=4)
    with database.unit_of_work() as s:
        svc = service(s)
        event = svc.get_event(event_id)
        assert [t.number for t in event.tables] == [1, 2, 3, 4]
        slots = svc.slots(event)
        assert len(slots) == 3 + 6
        assert slots[0].starts_at == NOW - timedelta(hours=1)
        assert slots[3].block_id == event.blocks[1].id
        assert event.city == "songjiang" and svc.registration_open(event)


def test_operators_run_events_of_their_own_cities(database: Database) -> None:
    make_event(database, OPERATOR)  # 松江, theirs
    with pytest.raises(PermissionDenied, match="运营范围"):
        make_event(database, OPERATOR, city="杭州")
    member_viewer = Viewer(user_id=5, role=Role.member)
    with pytest.raises(PermissionDenied):
        make_event(database, member_viewer)
    with pytest.raises(InvalidInput, match="报名截止"):
        make_event(database, registration_closes_at=NOW - timedelta(days=8))
    with pytest.raises(InvalidInput, match="未知城市"):
        make_event(database, city="火星")
    with pytest.raises(InvalidInput, match="会场"):
        make_event(database, venue=None)
    with pytest.raises(InvalidInput, match="重叠"):
        make_event(
            database,
            blocks=[
                BlockIn(starts_at=NOW, ends_at=NOW + timedelta(hours=2)),
                BlockIn(starts_at=NOW + timedelta(hours=1), ends_at=NOW + timedelta(hours=3)),
            ],
        )


def test_members_register_for_their_organisation_with_its_listings(
    database: Database, people: tuple[World, Viewer, Viewer]
) -> None:
    w, a, b = people
    event = make_event(database)
    pa, _pb = register_both(database, event, w, a, b)
    with database.unit_of_work() as s:
        stored = s.get(EventParticipant, pa)
        assert stored is not None
        assert stored.organization_name == "嘉兴示例新能源有限公司"
        assert stored.listings == [f"demand:{w.demand}"] and not stored.guest
    with pytest.raises(Conflict, match="已报名"), database.unit_of_work() as s:
        service(s, a).register(event, registration())
    with pytest.raises(InvalidInput, match="不是本单位"), database.unit_of_work() as s:
        svc = service(s, a)
        svc.update_profile(svc.me(event), ProfileIn(listings=[f"achievement:{w.achievement}"]))
    with pytest.raises(InvalidInput, match="不属于"), database.unit_of_work() as s:
        svc = service(s, a)
        svc.update_profile(svc.me(event), ProfileIn(unavailable_blocks=[99999]))
    with pytest.raises(Conflict, match="报名时间"), database.unit_of_work() as s:
        service(s, b, NOW + timedelta(days=1)).register(event, registration())


def test_guests_register_with_consent_and_act_through_their_link(database: Database) -> None:
    event = make_event(database)
    anonymous = Viewer()
    guest = {"contact_name": "赵磊", "contact_mobile": "13912340000", "organization_name": "某投资"}
    with pytest.raises(InvalidInput, match="同意"), database.unit_of_work() as s:
        service(s, anonymous).register(event, registration(role="investor", **guest))
    with pytest.raises(InvalidInput, match="手机号"), database.unit_of_work() as s:
        service(s, anonymous).register(
            event, registration(role="investor", consent=True, contact_name="赵磊")
        )
    with database.unit_of_work() as s:
        p, key = service(s, anonymous).register(
            event, registration(role="investor", consent=True, **guest)
        )
        assert key and p.guest and p.guest_key_hash and key not in p.guest_key_hash
        pid = p.id
    with database.unit_of_work() as s:
        assert service(s, anonymous).guest(key).id == pid
        with pytest.raises(NotFound):
            service(s, anonymous).guest(key + "x")


def test_suggestions_come_from_the_matcher_over_linked_listings(
    database: Database, people: tuple[World, Viewer, Viewer]
) -> None:
    w, a, b = people
    event = make_event(database)
    pa, pb = register_both(database, event, w, a, b)
    with database.unit_of_work() as s:
        svc = service(s, a)
        found = svc.suggestions(svc.me(event))
        assert [x.participant.id for x in found] == [pb]
        best = found[0]
        assert best.score > 0
        assert best.sender_listing == f"demand:{w.demand}"
        assert best.recipient_listing == f"achievement:{w.achievement}"
        reason = best.reasons[0]
        assert reason.theirs == "高导热石墨烯复合散热膜制备技术"
        assert "石墨烯" in reason.terms
        # And the other way: the achievement's owner is pointed at the demand.
        other = service(s, b)
        assert [x.participant.id for x in other.suggestions(other.me(event))] == [pa]


def test_requests_are_answered_masked_until_agreed_and_capped(
    database: Database, people: tuple[World, Viewer, Viewer], make_actor: MakeActor
) -> None:
    w, a, b = people
    event = make_event(database, max_meetings=1)
    pa, pb = register_both(database, event, w, a, b)
    with database.unit_of_work() as s:
        svc = service(s, b)
        other = s.get(EventParticipant, pa)
        assert other is not None
        assert svc.contact(other).masked and svc.contact(other).mobile == "138****2222"
    request = send(
        database, a, event, pb, message="想了解散热膜量产", sender_listing=f"demand:{w.demand}"
    )
    with pytest.raises(Conflict, match="已有进行中"):
        send(database, b, event, pa)
    with pytest.raises(PermissionDenied):
        act(database, a, event, request, Action.accept)  # not the sender's to accept
    act(database, b, event, request, Action.accept)
    with database.unit_of_work() as s:
        svc = service(s, b)
        other = s.get(EventParticipant, pa)
        assert other is not None
        assert svc.contact(other).mobile == "13811112222"  # agreed: shown in full
        assert svc.requests.get(request).status == RequestStatus.accepted  # type: ignore[union-attr]
    # A third participant finds both capped at one meeting.
    c = make_actor("member")
    with database.unit_of_work() as s:
        service(s, member(c.user_id, None)).register(
            event, registration(organization_name="第三方公司")
        )
    with pytest.raises(Conflict, match="已满"):
        send(database, member(c.user_id, None), event, pa)


def test_opt_out_accepts_at_once_and_waiting_requests_expire(
    database: Database, people: tuple[World, Viewer, Viewer]
) -> None:
    w, a, b = people
    event = make_event(database, request_mode="opt_out")
    _pa, pb = register_both(database, event, w, a, b)
    request = send(database, a, event, pb)
    with database.unit_of_work() as s:
        assert service(s).requests.get(request).status == RequestStatus.accepted  # type: ignore[union-attr]
    act(database, b, event, request, Action.decline)  # opt-out: the recipient may still decline

    plain = make_event(database)
    _qa, qb = register_both(database, plain, w, a, b)
    waiting = send(database, a, plain, qb)
    later = NOW + timedelta(days=1)
    with pytest.raises(Conflict, match="已过期"), database.unit_of_work() as s:
        svc = service(s, b, later)
        svc.act(waiting, Action.accept, me=svc.me(plain))
    with database.unit_of_work() as s:
        svc = service(s, ADMIN, later)
        assert svc.expire_waiting(svc.get_event(plain)) == 1
        assert svc.requests.get(waiting).status == RequestStatus.expired  # type: ignore[union-attr]


def agreed_pair(
    database: Database, people: tuple[World, Viewer, Viewer]
) -> tuple[int, int, int, int]:
    w, a, b = people
    event = make_event(database)
    pa, pb = register_both(database, event, w, a, b)
    request = send(
        database,
        a,
        event,
        pb,
        sender_listing=f"demand:{w.demand}",
        recipient_listing=f"achievement:{w.achievement}",
    )
    act(database, b, event, request, Action.accept)
    return event, pa, pb, request


def test_scheduling_stores_meetings_and_a_rerun_keeps_them(
    database: Database, people: tuple[World, Viewer, Viewer]
) -> None:
    event, _pa, _pb, request = agreed_pair(database, people)
    with database.unit_of_work() as s:
        svc = service(s, people[1])
        svc.update_profile(
            svc.me(event), ProfileIn(unavailable_blocks=[svc.get_event(event).blocks[0].id])
        )
    result = units.run(database, ADMIN, event, 2.0, clock(), workers=1)
    assert result["meetings"] == 1 and result["stage"] == "done"
    with database.unit_of_work() as s:
        svc = service(s)
        (meeting,) = svc.meetings.of_event(event)
        assert meeting.request_id == request and meeting.slot >= 3  # not in the blocked block
        assert svc.requests.get(request).status == RequestStatus.scheduled  # type: ignore[union-attr]
        assert svc.get_event(event).schedule_state == "done"
        first = (meeting.slot, meeting.table_id)
    again = units.run(database, ADMIN, event, 2.0, clock(), workers=1)
    assert again["moved"] == 0
    with database.unit_of_work() as s:
        (meeting,) = service(s).meetings.of_event(event)
        assert (meeting.slot, meeting.table_id) == first
    # A cancelled meeting leaves the agenda and the grid.
    act(database, people[2], event, request, Action.cancel)
    with database.unit_of_work() as s:
        assert service(s).meetings.of_event(event) == []


def test_a_second_run_is_refused_while_one_is_going(
    database: Database, people: tuple[World, Viewer, Viewer]
) -> None:
    event, *_ = agreed_pair(database, people)
    instance = units.claim(database, ADMIN, event, 2.0, clock())
    with pytest.raises(Conflict, match="排期正在进行"):
        units.claim(database, ADMIN, event, 2.0, clock())
    units.finish(database, ADMIN, event, instance, 2.0, clock(), workers=1)
    with pytest.raises(PermissionDenied):
        units.run(
            database,
            Viewer(user_id=0, role=Role.operator, city_scope=("hangzhou",)),
            event,
            1.0,
            clock(),
        )
    with pytest.raises(InvalidInput):
        units.run(database, ADMIN, event, 0.0, clock())


def test_agenda_and_its_calendar_file(
    database: Database, people: tuple[World, Viewer, Viewer]
) -> None:
    event, _pa, pb, request = agreed_pair(database, people)
    units.run(database, ADMIN, event, 2.0, clock(), workers=1)
    with database.unit_of_work() as s:
        svc = service(s, people[1])
        me = svc.me(event)
        (item,) = svc.agenda(me)
        assert item.counterpart.id == pb and item.request.id == request
        data = agenda_ics(svc.get_event(event), [item], me, now=NOW)
    cal = icalendar.Calendar.from_ical(data)
    (vevent,) = cal.walk("VEVENT")
    start = vevent.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Shanghai" and start == item.slot.starts_at
    assert vevent.decoded("dtend") - start == timedelta(minutes=20)
    assert "示例大学" in str(vevent.get("summary"))
    assert f"{item.table.number}号桌" in str(vevent.get("location"))
    assert str(vevent.get("uid")) == f"event-{event}-meeting-{request}@factorlink"
    assert cal.walk("VTIMEZONE")[0]["tzid"] == "Asia/Shanghai"
    assert b"\r\n" in data


def test_both_interested_makes_an_introduction_attributed_to_the_event(
    database: Database, people: tuple[World, Viewer, Viewer]
) -> None:
    w, a, b = people
    event, pa, pb, request = agreed_pair(database, people)
    units.run(database, ADMIN, event, 2.0, clock(), workers=1)
    with database.unit_of_work() as s:
        (meeting,) = service(s).meetings.of_event(event)
        meeting_id, slot = meeting.id, meeting.slot
        starts = service(s).slots(service(s).get_event(event))[slot].starts_at
    with pytest.raises(Conflict, match="开始后"), database.unit_of_work() as s:
        svc = service(s, a, starts - timedelta(minutes=1))
        svc.mark(svc.me(event), meeting_id, held=True, interested=True, next_step=None)
    after = starts + timedelta(minutes=25)
    with database.unit_of_work() as s:
        svc = service(s, ADMIN, after)
        svc.check_in(event, pa)
        svc.check_in(event, pb)
    with database.unit_of_work() as s:
        svc = service(s, a, after)
        m = svc.mark(svc.me(event), meeting_id, held=True, interested=True, next_step="寄样品")
        assert m.introduction_id is None  # the other side has not said yet
        assert svc.requests.get(request).status == RequestStatus.held  # type: ignore[union-attr]
    with database.unit_of_work() as s:
        svc = service(s, b, after)
        m = svc.mark(svc.me(event), meeting_id, held=True, interested=True, next_step="安排中试")
        intro_id = m.introduction_id
        assert intro_id is not None and m.locked
    with database.unit_of_work() as s:
        intro = s.get(Introduction, intro_id)
        assert intro is not None
        assert (intro.party_a_kind, intro.party_a_id) == (PartyKind.demand, w.demand)
        assert (intro.party_b_kind, intro.party_b_id) == (PartyKind.achievement, w.achievement)
        assert intro.status == IntroductionStatus.proposed and "G60新材料要素对接会" in (
            intro.note or ""
        )
        IntroductionService(s, ADMIN).transition(intro_id, IntroductionStatus.contacted)
        IntroductionService(s, ADMIN).transition(intro_id, IntroductionStatus.negotiating)
        IntroductionService(s, ADMIN).transition(
            intro_id, IntroductionStatus.signed, amount_wan=120.0
        )
    with database.unit_of_work() as s:
        stats = service(s).stats(event)
        assert (stats.participants, stats.checked_in, stats.meetings, stats.held) == (2, 2, 1, 1)
        assert (stats.introductions, stats.signed, stats.signed_amount_wan) == (1, 1, 120.0)
        assert s.get(EventMeeting, meeting_id) is not None


def test_a_meeting_marked_not_held_by_both_is_a_no_show_and_interest_needs_held(
    database: Database, people: tuple[World, Viewer, Viewer]
) -> None:
    event, _pa, _pb, request = agreed_pair(database, people)
    units.run(database, ADMIN, event, 2.0, clock(), workers=1)
    later = NOW + timedelta(days=3)
    with database.unit_of_work() as s:
        (meeting,) = service(s).meetings.of_event(event)
        meeting_id = meeting.id
    with pytest.raises(InvalidInput, match="未会面"), database.unit_of_work() as s:
        svc = service(s, people[1], later)
        svc.mark(svc.me(event), meeting_id, held=False, interested=True, next_step=None)
    with database.unit_of_work() as s:
        svc = service(s, people[1], later)
        svc.mark(svc.me(event), meeting_id, held=False, interested=False, next_step=None)
        assert svc.requests.get(request).status == RequestStatus.no_show  # type: ignore[union-attr]
    with database.unit_of_work() as s:
        svc = service(s, people[2], later)
        with pytest.raises(NotFound):
            svc.mark(svc.me(event), meeting_id + 1000, held=True, interested=False, next_step=None)
