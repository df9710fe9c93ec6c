"""The operators' workspace: the inbox (leads, and members' requests waiting to be accepted), a
lead's page with its matches and work log, the deal board, an introduction's page with its
timeline, and 发起对接 between any two parties, from a match or from a search for a counterpart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from factorlink.api.deps import AppSettings, DbSession
from factorlink.auth import access
from factorlink.auth.viewer import Viewer
from factorlink.errors import FactorLinkError, InvalidInput
from factorlink.introduction.models import Introduction, IntroductionStatus, PartyKind
from factorlink.introduction.parties import party_label
from factorlink.introduction.presenter import (
    present_detail,
    present_introduction,
    present_party,
)
from factorlink.introduction.repository import (
    IntroductionFilters,
    PartyRef,
    staff_users,
)
from factorlink.introduction.schemas import FollowUpIn, IntroductionOut, OwnerIn, TransitionIn
from factorlink.introduction.service import IntroductionService
from factorlink.introduction.vocab import STATUS_LABELS
from factorlink.kit.ids import MAX_ID, IdPath
from factorlink.kit.pagination import MAX_PAGE, PageParams
from factorlink.kit.timezones import MINUTE, beijing
from factorlink.lead.intake import STATUS_LABELS as LEAD_STATUS_LABELS
from factorlink.lead.intake import TYPE_LABELS
from factorlink.lead.models import LeadStatus, LeadType
from factorlink.lead.presenter import inbox_file, present_inbox, xlsx_response
from factorlink.lead.repository import LeadFilters
from factorlink.lead.schemas import LeadStatusIn
from factorlink.lead.service import LeadService
from factorlink.listing.repository import ListingFilters
from factorlink.matching.service import match_for_lead
from factorlink.web import catalog
from factorlink.web.catalog import KINDS, detail_href
from factorlink.web.context import Web, WebRequest
from factorlink.web.forms import (
    CheckedForm,
    FieldErrors,
    field_errors,
    introduction_form,
    parse_model,
    text_fields,
)
from factorlink.web.i18n import register
from factorlink.web.matches import item
from factorlink.web.render import render

router = APIRouter(prefix="/workspace")
PAGE_SIZE = 20
BOARD_SIZE = 50
SEARCH_SIZE = 10
BOARD = tuple(IntroductionStatus)
# What a member's request is accepted or declined with, instead of the pipeline's words.
REQUEST_MOVES = {"proposed": "受理", "closed": "婉拒"}
# The kinds a counterpart may be searched among (leads first: the operators' own).
COUNTERPART_KINDS: tuple[str, ...] = ("lead", *KINDS)

register(
    {
        "待受理的对接申请": "Introduction requests waiting",
        "会员申请对接,受理后进入对接看板": "Members' requests: accepted ones join the board",
        "受理": "Accept",
        "婉拒": "Decline",
        "婉拒原因": "Why declined",
        "负责人": "Owner",
        "未指派": "Unassigned",
        "我负责的": "Mine",
        "指派": "Assign",
        "跟进记录": "Follow-ups",
        "添加跟进": "Add a follow-up",
        "跟进内容": "What was done",
        "下一步": "Next step",
        "截止日期": "Due",
        "暂无跟进": "No follow-ups yet",
        "已收到 %d 天": "Received %d days ago",
        "在此阶段 %d 天": "%d days in this stage",
        "回电超时": "Callback overdue",
        "停滞": "Stalled",
        "回电时限": "Call back by",
        "疑似重复": "Possible duplicate",
        "导出Excel": "Export to Excel",
        "搜索对接方": "Find a counterpart",
        "对接详情": "Introduction",
        "时间线": "Timeline",
        "对接方A(服务对象)": "Party A (served)",
        "对接方B": "Party B",
        "打开": "Open",
        "已有进行中的对接": "Open introduction",
        "税收": "Tax",
        "拨打": "Call",
        "为以下一方寻找对接方": "Find a counterpart for",
        "没有找到": "Nothing found",
        "北京时间": "Beijing time",
        "对接已发起": "Introduction proposed",
        "这两方已有进行中的对接": "These two already have an open introduction",
        "确认签约?签约后不可更改": "Sign the deal? A signed deal cannot be changed",
        "搜索结果": "Results",
        "收到时间": "Received",
    }
)


class LeadFilterIn(BaseModel):
    """The inbox filters as the address gives them."""

    status: LeadStatus | None = None
    lead_type: LeadType | None = None


def require_staff(web: WebRequest) -> None:
    """Only operators and admins work here."""
    access.require_staff(web.viewer)


def bj(at: datetime | None, fmt: str = MINUTE) -> str:
    """A stored time in Beijing time, as every page of the workspace shows times."""
    return beijing(at, fmt) or "—"


def _page(
    web: WebRequest, session: Session, template: str, status: int = 200, **context: Any
) -> Response:
    """A workspace page with the times in Beijing time and the staff one may assign."""
    owners = [(u.id, u.display_name or u.username) for u in staff_users(session)]
    return render(web, template, status=status, bj=bj, owners=owners, **context)


@router.get("")
def home(web: Web) -> Response:
    """The workspace opens on the inbox."""
    require_staff(web)
    return RedirectResponse("/workspace/leads", status_code=303)


def _lead_filters(
    web: WebRequest,
    status: str | None,
    lead_type: str | None,
    city: str | None,
    q: str | None,
    owner: str | None,
) -> tuple[LeadFilters, dict[str, Any]]:
    body = parse_model(LeadFilterIn, {"status": status or None, "lead_type": lead_type or None})
    mine = web.viewer.user_id if owner == "me" and web.viewer.user_id else None
    filters = LeadFilters(
        status=body.status,
        lead_type=body.lead_type,
        city=city or None,
        q=(q or "").strip() or None,
        owner_id=mine,
    )
    params = {
        "status": body.status,
        "type": body.lead_type,
        "city": city,
        "q": filters.q,
        "owner": "me" if mine else None,
    }
    return filters, {k: v.value if hasattr(v, "value") else v for k, v in params.items() if v}


Status = Annotated[str | None, Query(max_length=20)]
TypeQuery = Annotated[str | None, Query(alias="type", max_length=20)]
CityQuery = Annotated[str | None, Query(max_length=50)]
Words = Annotated[str | None, Query(max_length=100)]
OwnerQuery = Annotated[str | None, Query(max_length=10)]


@router.get("/leads")
def inbox(
    web: Web,
    session: DbSession,
    settings: AppSettings,
    status: Status = None,
    lead_type: TypeQuery = None,
    city: CityQuery = None,
    q: Words = None,
    owner: OwnerQuery = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    """The inbox: members' requests waiting to be accepted, then the leads in the operator's
    scope, newest first, each with company, purpose, tax, owner, age, callback deadline, days in
    status, next step and look-alikes; a blank filter (全部) is no filter."""
    require_staff(web)
    service = LeadService(session, web.viewer)
    filters, params = _lead_filters(web, status, lead_type, city, q, owner)
    rows, total = service.search(filters, PageParams(page, PAGE_SIZE))
    return _page(
        web,
        session,
        "workspace/leads.html",
        leads=present_inbox(service, list(rows), settings.lead_callback_working_days),
        requests=_requests(session, web.viewer),
        total=total,
        page=page,
        page_size=PAGE_SIZE,
        params=params,
        statuses=list(LEAD_STATUS_LABELS.items()),
        types=list(TYPE_LABELS.items()),
        cities=catalog.city_options(web.lang),
    )


def _requests(session: Session, viewer: Viewer) -> dict[str, Any]:
    """Members' requests (申请对接) waiting for an operator: the head of the same queue."""
    service = IntroductionService(session, viewer)
    filters = IntroductionFilters(status=IntroductionStatus.requested)
    rows, total = service.search(filters, PageParams(1, PAGE_SIZE))
    return {"items": _cards(service, rows), "total": total}


@router.get("/leads/export")
def export_leads(
    web: Web,
    session: DbSession,
    settings: AppSettings,
    status: Status = None,
    lead_type: TypeQuery = None,
    city: CityQuery = None,
    q: Words = None,
    owner: OwnerQuery = None,
) -> Response:
    """The inbox with its filters as 线索收件箱.xlsx."""
    require_staff(web)
    filters, _ = _lead_filters(web, status, lead_type, city, q, owner)
    body = inbox_file(
        LeadService(session, web.viewer), filters, settings.lead_callback_working_days
    )
    return xlsx_response(body)


@router.get("/leads/{id}")
def lead_detail(web: Web, session: DbSession, settings: AppSettings, id: IdPath) -> Response:
    """One lead with its work log, look-alikes and current matches, each ready to introduce."""
    require_staff(web)
    return _lead_page(web, session, settings.lead_callback_working_days, id)


def _lead_page(
    web: WebRequest,
    session: Session,
    working_days: int,
    id_: int,
    errors: FieldErrors | None = None,
    status: int = 200,
) -> Response:
    service = LeadService(session, web.viewer)
    lead = service.get(id_)
    matches = [item(m, staff=True) for m in match_for_lead(session, web.viewer, lead, 10)]
    intros = IntroductionService(session, web.viewer)
    open_with = _open_introductions(intros, (PartyKind.lead, lead.id))
    return _page(
        web,
        session,
        "workspace/lead.html",
        status=status,
        lead=present_inbox(service, [lead], working_days)[0],
        matches=matches,
        open_with=open_with,
        statuses=list(LEAD_STATUS_LABELS.items()),
        errors=errors or {},
    )


def _open_introductions(service: IntroductionService, ref: PartyRef) -> dict[tuple[str, int], int]:
    """The other side of each introduction of a party, with the introduction's id (the open
    one if any): where the page links instead of offering 发起对接 again."""
    found: dict[tuple[str, int], int] = {}
    for intro in service.repository.involving(*ref):
        sides = [(intro.party_a_kind, intro.party_a_id), (intro.party_b_kind, intro.party_b_id)]
        other = sides[1] if sides[0] == ref else sides[0]
        if intro.status not in ("signed", "closed"):
            found[(other[0].value, other[1])] = intro.id
    return found


def _lead_action(
    web: WebRequest, session: DbSession, settings: AppSettings, id_: int, work: Any
) -> Response:
    try:
        web.attempt(work)
    except FactorLinkError as exc:
        if exc.status in (401, 403, 404):
            raise
        return _lead_page(
            web, session, settings.lead_callback_working_days, id_, field_errors(exc), exc.status
        )
    return RedirectResponse(f"/workspace/leads/{id_}#work", status_code=303)


@router.post("/leads/{id}/status")
def lead_status(web: Web, id: IdPath, form: CheckedForm) -> Response:
    """Moves a lead in the inbox."""
    require_staff(web)
    body = parse_model(LeadStatusIn, text_fields(form, ("status",)))
    web.attempt(lambda session, viewer: LeadService(session, viewer).set_status(id, body.status))
    return RedirectResponse(f"/workspace/leads/{id}", status_code=303)


@router.post("/leads/{id}/owner")
def lead_owner(
    web: Web, session: DbSession, settings: AppSettings, id: IdPath, form: CheckedForm
) -> Response:
    """Gives a lead an owner (负责人), or none."""
    require_staff(web)
    fields = text_fields(form, ("owner_id",))

    def assign(s: Session, viewer: Viewer) -> None:
        body = parse_model(OwnerIn, {"owner_id": fields.get("owner_id")})
        LeadService(s, viewer).set_owner(id, body.owner_id)

    return _lead_action(web, session, settings, id, assign)


@router.post("/leads/{id}/follow-ups")
def lead_follow_up(
    web: Web, session: DbSession, settings: AppSettings, id: IdPath, form: CheckedForm
) -> Response:
    """Adds an entry to a lead's work log, with the next step and its day."""
    require_staff(web)
    fields = text_fields(form, ("note", "next_step", "due_on"))

    def add(s: Session, viewer: Viewer) -> None:
        body = parse_model(FollowUpIn, fields)
        LeadService(s, viewer).add_follow_up(id, body.note, body.next_step, body.due_on)

    return _lead_action(web, session, settings, id, add)


# --- introductions ---------------------------------------------------------------------------


def _cards(service: IntroductionService, rows: Sequence[Introduction]) -> list[IntroductionOut]:
    parties, desk = service.load_parties(rows), service.desk(rows)
    return [present_introduction(row, parties, service.contact, desk) for row in rows]


def _safe_back(back: str | None) -> str | None:
    """Only a page of this site: a path, never another host."""
    if back and back.startswith("/") and not back.startswith("//") and "\\" not in back:
        return back
    return None


@router.post("/introductions")
def introduce(web: Web, session: DbSession, settings: AppSettings, form: CheckedForm) -> Response:
    """Introduces party A (the one served: a lead or any listing) to party B, from a lead's
    matches, a listing's match panel or a counterpart search; the new introduction's page
    opens, proposed."""
    require_staff(web)
    fields = text_fields(form, ("a_kind", "a_id", "b_kind", "b_id", "note", "back"))

    def create(s: Session, viewer: Viewer) -> int:
        body = introduction_form(fields)
        a, b = body.party_a, body.party_b
        return IntroductionService(s, viewer).create((a.kind, a.id), (b.kind, b.id), body.note).id

    try:
        new_id = web.attempt(create)
    except FactorLinkError as exc:
        lead_id = fields.get("a_id", "")
        if fields.get("a_kind") != "lead" or not lead_id.isdigit() or exc.status == 403:
            existing = _existing(session, web.viewer, fields) if exc.status == 409 else None
            if existing is None:
                raise
            # From a listing's panel or a search: the pair's open introduction, said so.
            return RedirectResponse(
                f"/workspace/introductions/{existing}?exists=1", status_code=303
            )
        # Back on the lead's page, with the reason (e.g. an open introduction exists).
        return _lead_page(
            web,
            session,
            settings.lead_callback_working_days,
            int(lead_id),
            field_errors(exc),
            exc.status,
        )
    return RedirectResponse(f"/workspace/introductions/{new_id}?created=1", status_code=303)


def _existing(session: Session, viewer: Viewer, fields: dict[str, str]) -> int | None:
    """The open introduction of the two parties a refused form named, if that was the reason."""
    try:
        body = introduction_form(fields)
    except FactorLinkError:
        return None
    a, b = (body.party_a.kind, body.party_a.id), (body.party_b.kind, body.party_b.id)
    found = IntroductionService(session, viewer).repository.between(a, b, open_only=True)
    return found.id if found is not None else None


@router.get("/introductions/new")
def counterpart_search(
    web: Web,
    session: DbSession,
    a_kind: Annotated[str, Query(max_length=20)],
    a_id: Annotated[int, Query(ge=1, le=MAX_ID)],
    kind: Annotated[str | None, Query(max_length=20)] = None,
    q: Words = None,
) -> Response:
    """Searches a counterpart (party B) for a party A, by kind and keywords, each result ready
    to be introduced; the parties it already has an open introduction with link to it."""
    require_staff(web)
    service = IntroductionService(session, web.viewer)
    a_ref = _ref(a_kind, a_id)
    obj = service.parties.get(*a_ref)
    if obj is None:
        raise InvalidInput(
            f"{party_label(a_kind)} {a_id} 不存在", message_en=f"{a_kind} {a_id} not found"
        )
    party = present_party(a_ref[0], obj, service.contact(a_ref[0], obj))
    chosen = (
        kind
        if kind in COUNTERPART_KINDS
        else ("achievement" if a_kind != "achievement" else "demand")
    )
    words = (q or "").strip() or None
    results = _search(session, web.viewer, chosen, words, a_ref)
    return render(
        web,
        "workspace/counterpart.html",
        bj=bj,
        party=party,
        party_href=detail_href(party.kind, party.id),
        kinds=[(k, party_label(k)) for k in COUNTERPART_KINDS],
        kind=chosen,
        q=words or "",
        results=results,
        open_with=_open_introductions(service, a_ref),
    )


def _ref(kind: str, id_: int) -> PartyRef:
    try:
        return PartyKind(kind), id_
    except ValueError:
        raise InvalidInput(
            f"对接方类型“{kind}”无效", message_en=f"unknown party kind {kind!r}"
        ) from None


def _search(
    session: Session, viewer: Viewer, kind: str, q: str | None, exclude: PartyRef
) -> list[dict[str, Any]]:
    """The first results of a counterpart search: listings through their kind's search (active
    ones), leads through the inbox's."""
    found: list[dict[str, Any]] = []
    if kind == "lead":
        leads = LeadService(session, viewer)
        rows, _ = leads.search(LeadFilters(q=q), PageParams(1, SEARCH_SIZE))
        objs: list[Any] = list(rows)
    else:
        service = KINDS[kind].service(session, viewer)
        filters = ListingFilters(q=q, sort="relevance" if q else "newest", states=("active",))
        objs = list(service.find(filters, PageParams(1, SEARCH_SIZE)).rows)
    policy = IntroductionService(session, viewer)
    for obj in objs:
        ref = (PartyKind(kind), int(obj.id))
        if ref == exclude:
            continue
        party = present_party(ref[0], obj, policy.contact(ref[0], obj))
        found.append({"party": party, "href": detail_href(kind, party.id)})
    return found


def _board(web: WebRequest, session: Session) -> dict[str, Any]:
    service = IntroductionService(session, web.viewer)
    columns = []
    for status in BOARD:
        rows, total = service.search(IntroductionFilters(status=status), PageParams(1, BOARD_SIZE))
        items = _cards(service, rows)
        amount = sum(i.amount_wan or 0 for i in items)
        columns.append(
            {"status": status.value, "label": STATUS_LABELS[status], "total": total}
            | {"items": items, "amount": amount}
        )
    return {"columns": columns, "status_labels": STATUS_LABELS, "request_moves": REQUEST_MOVES}


@router.get("/introductions")
def board(web: Web, session: DbSession) -> Response:
    """The introductions board: requested → proposed → contacted → negotiating → signed, or
    closed; each card with both companies, owner, days in stage and next step."""
    require_staff(web)
    return render(
        web, "workspace/board.html", bj=bj, errors={}, failed=None, **_board(web, session)
    )


@router.get("/introductions/{id}")
def introduction_page(web: Web, session: DbSession, id: IdPath) -> Response:
    """One introduction: both parties (company, contact, purpose, tax), owner, next step, the
    timeline of its steps and follow-ups, and what may be done next."""
    require_staff(web)
    return _introduction_page(web, session, id)


def _introduction_page(
    web: WebRequest,
    session: Session,
    id_: int,
    errors: FieldErrors | None = None,
    status: int = 200,
) -> Response:
    service = IntroductionService(session, web.viewer)
    intro = service.get(id_)
    parties = service.load_parties([intro])
    desk = service.desk([intro])
    out = present_detail(intro, parties, service.contact, desk)
    names = desk.names if desk else {}
    leads = {ref[1]: obj for ref, obj in parties.items() if ref[0] == PartyKind.lead}
    return _page(
        web,
        session,
        "workspace/introduction.html",
        status=status,
        i=out,
        leads=leads,
        hrefs={
            "a": out.party_a and detail_href(out.party_a.kind, out.party_a.id),
            "b": out.party_b and detail_href(out.party_b.kind, out.party_b.id),
        },
        timeline=_timeline(out, names),
        status_labels=STATUS_LABELS,
        request_moves=REQUEST_MOVES,
        errors=errors or {},
    )


def _timeline(out: Any, names: Any) -> list[dict[str, Any]]:
    """Steps and follow-ups in the order they happened."""
    entries: list[dict[str, Any]] = [
        {
            "at": e.at,
            "kind": "step",
            "to": e.to_status,
            "label": STATUS_LABELS.get(e.to_status, e.to_status),
            "by": names.get(e.by_user_id) if e.by_user_id else None,
            "note": e.note,
        }
        for e in out.events
    ]
    entries += [
        {
            "at": f.at,
            "kind": "note",
            "by": f.by_name,
            "note": f.note,
            "next_step": f.next_step,
            "due_on": f.due_on,
        }
        for f in out.follow_ups
    ]
    return sorted(entries, key=lambda e: e["at"])


def _intro_action(web: WebRequest, session: Session, id_: int, work: Any) -> Response:
    try:
        web.attempt(work)
    except FactorLinkError as exc:
        if exc.status in (401, 403, 404):
            raise
        return _introduction_page(web, session, id_, field_errors(exc), exc.status)
    return RedirectResponse(f"/workspace/introductions/{id_}#work", status_code=303)


@router.post("/introductions/{id}/transition")
def transition(web: Web, session: DbSession, id: IdPath, form: CheckedForm) -> Response:
    """Moves one introduction a step; a refusal is shown on its card (board) or its page."""
    require_staff(web)
    fields = text_fields(form, ("to", "amount_wan", "reason", "note", "back"))
    back = _safe_back(fields.pop("back", None))
    try:
        body = parse_model(TransitionIn, fields)
        web.attempt(
            lambda s, viewer: IntroductionService(s, viewer).transition(
                id, body.to, amount_wan=body.amount_wan, reason=body.reason, note=body.note
            )
        )
    except FactorLinkError as exc:
        if back == f"/workspace/introductions/{id}":
            return _introduction_page(web, session, id, field_errors(exc), exc.status)
        return render(
            web,
            "workspace/board.html",
            status=exc.status,
            bj=bj,
            errors=field_errors(exc),
            failed=id,
            **_board(web, session),
        )
    return RedirectResponse(back or f"/workspace/introductions#intro-{id}", status_code=303)


@router.post("/introductions/{id}/owner")
def introduction_owner(web: Web, session: DbSession, id: IdPath, form: CheckedForm) -> Response:
    """Gives an introduction an owner (负责人), or none."""
    require_staff(web)
    fields = text_fields(form, ("owner_id",))

    def assign(s: Session, viewer: Viewer) -> None:
        body = parse_model(OwnerIn, {"owner_id": fields.get("owner_id")})
        IntroductionService(s, viewer).set_owner(id, body.owner_id)

    return _intro_action(web, session, id, assign)


@router.post("/introductions/{id}/follow-ups")
def introduction_follow_up(web: Web, session: DbSession, id: IdPath, form: CheckedForm) -> Response:
    """Adds an entry to an introduction's work log, with the next step and its day."""
    require_staff(web)
    fields = text_fields(form, ("note", "next_step", "due_on"))

    def add(s: Session, viewer: Viewer) -> None:
        body = parse_model(FollowUpIn, fields)
        IntroductionService(s, viewer).add_follow_up(id, body.note, body.next_step, body.due_on)

    return _intro_action(web, session, id, add)
