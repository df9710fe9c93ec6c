"""Event pages (对接会): the list and public page, registration (a phone first), a participant's
page — suggestions, requests in and out, the agenda with its .ics and outcomes — for a member at
/events/{id}/me and for a guest at their private link /events/guest/{key}; and the organiser's
pages: new event, participants with check-in, the schedule button with its progress, the grid
of slots × tables and the printable table cards.

While a schedule runs the organiser's page refreshes itself every two seconds (a meta refresh,
no script needed) and shows the meetings found so far and the bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import PurePath
from typing import Any

from fastapi import APIRouter
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.responses import RedirectResponse, Response

from factorlink.api.deps import AppSettings, DbSession, LeadLimiter, get_database
from factorlink.api.limits import needs_login, takes_upload
from factorlink.auth import access
from factorlink.auth.viewer import Viewer
from factorlink.errors import FactorLinkError, InvalidInput
from factorlink.event import units
from factorlink.event.calendar import agenda_ics
from factorlink.event.columns import import_participants
from factorlink.event.models import EventParticipant
from factorlink.event.presenter import (
    present_agenda,
    present_event,
    present_participant,
    present_request,
    present_schedule,
    present_stats,
    present_suggestion,
)
from factorlink.event.rules import Action
from factorlink.event.schemas import (
    BlockIn,
    EventIn,
    OutcomeIn,
    ProfileIn,
    RegistrationIn,
    RequestIn,
)
from factorlink.event.service import EventService, own_listings
from factorlink.event.vocab import KIND_LABELS, MODE_LABELS, ROLE_LABELS
from factorlink.imports.readers import limits_of, too_large
from factorlink.kit import timezones
from factorlink.kit.ids import IdPath
from factorlink.kit.pagination import PageParams
from factorlink.kit.timezones import BEIJING
from factorlink.lead.ratelimit import counted_lead
from factorlink.web.context import Web, WebRequest
from factorlink.web.errors import login_redirect
from factorlink.web.forms import CheckedForm, FieldErrors, field_errors, parse_model, text_fields
from factorlink.web.i18n import register
from factorlink.web.render import finish, render

router = APIRouter()
# The organiser's button gives the solver this long; the command line may give more.
BUTTON_TIME_LIMIT = 10.0

REGISTRATION_KEYS = (
    "role",
    "contact_name",
    "contact_mobile",
    "organization_name",
    "position",
    "offers",
    "seeks",
)
EVENT_KEYS = (
    "title",
    "kind",
    "city",
    "organiser_name",
    "venue",
    "online_url",
    "description",
    "slot_minutes",
    "tables",
    "max_meetings",
    "request_mode",
    "opens",
    "closes",
    "day",
    "block1_start",
    "block1_end",
    "block2_start",
    "block2_end",
)


def beijing(value: datetime | None) -> str:
    """A time as people at the event read it (Beijing time)."""
    return timezones.beijing(value) or "—"


def hhmm(value: datetime) -> str:
    return timezones.beijing(value, "%H:%M")


@dataclass(frozen=True)
class Who:
    """The participant a page is for and the address their forms post to."""

    service: EventService
    me: EventParticipant
    base: str


def _member(session: Session, web: WebRequest, event_id: int) -> Who:
    service = EventService(session, web.viewer)
    return Who(service, service.me(event_id), f"/events/{event_id}/me")


def _guest(session: Session, web: WebRequest, key: str) -> Who:
    service = EventService(session, web.viewer)
    return Who(service, service.guest(key), f"/events/guest/{key}")


def _who(session: Session, web: WebRequest, event_id: int | None, key: str | None) -> Who:
    if key is not None:
        return _guest(session, web, key)
    assert event_id is not None
    return _member(session, web, event_id)


# The list and the public page --------------------------------------------------------------


@router.get("/events")
def events_page(web: Web, session: DbSession) -> Response:
    """Published events (staff also see their cities' drafts)."""
    service = EventService(session, web.viewer)
    rows, _ = service.list_events(PageParams(page=1, page_size=50))
    counts = service.events.participant_counts(r.id for r in rows)
    items = [present_event(r, service, counts.get(r.id, 0)) for r in rows]
    return render(web, "events/index.html", events=items, beijing=beijing)


def _new_form(
    web: WebRequest, values: dict[str, str], errors: FieldErrors, status: int = 200
) -> Response:
    return render(
        web,
        "events/new.html",
        status=status,
        values=values,
        errors=errors,
        kinds=list(KIND_LABELS.items()),
        modes=list(MODE_LABELS.items()),
    )


@router.get("/events/new")
def new_event_page(web: Web) -> Response:
    """The organiser's form for a new event."""
    access.require_staff(web.viewer, ("仅运营人员可创建对接会", "Operators create events"))
    now = datetime.now(BEIJING)
    day = (now + timedelta(days=14)).date().isoformat()
    values = {
        "kind": "matchmaking",
        "slot_minutes": "20",
        "tables": "10",
        "request_mode": "opt_in",
        "opens": now.strftime("%Y-%m-%dT%H:%M"),
        "closes": f"{(now + timedelta(days=13)).date().isoformat()}T18:00",
        "day": day,
        "block1_start": "09:30",
        "block1_end": "11:30",
        "block2_start": "14:00",
        "block2_end": "16:00",
    }
    return _new_form(web, values, {})


def _local(text: str | None, field: str) -> datetime:
    try:
        value = datetime.fromisoformat((text or "").strip())
    except ValueError:
        raise InvalidInput(
            "时间格式无效",
            message_en="invalid time",
            errors=[{"field": field, "reason": "时间格式无效", "reason_en": "invalid time"}],
        ) from None
    return (value if value.tzinfo else value.replace(tzinfo=BEIJING)).astimezone(UTC)


def event_form(values: dict[str, str]) -> EventIn:
    """An event from the organiser's form: one day with up to two blocks, in Beijing time."""
    blocks = []
    for n in (1, 2):
        start, end = values.get(f"block{n}_start"), values.get(f"block{n}_end")
        if start and end:
            day = values.get("day", "")
            blocks.append(
                BlockIn(
                    starts_at=_local(f"{day}T{start}", f"block{n}_start"),
                    ends_at=_local(f"{day}T{end}", f"block{n}_end"),
                )
            )
    data: dict[str, Any] = {
        k: values.get(k)
        for k in (
            "title",
            "kind",
            "city",
            "organiser_name",
            "venue",
            "online_url",
            "description",
            "slot_minutes",
            "tables",
            "max_meetings",
            "request_mode",
        )
        if values.get(k)
    }
    data["registration_opens_at"] = _local(values.get("opens"), "opens")
    data["registration_closes_at"] = _local(values.get("closes"), "closes")
    data["blocks"] = blocks
    return parse_model(EventIn, data)


@router.post("/events/new")
@needs_login
def create_event_page(web: Web, form: CheckedForm) -> Response:
    """Creates the event and opens its organiser page."""
    values = text_fields(form, EVENT_KEYS)
    try:
        body = event_form(values)
        event_id = web.attempt(lambda s, viewer: EventService(s, viewer).create_event(body).id)
    except FactorLinkError as exc:
        return _new_form(web, values, field_errors(exc), status=exc.status)
    return RedirectResponse(f"/events/{event_id}/manage?created=1", status_code=303)


def _public(
    web: WebRequest,
    session: Session,
    event_id: int,
    values: dict[str, str] | None = None,
    errors: FieldErrors | None = None,
    status: int = 200,
) -> Response:
    service = EventService(session, web.viewer)
    event = service.get_event(event_id)
    counts = service.events.participant_counts([event.id])
    mine = service.my_registration(event.id)
    slots = service.slots(event)
    blocks = [
        {
            "id": b.id,
            "label": b.label,
            "day": timezones.beijing(b.starts_at, "%m-%d"),
            "start": hhmm(b.starts_at),
            "end": hhmm(b.ends_at),
            "slots": sum(1 for s in slots if s.block_id == b.id),
        }
        for b in event.blocks
    ]
    listings = (
        own_listings(session, web.viewer.organization_id)
        if not web.viewer.is_anonymous and mine is None
        else []
    )
    return render(
        web,
        "events/event.html",
        status=status,
        event=present_event(event, service, counts.get(event.id, 0)),
        blocks=blocks,
        mine=mine,
        organiser=service.may_organise(event),
        listings=listings,
        roles=list(ROLE_LABELS.items()),
        values=values or {},
        errors=errors or {},
        beijing=beijing,
    )


@router.get("/events/{id}")
def event_page(web: Web, id: IdPath, session: DbSession) -> Response:
    """An event's public page, with registration (as a member, or as a guest)."""
    return _public(web, session, id)


def _checked(form: FormData, key: str) -> list[str]:
    return [v for v in form.getlist(key) if isinstance(v, str) and v.strip()]


@router.post("/events/{id}/register")
def register_page(
    web: Web,
    id: IdPath,
    form: CheckedForm,
    session: DbSession,
    settings: AppSettings,
    limiter: LeadLimiter,
) -> Response:
    """Registers the viewer (or a guest with consent); a guest lands on their private link.
    Guests count against the per-client limit of the public forms, as leads do."""
    values = text_fields(form, REGISTRATION_KEYS)
    listings = _checked(form, "listings")
    unavailable = _checked(form, "unavailable")
    try:
        body = parse_model(
            RegistrationIn,
            {
                **values,
                "listings": listings,
                "unavailable_blocks": unavailable,
                "consent": form.get("consent") == "yes",
                "guest": web.viewer.is_anonymous,
            },
        )
        if web.viewer.is_anonymous:
            with counted_lead(limiter, web.request, settings):
                key = web.attempt(lambda s, viewer: EventService(s, viewer).register(id, body)[1])
        else:
            key = web.attempt(lambda s, viewer: EventService(s, viewer).register(id, body)[1])
    except FactorLinkError as exc:
        return _public(web, session, id, values, field_errors(exc), status=exc.status)
    if key is not None:
        return RedirectResponse(f"/events/guest/{key}?registered=1", status_code=303)
    return RedirectResponse(f"/events/{id}/me?registered=1", status_code=303)


# A participant's page -------------------------------------------------------------------------


def _home(
    web: WebRequest, who: Who, error: FieldErrors | None = None, status: int = 200
) -> Response:
    service, me = who.service, who.me
    event = service.get_event(me.event_id)
    people = {p.id: p for p in service.participant_list(event.id)}
    suggestions = [present_suggestion(s, service, me) for s in service.suggestions(me)]
    requests = [present_request(r, service, event, people, me) for r in service.requests_of(me)]
    agenda = present_agenda(service.agenda(me), service, me)
    counts = service.events.participant_counts([event.id])
    return render(
        web,
        "events/me.html",
        status=status,
        event=present_event(event, service, counts.get(event.id, 0)),
        me=present_participant(me, service, me),
        base=who.base,
        suggestions=suggestions,
        incoming=[r for r in requests if r.recipient.id == me.id],
        outgoing=[r for r in requests if r.sender.id == me.id],
        agenda=agenda,
        now=datetime.now(UTC),
        error=error,
        beijing=beijing,
        hhmm=hhmm,
    )


@router.get("/events/{id}/me")
def member_home(web: Web, id: IdPath, session: DbSession) -> Response:
    """A member's page at an event: suggestions, requests, agenda."""
    if web.viewer.is_anonymous:
        return login_redirect(web.request)
    return _home(web, _member(session, web, id))


@router.get("/events/guest/{key}")
def guest_home(web: Web, key: str, session: DbSession) -> Response:
    """A guest's page, at their private link."""
    response = _home(web, _guest(session, web, key))
    response.headers["Referrer-Policy"] = "no-referrer"  # the link is the guest's key
    return response


def _act(
    web: WebRequest,
    session: Session,
    event_id: int | None,
    key: str | None,
    work: Any,
    anchor: str,
) -> Response:
    who = _who(session, web, event_id, key)
    me_id = who.me.id

    def run(s: Session, viewer: Viewer) -> None:
        service = EventService(s, viewer)
        me = service.participants.get(me_id)
        assert me is not None
        work(service, me)

    try:
        web.attempt(run)
    except FactorLinkError as exc:
        session.expire_all()
        return _home(web, _who(session, web, event_id, key), field_errors(exc), exc.status)
    return RedirectResponse(f"{who.base}#{anchor}", status_code=303)


def _send(form: FormData) -> Any:
    fields = text_fields(form, ("recipient_id", "message", "sender_listing", "recipient_listing"))
    body = parse_model(RequestIn, fields)
    return lambda service, me: service.send(me, body)


def _answer(request_id: int, form: FormData) -> Any:
    action = str(form.get("action") or "")
    if action not in (Action.accept, Action.decline, Action.cancel):
        raise InvalidInput("无效的操作", message_en=f"unknown action {action!r}")
    message = text_fields(form, ("message",)).get("message")
    return lambda service, me: service.act(request_id, Action(action), me=me, message=message)


def _outcome(meeting_id: int, form: FormData) -> Any:
    fields = text_fields(form, ("next_step",))
    body = parse_model(
        OutcomeIn,
        {
            "held": form.get("held") == "yes",
            "interested": form.get("interested") == "yes",
            "next_step": fields.get("next_step"),
        },
    )
    return lambda service, me: service.mark(
        me, meeting_id, held=body.held, interested=body.interested, next_step=body.next_step
    )


def _profile(form: FormData) -> Any:
    fields = text_fields(form, ("position", "offers", "seeks"))
    body = parse_model(
        ProfileIn,
        {
            "position": fields.get("position", ""),
            "offers": fields.get("offers", ""),
            "seeks": fields.get("seeks", ""),
            "unavailable_blocks": _checked(form, "unavailable"),
        },
    )
    return lambda service, me: service.update_profile(me, body)


def _guarded(
    web: WebRequest,
    session: Session,
    event_id: int | None,
    key: str | None,
    build: Any,
    anchor: str,
) -> Response:
    try:
        work = build()
    except FactorLinkError as exc:
        return _home(web, _who(session, web, event_id, key), field_errors(exc), exc.status)
    return _act(web, session, event_id, key, work, anchor)


@router.post("/events/{id}/me/requests")
@needs_login
def member_send(web: Web, id: IdPath, form: CheckedForm, session: DbSession) -> Response:
    """Sends a request to meet."""
    return _guarded(web, session, id, None, lambda: _send(form), "requests")


@router.post("/events/guest/{key}/requests")
def guest_send(web: Web, key: str, form: CheckedForm, session: DbSession) -> Response:
    """A guest sends a request to meet."""
    return _guarded(web, session, None, key, lambda: _send(form), "requests")


@router.post("/events/{id}/me/requests/{request_id}")
@needs_login
def member_answer(
    web: Web, id: IdPath, request_id: IdPath, form: CheckedForm, session: DbSession
) -> Response:
    """Accepts, declines or cancels a request."""
    return _guarded(web, session, id, None, lambda: _answer(request_id, form), "requests")


@router.post("/events/guest/{key}/requests/{request_id}")
def guest_answer(
    web: Web, key: str, request_id: IdPath, form: CheckedForm, session: DbSession
) -> Response:
    """A guest accepts, declines or cancels a request."""
    return _guarded(web, session, None, key, lambda: _answer(request_id, form), "requests")


@router.post("/events/{id}/me/meetings/{meeting_id}/outcome")
@needs_login
def member_outcome(
    web: Web, id: IdPath, meeting_id: IdPath, form: CheckedForm, session: DbSession
) -> Response:
    """Marks a meeting: held or not, interest, next step."""
    return _guarded(web, session, id, None, lambda: _outcome(meeting_id, form), "agenda")


@router.post("/events/guest/{key}/meetings/{meeting_id}/outcome")
def guest_outcome(
    web: Web, key: str, meeting_id: IdPath, form: CheckedForm, session: DbSession
) -> Response:
    """A guest marks a meeting."""
    return _guarded(web, session, None, key, lambda: _outcome(meeting_id, form), "agenda")


@router.post("/events/{id}/me/profile")
@needs_login
def member_profile(web: Web, id: IdPath, form: CheckedForm, session: DbSession) -> Response:
    """Changes one's profile and the blocks one cannot make."""
    return _guarded(web, session, id, None, lambda: _profile(form), "profile")


@router.post("/events/guest/{key}/profile")
def guest_profile(web: Web, key: str, form: CheckedForm, session: DbSession) -> Response:
    """A guest changes their profile and availability."""
    return _guarded(web, session, None, key, lambda: _profile(form), "profile")


def _ics(web: WebRequest, who: Who) -> Response:
    event = who.service.get_event(who.me.event_id)
    body = agenda_ics(
        event,
        who.service.agenda(who.me),
        who.me,
        request_host=web.request.url.hostname or "factorlink",
    )
    response = Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="event-{event.id}-agenda.ics"'},
    )
    return finish(web, response)


@router.get("/events/{id}/me/agenda.ics")
def member_ics(web: Web, id: IdPath, session: DbSession) -> Response:
    """One's agenda as an .ics file."""
    if web.viewer.is_anonymous:
        return login_redirect(web.request)
    return _ics(web, _member(session, web, id))


@router.get("/events/guest/{key}/agenda.ics")
def guest_ics(web: Web, key: str, session: DbSession) -> Response:
    """A guest's agenda as an .ics file."""
    return _ics(web, _guest(session, web, key))


def _printable(web: WebRequest, who: Who) -> Response:
    service, me = who.service, who.me
    event = service.get_event(me.event_id)
    counts = service.events.participant_counts([event.id])
    return render(
        web,
        "events/agenda.html",
        event=present_event(event, service, counts.get(event.id, 0)),
        me=present_participant(me, service, me),
        agenda=present_agenda(service.agenda(me), service, me),
        base=who.base,
        beijing=beijing,
        hhmm=hhmm,
    )


@router.get("/events/{id}/me/agenda")
def member_agenda(web: Web, id: IdPath, session: DbSession) -> Response:
    """One's agenda, printable."""
    if web.viewer.is_anonymous:
        return login_redirect(web.request)
    return _printable(web, _member(session, web, id))


@router.get("/events/guest/{key}/agenda")
def guest_agenda(web: Web, key: str, session: DbSession) -> Response:
    """A guest's agenda, printable."""
    return _printable(web, _guest(session, web, key))


# The organiser's pages -----------------------------------------------------------------------


def _manage(
    web: WebRequest,
    session: Session,
    id: int,
    error: FieldErrors | None = None,
    status: int = 200,
    import_errors: list[dict[str, Any]] | None = None,
) -> Response:
    service = EventService(session, web.viewer)
    event = service.organise(id)
    people = service.participant_list(id)
    tables = service.table_of(event)
    counts = service.events.participant_counts([event.id])
    return render(
        web,
        "events/manage.html",
        status=status,
        event=present_event(event, service, counts.get(event.id, 0)),
        participants=[present_participant(p, service, None, tables) for p in people],
        schedule=present_schedule(event, len(service.meetings.of_event(id))),
        stats=present_stats(service.stats(id)),
        error=error,
        import_errors=import_errors or [],
        beijing=beijing,
    )


@router.get("/events/{id}/manage")
def manage_page(web: Web, id: IdPath, session: DbSession) -> Response:
    """The organiser's page: participants and check-in, the schedule button and its progress,
    the event's figures."""
    return _manage(web, session, id)


@router.post("/events/{id}/manage/schedule")
@needs_login
def schedule_page(web: Web, id: IdPath, form: CheckedForm, session: DbSession) -> Response:
    """Starts scheduling in the background; the page shows its progress."""
    try:
        units.start(get_database(web.request), web.viewer, id, BUTTON_TIME_LIMIT)
    except FactorLinkError as exc:
        return _manage(web, session, id, field_errors(exc), exc.status)
    return RedirectResponse(f"/events/{id}/manage?running=1", status_code=303)


@router.post("/events/{id}/manage/import")
@takes_upload  # the body may be as large as an import file (api.limits)
@needs_login  # and a visitor's is refused unread
async def import_page(web: Web, id: IdPath, form: CheckedForm, settings: AppSettings) -> Response:
    """Registers the participants of an uploaded .xlsx or .csv file: every row, or none with
    each error (row, column, reason)."""
    limits = limits_of(settings)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput(
                "请选择要导入的文件",
                message_en="Choose a file to import",
                errors=[{"field": "file", "reason": "请选择要导入的文件", "reason_en": "no file"}],
            )
        name = PurePath(upload.filename).name
        data = await upload.read(settings.import_max_bytes + 1)
        if len(data) > settings.import_max_bytes:
            raise too_large(name, settings.import_max_bytes)

        def load(session: Session, viewer: Viewer) -> int:
            return import_participants(session, viewer, id, name, data, limits)

        count = await run_in_threadpool(web.attempt, load)
    except FactorLinkError as exc:
        with get_database(web.request).unit_of_work() as session:
            return _manage(web, session, id, field_errors(exc), exc.status, exc.errors)
    return RedirectResponse(f"/events/{id}/manage?imported={count}#participants", status_code=303)


@router.post("/events/{id}/manage/check-in/{participant_id}")
@needs_login
def check_in_page(
    web: Web, id: IdPath, participant_id: IdPath, form: CheckedForm, session: DbSession
) -> Response:
    """Checks a participant in (or undoes it)."""
    present = form.get("present") != "no"
    try:
        web.attempt(lambda s, viewer: EventService(s, viewer).check_in(id, participant_id, present))
    except FactorLinkError as exc:
        return _manage(web, session, id, field_errors(exc), exc.status)
    return RedirectResponse(f"/events/{id}/manage#p-{participant_id}", status_code=303)


def _grid(service: EventService, id: int) -> dict[str, Any]:
    event, slots, meetings, requests, people = service.grid(id)
    numbers = {t.id: t.number for t in event.tables}
    outcomes = service.meetings.outcomes(m.id for m in meetings)
    cells: dict[tuple[int, int], Any] = {}
    for m in meetings:
        r = requests[m.request_id]
        cells[(m.slot, numbers[m.table_id])] = {
            "meeting": m,
            "request": r,
            "a": people[r.sender_id],
            "b": people[r.recipient_id],
            "outcomes": outcomes.get(m.id, []),
        }
    placed = {m.request_id for m in meetings}
    unplaced = [
        {"request": r, "a": people[r.sender_id], "b": people[r.recipient_id]}
        for r in requests.values()
        if r.status in ("accepted",) and r.id not in placed
    ]
    fixed = {t.number: people.get(t.fixed_participant_id or 0) for t in event.tables}
    busy_blocks = {p.id: set(p.unavailable_blocks or ()) for p in people.values()}
    return {
        "event": event,
        "slots": slots,
        "tables": [t.number for t in event.tables],
        "cells": cells,
        "unplaced": unplaced,
        "fixed": fixed,
        "people": people,
        "busy_blocks": busy_blocks,
    }


@router.get("/events/{id}/grid")
def grid_page(web: Web, id: IdPath, session: DbSession) -> Response:
    """The grid of slots × tables: every meeting, its status and outcomes; accepted requests the
    schedule could not place are listed under it."""
    service = EventService(session, web.viewer)
    data = _grid(service, id)
    counts = service.events.participant_counts([id])
    return render(
        web,
        "events/grid.html",
        summary=present_event(data["event"], service, counts.get(id, 0)),
        hhmm=hhmm,
        beijing=beijing,
        **data,
    )


@router.get("/events/{id}/cards")
def cards_page(web: Web, id: IdPath, session: DbSession) -> Response:
    """Table cards to print: one per table, with its meetings slot by slot."""
    service = EventService(session, web.viewer)
    data = _grid(service, id)
    counts = service.events.participant_counts([id])
    return render(
        web,
        "events/cards.html",
        summary=present_event(data["event"], service, counts.get(id, 0)),
        hhmm=hhmm,
        beijing=beijing,
        **data,
    )


register(
    {
        "对接会": "Events",
        "要素对接会": "Matchmaking events",
        "暂无对接会": "No events yet",
        "新建对接会": "New event",
        "报名参会": "Register",
        "报名中": "Registration open",
        "报名已截止": "Registration closed",
        "报名截止": "Registration closes",
        "参会人数": "Participants",
        "会场": "Venue",
        "线上": "Online",
        "会面时段": "Meeting blocks",
        "每场": "Each meeting",
        "分钟": "min",
        "约见方式": "Requests",
        "每人最多会面": "Meetings per person at most",
        "场": "",
        "身份": "Role",
        "姓名": "Name",
        "手机号": "Mobile",
        "单位名称": "Organisation",
        "职务": "Position",
        "能提供": "Offers",
        "想寻找": "Seeks",
        "关联本单位发布的信息(用于推荐会面)": "Your organisation's listings (to suggest meetings)",
        "不能参加的时段": "Blocks you cannot make",
        "我同意主办方和与我会面的人查看我的姓名、单位和手机号,仅用于本次对接会": (
            "I agree that the organiser and the people I meet see my name, organisation and "
            "mobile, for this event only"
        ),
        "以嘉宾身份报名(无需账号)": "Register as a guest (no account needed)",
        "登录后以本单位身份报名,可关联已发布的信息": (
            "Log in to register for your organisation and link its listings"
        ),
        "您已报名": "You are registered",
        "进入我的对接会": "Open my event page",
        "组织者页面": "Organiser page",
        "推荐会面": "Suggested meetings",
        "约见": "Requests",
        "我的日程": "My agenda",
        "收到的约见": "Requests received",
        "发出的约见": "Requests sent",
        "发起约见": "Request a meeting",
        "留言(可选)": "Message (optional)",
        "接受": "Accept",
        "谢绝": "Decline",
        "取消": "Cancel",
        "推荐理由": "Why",
        "共同关键词": "Shared words",
        "暂无推荐": "No suggestions yet",
        "暂无约见": "No requests yet",
        "排期后在此显示您的会面": "Your meetings appear here once the organiser schedules",
        "下载日历(.ics)": "Download calendar (.ics)",
        "打印日程": "Print agenda",
        "桌": "Table",
        "号桌": "",
        "已约见": "Requested",
        "会面结果": "Outcome",
        "已会面": "Held",
        "有合作意向": "Interested",
        "下一步": "Next step",
        "保存": "Save",
        "补充资料(可选):职务、能提供、想寻找": "More (optional): position, offers, seeks",
        "报名成功": "You are registered",
        "请保存本页链接:这是您查看约见和日程的专属链接": (
            "Keep this page's link: it is your private link to your requests and agenda"
        ),
        "参会人": "Participants",
        "签到": "Check in",
        "已签到": "Checked in",
        "撤销签到": "Undo check-in",
        "排期": "Schedule",
        "开始排期": "Schedule meetings",
        "重新排期": "Schedule again",
        "排期中": "Scheduling",
        "已排期": "Scheduled",
        "未排期": "Not scheduled",
        "排期失败": "Scheduling failed",
        "场会面": "meetings",
        "上界": "Bound",
        "无会面的人": "People without a meeting",
        "用时": "Time",
        "秒": "s",
        "会面总表": "Meeting grid",
        "桌卡": "Table cards",
        "统计": "Figures",
        "约见数": "Requests",
        "会面数": "Meetings",
        "形成对接": "Introductions",
        "签约": "Signed",
        "未排入的已接受约见": "Accepted requests not placed",
        "时间": "Time",
        "我的资料": "My profile",
        "类型": "Kind",
        "标题": "Title",
        "城市": "City",
        "主办单位": "Organiser",
        "说明": "Description",
        "线上链接": "Online link",
        "会面时长(分钟)": "Meeting length (min)",
        "桌数": "Tables",
        "每人最多会面数": "Meetings per person",
        "报名开始": "Registration opens",
        "日期": "Date",
        "上午时段": "Morning block",
        "下午时段": "Afternoon block",
        "开始时间": "Start",
        "结束时间": "End",
        "创建": "Create",
        "对接会已创建": "The event is created",
        "对方": "With",
        "固定桌": "Fixed table",
        "固定": "fixed",
        "不可用": "unavailable",
        "导入参会人": "Import participants",
        "导入": "Import",
        "已导入参会人": "Participants imported",
        "表头:单位名称、姓名、手机号、职务、身份、能提供、想寻找、固定桌号、同意(须为“是”)": (
            "Headers: 单位名称, 姓名, 手机号, 职务, 身份, 能提供, 想寻找, 固定桌号, 同意 (是)"
        ),
        "未会面": "Not held",
        "已形成对接": "Introduction made",
    }
)
