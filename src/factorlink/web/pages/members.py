"""A member's own area: 我的发布 (their organisation's listings, to edit, withdraw or close) and
我的对接 (their introduction requests and introductions), and the requests made from a listing's
page ("申请对接" on a match, "我能解决" on a demand)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from factorlink.api.deps import DbSession
from factorlink.api.limits import size_label
from factorlink.auth import access
from factorlink.auth.models import User
from factorlink.auth.viewer import Viewer
from factorlink.config import current_settings
from factorlink.db.factor import ListingState
from factorlink.errors import FactorLinkError, NotFound
from factorlink.introduction.models import IntroductionStatus, PartyKind
from factorlink.introduction.parties import party_owner
from factorlink.introduction.presenter import present_introduction
from factorlink.introduction.repository import IntroductionFilters, PartyRepository
from factorlink.introduction.service import IntroductionService
from factorlink.introduction.vocab import PURPOSES, status_label
from factorlink.kit.ids import IdPath
from factorlink.kit.pagination import MAX_PAGE, PageParams
from factorlink.kit.schemas import InputModel
from factorlink.listing.service import STATE_MOVES, state_label
from factorlink.photo.images import PER_UPLOAD
from factorlink.reference import city_name
from factorlink.web import catalog
from factorlink.web.catalog import KINDS, FactorKind, detail_href, shown_code
from factorlink.web.context import Web, WebRequest
from factorlink.web.errors import login_redirect
from factorlink.web.forms import (
    CheckedForm,
    field_errors,
    introduction_form,
    parse_model,
    text_fields,
)
from factorlink.web.i18n import register
from factorlink.web.listing_details import gallery
from factorlink.web.pages.forms import _cells, form_fields, industry_hints
from factorlink.web.render import render

router = APIRouter(prefix="/my")
# How many of each kind the page lists (newest first); beyond, the kind's own page pages on.
PER_KIND = 50
PAGE_SIZE = 20
# The words of the state buttons: what each move does.
MOVE_LABELS: dict[str, str] = {
    ListingState.withdrawn: "撤回",
    ListingState.active: "重新展示",
    ListingState.closed: "标记完成",
}

register(
    {
        "我的": "Mine",
        "我的发布": "My listings",
        "对接申请": "Request",
        "已保存": "Saved",
        "我的对接": "My introductions",
        "撤回申请": "Withdraw the request",
        "申请已撤回": "Request withdrawn",
        "撤回": "Withdraw",
        "重新展示": "Show again",
        "标记完成": "Mark as done",
        "展示中": "On show",
        "已撤回": "Withdrawn",
        "已解决": "Solved",
        "已成交": "Sold",
        "编辑": "Edit",
        "修改": "Edit ",
        "保存修改": "Save changes",
        "申请对接": "Ask for an introduction",
        "我能解决": "I can solve this",
        "待受理": "Requested",
        "本机构还没有发布信息": "Your organisation has not posted anything yet",
        "还没有对接或申请": "No introductions or requests yet",
        "撤回后公众不可见,记录保留,可重新展示;标记完成后不再参与搜索和匹配。": (
            "A withdrawn listing is hidden from the public and kept, and can be shown again; "
            "one marked as done is no longer searched or matched."
        ),
        "对接申请已提交,等待运营人员受理": "Your request was sent; an operator will review it",
        "本机构": "Our side",
        "对方": "Counterpart",
        "状态": "Status",
        "申请时间": "Requested",
        "用本机构的成果响应该需求": "Answer this demand with one of your achievements",
        "选择成果": "Choose an achievement",
        "本机构还没有可用于响应的科技成果": "Your organisation has no achievement on show to offer",
        "已有 %d 项成果响应": "%d achievements offered so far",
        "已申请": "Requested",
        "联系方式仅向发布机构、已进入“已联系”阶段的对接双方和运营人员完整显示。": (
            "Contacts are shown in full only to the posting organisation, to both sides of an "
            "introduction once contacted, and to operators."
        ),
        "登录后,本机构发布的信息和已联系的对接方可查看完整联系方式。": (
            "Log in to see the full contacts of your own listings and of counterparts you have "
            "been put in touch with."
        ),
        "对接进入“已联系”后可查看完整联系方式": "Shown in full once an introduction is contacted",
        "可点击“申请对接”,运营人员联系双方后即可查看对方联系方式。": (
            "Ask for an introduction: once an operator has contacted both sides, you see the "
            "counterpart's contact."
        ),
    }
)


def _member(web: WebRequest) -> Response | None:
    """A visitor is sent to log in first."""
    if web.viewer.is_anonymous:
        return login_redirect(web.request)
    return None


def _factor(kind: str) -> FactorKind:
    factor = KINDS.get(kind)
    if factor is None or factor.kind == PartyKind.organization:
        raise NotFound("没有这种信息类型", message_en=f"no listing kind {kind!r}")
    return factor


def listing_rows(session: Session, viewer: Viewer) -> list[dict[str, Any]]:
    """Every kind with the organisation's listings of it, in every state."""
    groups = []
    for factor in KINDS.values():
        if factor.kind == PartyKind.organization:
            continue
        service = factor.service(session, viewer)
        rows, total = service.mine(PageParams(1, PER_KIND))
        items = [
            {
                "id": row.id,
                "code": shown_code(row.code),
                "title": getattr(row, factor.title_field),
                "city_name": city_name(row.city) or "—",
                "state": row.state,
                "state_label": state_label(row.state, factor.kind),
                "moves": [
                    (move, MOVE_LABELS[move], state_label(move, factor.kind))
                    for move in STATE_MOVES.get(row.state, ())
                ],
                "updated_at": row.updated_at,
            }
            for row in rows
        ]
        groups.append({"factor": factor, "items": items, "total": total})
    return groups


@router.get("")
def home(web: Web) -> Response:
    """The member's area opens on their listings."""
    return _member(web) or RedirectResponse("/my/listings", status_code=303)


@router.get("/listings")
def my_listings(web: Web, session: DbSession) -> Response:
    """我的发布: the organisation's listings of every kind and state, each to edit, withdraw,
    show again or close."""
    if (redirect := _member(web)) is not None:
        return redirect
    groups = listing_rows(session, web.viewer)
    return render(
        web,
        "members/listings.html",
        groups=groups,
        empty=not any(g["items"] for g in groups),
        errors={},
    )


@router.get("/listings/{kind}/{id}/edit")
def edit_form(web: Web, session: DbSession, kind: str, id: IdPath) -> Response:
    """The post form of one's own listing, filled in with what it holds (and, for a carrier,
    its photos to upload, order and delete)."""
    if (redirect := _member(web)) is not None:
        return redirect
    return edit_page(web, session, _factor(kind), id)


def edit_page(
    web: WebRequest,
    session: Session,
    factor: FactorKind,
    id_: int,
    photo_errors: dict[str, tuple[str, str]] | None = None,
    status: int = 200,
) -> Response:
    """The edit page of a listing the viewer may change, as stored (the photo handlers show
    their refusals on it)."""
    service = factor.service(session, web.viewer)
    row: Any = service.get(id_)
    service.check_can_write(row)
    fields = form_fields(factor, web.viewer)
    cells = service.cells_of(row)
    values: dict[str, Any] = {f["key"]: cells.get(f["key"]) or "" for f in fields}
    for f in fields:
        if f["choices"] is not None:
            values[f["key"]] = list(getattr(row, f["key"], None) or [])
    return _edit_page(web, session, factor, row, fields, values, {}, status, photo_errors)


def _edit_page(
    web: WebRequest,
    session: Session,
    factor: FactorKind,
    row: Any,
    fields: list[dict[str, Any]],
    values: dict[str, Any],
    errors: dict[str, tuple[str, str]],
    status: int = 200,
    photo_errors: dict[str, tuple[str, str]] | None = None,
) -> Response:
    photos = None
    if factor.kind == PartyKind.carrier:
        settings = current_settings()
        photos = {
            "items": gallery(session, web.viewer, row),
            "errors": photo_errors or {},
            "most": settings.photo_max_count,
            "per_upload": PER_UPLOAD,
            "max_size": size_label(settings.photo_max_bytes),
            "action": f"/my/listings/carrier/{row.id}/photos",
        }
    return render(
        web,
        "forms/listing.html",
        status=status,
        factor=factor,
        fields=fields,
        values=values,
        errors=errors,
        editing={
            # A code derived from the name says nothing to a member; staff work with it.
            "code": row.code if web.viewer.is_staff else shown_code(row.code),
            "action": f"/my/listings/{factor.kind}/{row.id}/edit",
        },
        hints=industry_hints(values, web.lang),
        cities=catalog.city_options(web.lang),
        industries=catalog.industry_options(web.lang),
        photos=photos,
    )


@router.post("/listings/{kind}/{id}/edit")
def save_edit(web: Web, session: DbSession, kind: str, id: IdPath, form: CheckedForm) -> Response:
    """Saves the changes through the listing's service (owner or staff only); a cleared field is
    cleared, a wrong one comes back next to its field."""
    factor = _factor(kind)
    fields = form_fields(factor, web.viewer)
    cells = _cells(form, fields)
    # Every field of the form is stated: one left blank is emptied, not kept.
    stated = {f["key"]: cells.get(f["key"], "") for f in fields}

    def change(s: Session, viewer: Viewer) -> None:
        access.require_user(viewer)
        body: Any = parse_model(factor.form, {k: v for k, v in stated.items() if v != ""})
        given = body.model_dump(exclude_none=True)
        factor.service(s, viewer).update(id, {**stated, **given})

    try:
        web.attempt(change)
    except FactorLinkError as exc:
        if exc.status in (401, 403, 404):
            raise
        row = factor.service(session, web.viewer).get(id)
        values = {**stated, **{f["key"]: form.getlist(f["key"]) for f in fields if f["choices"]}}
        return _edit_page(web, session, factor, row, fields, values, field_errors(exc), exc.status)
    return RedirectResponse(f"/{factor.slug}/{id}?saved=1", status_code=303)


@router.post("/listings/{kind}/{id}/state")
def change_state(
    web: Web, session: DbSession, kind: str, id: IdPath, form: CheckedForm
) -> Response:
    """Withdraws, shows again or closes one's own listing; a refusal is shown on the list."""
    factor = _factor(kind)
    to = text_fields(form, ("to",)).get("to", "")

    def move(s: Session, viewer: Viewer) -> None:
        access.require_user(viewer)
        state = parse_model(_StateIn, {"to": to}).to
        factor.service(s, viewer).set_state(id, state)

    try:
        web.attempt(move)
    except FactorLinkError as exc:
        if exc.status in (401, 403, 404):
            raise
        groups = listing_rows(session, web.viewer)
        return render(
            web,
            "members/listings.html",
            status=exc.status,
            groups=groups,
            empty=False,
            errors=field_errors(exc),
        )
    return RedirectResponse(f"/my/listings#{factor.kind}-{id}", status_code=303)


@router.get("/introductions")
def my_introductions(
    web: Web,
    session: DbSession,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    """我的对接: the introductions and requests with the organisation on either side, newest
    first, with where each stands."""
    if (redirect := _member(web)) is not None:
        return redirect
    service = IntroductionService(session, web.viewer)
    rows, total = service.search(IntroductionFilters(), PageParams(page, PAGE_SIZE))
    parties = service.load_parties(rows)
    org_id = web.viewer.organization_id
    items = []
    for row in rows:
        out = present_introduction(row, parties, service.contact)
        ours, theirs = out.party_a, out.party_b
        if theirs is not None and theirs.organization_id == org_id:
            ours, theirs = theirs, ours
        items.append(
            {
                "intro": out,
                "ours": ours,
                "theirs": theirs,
                "ours_href": ours and detail_href(ours.kind, ours.id),
                "theirs_href": theirs and detail_href(theirs.kind, theirs.id),
                "requested_at": row.events[0].at if row.events else row.created_at,
                "cancellable": _own_pending_request(session, row, org_id),
            }
        )
    return render(
        web,
        "members/introductions.html",
        items=items,
        total=total,
        page=page,
        page_size=PAGE_SIZE,
    )


def _own_pending_request(session: Session, intro: Any, org_id: int | None) -> bool:
    """Whether an introduction is a request of the member's organisation still waiting for an
    operator: the one its members may withdraw (撤回申请)."""
    if intro.status != IntroductionStatus.requested or org_id is None:
        return False
    requester = session.get(User, intro.created_by_id or 0)
    return requester is not None and requester.organization_id == org_id


@router.post("/introductions/{id}/cancel")
def cancel_request(web: Web, id: IdPath, form: CheckedForm) -> Response:
    """Withdraws one's own request for an introduction while it waits for an operator."""

    def cancel(s: Session, viewer: Viewer) -> None:
        IntroductionService(s, viewer).cancel_request(id)

    web.attempt(cancel)
    return RedirectResponse(f"/my/introductions?cancelled={id}#intro-{id}", status_code=303)


@router.post("/introductions")
def request_introduction(web: Web, form: CheckedForm) -> Response:
    """Asks for an introduction (申请对接 on a match, 我能解决 on a demand): it waits in the
    operators' queue; the member follows it on 我的对接 and on the listing's page."""
    fields = text_fields(form, ("a", "a_kind", "a_id", "b_kind", "b_id", "note", "purpose", "back"))
    if fields.get("a"):  # one choice naming kind and id (本机构, or one of its listings)
        fields["a_kind"], _, fields["a_id"] = fields["a"].partition(":")
    purpose = fields.get("purpose", "")
    if purpose in PURPOSES:  # what was asked for heads the note the operator reads
        typed = fields.get("note", "").strip()
        fields["note"] = f"{purpose}:{typed}" if typed else purpose

    def create(s: Session, viewer: Viewer) -> int:
        body = introduction_form(fields)
        a, b = body.party_a, body.party_b
        return IntroductionService(s, viewer).request((a.kind, a.id), (b.kind, b.id), body.note).id

    new_id = web.attempt(create)
    back = fields.get("back", "")
    # Only a page of this site: a path, never another host.
    if back.startswith("/") and not back.startswith("//") and "\\" not in back:
        sep = "&" if "?" in back.split("#")[0] else "?"
        path, _, anchor = back.partition("#")
        return RedirectResponse(
            f"{path}{sep}requested={new_id}#{anchor or 'matches'}", status_code=303
        )
    return RedirectResponse(f"/my/introductions#intro-{new_id}", status_code=303)


class _StateIn(InputModel):
    """The state a listing is moved to."""

    to: ListingState


def _is_member(viewer: Viewer) -> bool:
    return not viewer.is_anonymous and not viewer.is_staff and viewer.organization_id is not None


def requests_of(
    session: Session, viewer: Viewer, kind: str, id_: int
) -> dict[tuple[str, int], dict[str, Any]]:
    """The member's own introductions and requests involving this listing, keyed by the other
    side, with their state: what the page shows instead of asking twice. Introductions of
    this listing with third parties are not the member's to see and are left out."""
    if not _is_member(viewer):
        return {}
    made = IntroductionService(session, viewer).own_with(PartyKind(kind), id_)
    return {
        (other[0].value, other[1]): {
            "id": intro.id,
            "status": intro.status.value,
            "label": status_label(intro.status),
        }
        for other, intro in made.items()
    }


def match_actions(
    session: Session,
    viewer: Viewer,
    kind: str,
    row: Any,
    items: list[dict[str, Any]],
) -> dict[tuple[str, int], dict[str, Any]]:
    """What a member may do with each match of a listing's panel: ask for an introduction of
    their own listing and the other (this listing if it is theirs, else a match that is theirs),
    or see the state of the request already made."""
    if not _is_member(viewer) or getattr(row, "state", "active") != "active":
        return {}
    org_id = viewer.organization_id
    states = requests_of(session, viewer, kind, row.id)
    page_owned = party_owner(PartyKind(kind), row) == org_id
    refs = [(PartyKind(m["kind"]), int(m["id"])) for m in items if m["kind"] != "lead"]
    loaded = PartyRepository(session).load(refs)
    actions: dict[tuple[str, int], dict[str, Any]] = {}
    for ref, obj in loaded.items():
        key = (ref[0].value, ref[1])
        match_owned = party_owner(ref[0], obj) == org_id
        if page_owned == match_owned:
            continue  # neither side is theirs, or both are
        if key in states:
            actions[key] = {"state": states[key]}
        elif page_owned:
            actions[key] = {"ask": (kind, row.id, key[0], key[1])}
        else:
            actions[key] = {"ask": (key[0], key[1], kind, row.id)}
    return actions


def demand_answer(session: Session, viewer: Viewer, row: Any) -> dict[str, Any] | None:
    """ "我能解决" on a demand of another organisation: the member's achievements on show to
    choose from, those already offered marked with their request's state."""
    if not _is_member(viewer) or row.state != ListingState.active:
        return None
    if row.organization_id == viewer.organization_id:
        return None
    service = KINDS["achievement"].service(session, viewer)
    own, _ = service.mine(PageParams(1, PER_KIND))
    states = requests_of(session, viewer, "demand", row.id)
    choices = [
        {"id": a.id, "title": a.title, "state": states.get(("achievement", a.id))}
        for a in own
        if a.state == ListingState.active
    ]
    return {"choices": choices, "open": [c for c in choices if c["state"] is None]}


def listing_extras(
    session: Session, viewer: Viewer, kind: str, row: Any, matches: list[dict[str, Any]]
) -> dict[str, Any]:
    """What a listing's page adds for members: the actions on its matches, "我能解决" and the
    count of responses on a demand, and whether the viewer owns it."""
    return {
        "actions": match_actions(session, viewer, kind, row, matches),
        "answer": demand_answer(session, viewer, row) if kind == "demand" else None,
        "responses": (
            IntroductionService(session, viewer).responses(row.id) if kind == "demand" else None
        ),
        "owned": _is_member(viewer) and party_owner(PartyKind(kind), row) == viewer.organization_id,
    }
