"""HTTP endpoints of events (/events): setup, registration, suggestions, requests, scheduling,
agendas (.ics), check-in, outcomes and statistics.

A guest acts through their private link's secret, sent as the `X-Event-Key` header.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, UploadFile
from starlette.responses import Response

from factorlink.api.deps import (
    AppSettings,
    CurrentViewer,
    DbSession,
    LeadLimiter,
    Paging,
    StaffViewer,
    get_database,
)
from factorlink.auth.viewer import Viewer
from factorlink.errors import NotFound
from factorlink.event import units
from factorlink.event.calendar import agenda_ics
from factorlink.event.columns import import_participants
from factorlink.event.models import EventParticipant
from factorlink.event.presenter import (
    present_agenda,
    present_detail,
    present_event,
    present_meeting,
    present_participant,
    present_request,
    present_schedule,
    present_stats,
    present_suggestion,
)
from factorlink.event.schemas import (
    ActionIn,
    EventDetailOut,
    EventIn,
    EventStatsOut,
    MeetingOut,
    OutcomeIn,
    ParticipantOut,
    ProfileIn,
    RegisteredOut,
    RegistrationIn,
    RequestIn,
    RequestOut,
    ScheduleOut,
    SuggestionOut,
    TableFixIn,
)
from factorlink.event.service import EventService
from factorlink.imports.readers import limits_of, too_large
from factorlink.kit.ids import IdPath
from factorlink.kit.pagination import Page
from factorlink.lead.ratelimit import counted_lead

router = APIRouter(prefix="/events", tags=["events"])

EventKey = Annotated[
    str | None,
    Header(
        alias="X-Event-Key",
        max_length=200,
        description="A guest's private link secret (from registration), instead of a login.",
    ),
]


def _me(service: EventService, event_id: int, key: str | None) -> EventParticipant:
    if key:
        me = service.guest(key)
        if me.event_id != event_id:
            raise NotFound("链接无效或已失效", message_en="unknown or expired link")
        return me
    return service.me(event_id)


def _detail(service: EventService, event_id: int) -> EventDetailOut:
    event = service.get_event(event_id)
    counts = service.events.participant_counts([event.id])
    return present_detail(event, service, counts.get(event.id, 0))


@router.post("", response_model=EventDetailOut, status_code=201, summary="新建对接会")
def create_event(body: EventIn, session: DbSession, viewer: StaffViewer) -> Any:
    """Creates an event with its meeting blocks and numbered tables (operators, their cities)."""
    service = EventService(session, viewer)
    return _detail(service, service.create_event(body).id)


@router.get("", response_model=Page[dict[str, Any]], summary="对接会列表")
def list_events(session: DbSession, viewer: CurrentViewer, paging: Paging) -> Any:
    """Published events (staff also see their cities' unpublished ones)."""
    service = EventService(session, viewer)
    rows, total = service.list_events(paging)
    counts = service.events.participant_counts(r.id for r in rows)
    items = [present_event(r, service, counts.get(r.id, 0)) for r in rows]
    return {"items": items, "total": total, "page": paging.page, "page_size": paging.page_size}


@router.get("/{id}", response_model=EventDetailOut, summary="对接会详情")
def get_event(id: IdPath, session: DbSession, viewer: CurrentViewer) -> Any:
    """An event's public page: schedule of the day, blocks and slots, tables."""
    return _detail(EventService(session, viewer), id)


@router.post("/{id}/publish", response_model=EventDetailOut, summary="发布或隐藏对接会")
def publish(
    id: IdPath, session: DbSession, viewer: StaffViewer, published: bool = Query(True)
) -> Any:
    """Shows (or hides) the event's public page."""
    service = EventService(session, viewer)
    service.publish(id, published)
    return _detail(service, id)


@router.put("/{id}/tables/{number}", response_model=EventDetailOut, summary="固定桌位")
def fix_table(
    id: IdPath, number: IdPath, body: TableFixIn, session: DbSession, viewer: StaffViewer
) -> Any:
    """Fixes a table to a participant (an exhibitor's booth), or frees it."""
    service = EventService(session, viewer)
    service.fix_table(id, number, body.participant_id)
    return _detail(service, id)


@router.post(
    "/{id}/participants", response_model=RegisteredOut, status_code=201, summary="报名参会"
)
def register(
    id: IdPath,
    body: RegistrationIn,
    session: DbSession,
    viewer: CurrentViewer,
    request: Request,
    settings: AppSettings,
    limiter: LeadLimiter,
) -> Any:
    """Registers the logged-in member for their organisation, or a guest with consent; a guest
    gets a private link (shown once) to answer requests and read their agenda. Guests count
    against the per-client limit of the public forms (as leads do; a refused one does not)."""
    service = EventService(session, viewer)
    if viewer.is_anonymous or body.guest:
        with counted_lead(limiter, request, settings):
            participant, key = service.register(id, body)
    else:
        participant, key = service.register(id, body)
    out = present_participant(participant, service, participant)
    link = f"/events/guest/{key}" if key else None
    return RegisteredOut(**out.model_dump(), guest_link=link)


@router.post(
    "/{id}/participants/add",
    response_model=ParticipantOut,
    status_code=201,
    summary="代为登记参会人",
)
def add_participant(
    id: IdPath, body: RegistrationIn, session: DbSession, viewer: StaffViewer
) -> Any:
    """The organiser registers someone who consented (on paper, by phone)."""
    service = EventService(session, viewer)
    return present_participant(service.add_participant(id, body), service)


@router.post(
    "/{id}/participants/import",
    response_model=list[ParticipantOut],
    status_code=201,
    summary="导入参会人",
)
def import_participants_file(
    id: IdPath, file: UploadFile, session: DbSession, viewer: StaffViewer, settings: AppSettings
) -> Any:
    """Registers the participants of an .xlsx or .csv file with Chinese headers (单位名称, 姓名,
    手机号, 职务, 身份, 能提供, 想寻找, 固定桌号, 同意): every row, or none with each error
    (file, row, column, reason)."""
    name = file.filename or "participants.csv"
    data = file.file.read(settings.import_max_bytes + 1)
    if len(data) > settings.import_max_bytes:
        raise too_large(name, settings.import_max_bytes)
    service = EventService(session, viewer)
    before = {p.id for p in service.participant_list(id)}
    import_participants(session, viewer, id, name, data, limits_of(settings))
    event = service.get_event(id)
    tables = service.table_of(event)
    return [
        present_participant(p, service, None, tables)
        for p in service.participant_list(id)
        if p.id not in before
    ]


@router.get("/{id}/participants", response_model=list[ParticipantOut], summary="参会人")
def participants(
    id: IdPath, session: DbSession, viewer: CurrentViewer, key: EventKey = None
) -> Any:
    """The event's participants, contacts as the viewer may see them (the organiser and those
    with an agreed meeting see them in full)."""
    service = EventService(session, viewer)
    event = service.get_event(id)
    me = None if service.may_organise(event) else _me(service, id, key)
    tables = service.table_of(event)
    return [present_participant(p, service, me, tables) for p in service.participant_list(id)]


@router.get("/{id}/me", response_model=ParticipantOut, summary="我的报名")
def my_registration(
    id: IdPath, session: DbSession, viewer: CurrentViewer, key: EventKey = None
) -> Any:
    """The viewer's (or guest's) own registration."""
    service = EventService(session, viewer)
    me = _me(service, id, key)
    return present_participant(me, service, me)


@router.patch("/{id}/me", response_model=ParticipantOut, summary="修改资料与可用时段")
def update_me(
    id: IdPath, body: ProfileIn, session: DbSession, viewer: CurrentViewer, key: EventKey = None
) -> Any:
    """Changes one's profile, linked listings or the blocks one cannot make."""
    service = EventService(session, viewer)
    me = service.update_profile(_me(service, id, key), body)
    return present_participant(me, service, me)


@router.get("/{id}/suggestions", response_model=list[SuggestionOut], summary="推荐会面")
def suggestions(id: IdPath, session: DbSession, viewer: CurrentViewer, key: EventKey = None) -> Any:
    """The people to meet, from the matcher over one's linked listings, with reasons."""
    service = EventService(session, viewer)
    me = _me(service, id, key)
    return [present_suggestion(s, service, me) for s in service.suggestions(me)]


@router.get("/{id}/requests", response_model=list[RequestOut], summary="约见")
def requests(id: IdPath, session: DbSession, viewer: CurrentViewer, key: EventKey = None) -> Any:
    """One's requests sent and received; the organiser gets every request of the event."""
    service = EventService(session, viewer)
    event = service.get_event(id)
    me = None
    if service.may_organise(event) and not key:
        rows = service.event_requests(id)
    else:
        me = _me(service, id, key)
        rows = service.requests_of(me)
    people = {p.id: p for p in service.participant_list(id)}
    return [present_request(r, service, event, people, me) for r in rows]


@router.post("/{id}/requests", response_model=RequestOut, status_code=201, summary="发起约见")
def send_request(
    id: IdPath, body: RequestIn, session: DbSession, viewer: CurrentViewer, key: EventKey = None
) -> Any:
    """Asks another participant to meet (accepted at once in opt-out events)."""
    service = EventService(session, viewer)
    me = _me(service, id, key)
    request = service.send(me, body)
    event = service.get_event(id)
    people = {p.id: p for p in service.participant_list(id)}
    return present_request(request, service, event, people, me)


@router.post("/{id}/requests/{request_id}", response_model=RequestOut, summary="回复约见")
def act(
    id: IdPath,
    request_id: IdPath,
    body: ActionIn,
    session: DbSession,
    viewer: CurrentViewer,
    key: EventKey = None,
) -> Any:
    """Accepts, declines or cancels a request, with an optional message."""
    service = EventService(session, viewer)
    event = service.get_event(id)
    found = service.requests.get(request_id)
    if found is None or found.event_id != id:
        raise NotFound(f"约见{request_id}不存在", message_en=f"request {request_id} not found")
    me = _me(service, id, key) if key or not service.may_organise(event) else None
    request = service.act(request_id, body.action, me=me, message=body.message)
    people = {p.id: p for p in service.participant_list(id)}
    return present_request(request, service, event, people, me)


@router.post("/{id}/schedule", response_model=ScheduleOut, status_code=202, summary="排期")
def schedule(
    id: IdPath,
    viewer: StaffViewer,
    request: Request,
    response: Response,
    time_limit: float = Query(10.0, ge=0.1, le=units.MAX_TIME_LIMIT),
    wait: bool = Query(False, description="Answer when done (200) instead of at once (202)."),
) -> Any:
    """Turns accepted requests into meetings at slots and tables: the greedy schedule at once,
    improved by CP-SAT within the time limit; current meetings move as little as possible and
    locked ones stay. Runs in the background; GET /events/{id}/schedule shows its progress."""
    database = get_database(request)
    if wait:
        units.run(database, viewer, id, time_limit)
        response.status_code = 200
    else:
        units.start(database, viewer, id, time_limit)
    return _schedule_state(database, viewer, id)


def _schedule_state(database: Any, viewer: Viewer, id: int) -> ScheduleOut:
    with database.unit_of_work() as session:
        service = EventService(session, viewer)
        event = service.schedule_status(id)
        return present_schedule(event, len(service.meetings.of_event(id)))


@router.get("/{id}/schedule", response_model=ScheduleOut, summary="排期进度")
def schedule_state(id: IdPath, session: DbSession, viewer: StaffViewer) -> Any:
    """Where the scheduler is: state, meetings found so far, the bound, seconds."""
    service = EventService(session, viewer)
    event = service.schedule_status(id)
    return present_schedule(event, len(service.meetings.of_event(id)))


@router.get("/{id}/meetings", response_model=list[MeetingOut], summary="会面总表")
def meetings(id: IdPath, session: DbSession, viewer: StaffViewer) -> Any:
    """Every meeting (the organiser's grid of slots × tables)."""
    service = EventService(session, viewer)
    event, slots, rows, requests, people = service.grid(id)
    tables = {t.id: t.number for t in event.tables}
    outcomes = service.meetings.outcomes(m.id for m in rows)
    return [
        present_meeting(
            m,
            requests[m.request_id],
            slots[m.slot],
            tables[m.table_id],
            service,
            people,
            outcomes.get(m.id, []),
        )
        for m in rows
        if 0 <= m.slot < len(slots)
    ]


@router.post("/{id}/meetings/{meeting_id}/lock", response_model=MeetingOut, summary="锁定会面")
def lock(
    id: IdPath,
    meeting_id: IdPath,
    session: DbSession,
    viewer: StaffViewer,
    locked: bool = Query(True),
) -> Any:
    """Keeps a meeting at its slot and table when the event is scheduled again."""
    service = EventService(session, viewer)
    meeting = service.lock(id, meeting_id, locked)
    event, slots, _, requests, people = service.grid(id)
    tables = {t.id: t.number for t in event.tables}
    return present_meeting(
        meeting,
        requests[meeting.request_id],
        slots[meeting.slot],
        tables[meeting.table_id],
        service,
        people,
        service.meetings.outcomes([meeting.id])[meeting.id],
    )


@router.get("/{id}/agenda", response_model=list[MeetingOut], summary="我的日程")
def agenda(id: IdPath, session: DbSession, viewer: CurrentViewer, key: EventKey = None) -> Any:
    """One's meetings in time order, with table and counterpart."""
    service = EventService(session, viewer)
    me = _me(service, id, key)
    return present_agenda(service.agenda(me), service, me)


@router.get(
    "/{id}/agenda.ics",
    summary="我的日程 (iCalendar)",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def agenda_calendar(
    id: IdPath, session: DbSession, viewer: CurrentViewer, key: EventKey = None
) -> Response:
    """One's meetings as an .ics file (RFC 5545, times in Asia/Shanghai)."""
    service = EventService(session, viewer)
    me = _me(service, id, key)
    event = service.get_event(id)
    body = agenda_ics(event, service.agenda(me), me, request_host="factorlink")
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="event-{id}-agenda.ics"'},
    )


@router.post(
    "/{id}/participants/{participant_id}/check-in",
    response_model=ParticipantOut,
    summary="签到",
)
def check_in(
    id: IdPath,
    participant_id: IdPath,
    session: DbSession,
    viewer: StaffViewer,
    present: bool = Query(True),
) -> Any:
    """Checks a participant in at the desk (present=false undoes it)."""
    service = EventService(session, viewer)
    return present_participant(service.check_in(id, participant_id, present), service)


@router.post("/{id}/meetings/{meeting_id}/outcome", response_model=MeetingOut, summary="会面结果")
def outcome(
    id: IdPath,
    meeting_id: IdPath,
    body: OutcomeIn,
    session: DbSession,
    viewer: CurrentViewer,
    key: EventKey = None,
) -> Any:
    """One side marks a meeting held or not, their interest and the next step; interest on
    both sides makes an introduction in the pipeline, attributed to the event."""
    service = EventService(session, viewer)
    me = _me(service, id, key)
    service.mark(
        me, meeting_id, held=body.held, interested=body.interested, next_step=body.next_step
    )
    items = [i for i in service.agenda(me) if i.meeting.id == meeting_id]
    return present_agenda(items, service, me)[0]


@router.get("/{id}/stats", response_model=EventStatsOut, summary="对接会统计")
def stats(id: IdPath, session: DbSession, viewer: StaffViewer) -> Any:
    """Participants, requests, meetings held, introductions and signed deals of the event."""
    service = EventService(session, viewer)
    service.organise(id)
    return present_stats(service.stats(id))
