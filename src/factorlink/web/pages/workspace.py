"""The operators' workspace: the lead inbox (with matches to introduce) and the deal board."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from factorlink.api.deps import DbSession
from factorlink.auth import access
from factorlink.auth.viewer import Viewer
from factorlink.errors import FactorLinkError
from factorlink.introduction.models import IntroductionStatus
from factorlink.introduction.presenter import present_introduction
from factorlink.introduction.repository import IntroductionFilters
from factorlink.introduction.schemas import TransitionIn
from factorlink.introduction.service import IntroductionService
from factorlink.introduction.vocab import STATUS_LABELS
from factorlink.kit.ids import IdPath
from factorlink.kit.pagination import MAX_PAGE, PageParams
from factorlink.lead.intake import STATUS_LABELS as LEAD_STATUS_LABELS
from factorlink.lead.intake import TYPE_LABELS
from factorlink.lead.models import LeadStatus, LeadType
from factorlink.lead.presenter import present_lead
from factorlink.lead.repository import LeadFilters
from factorlink.lead.schemas import LeadStatusIn
from factorlink.lead.service import LeadService
from factorlink.matching.service import match_for_lead
from factorlink.web import catalog
from factorlink.web.context import Web, WebRequest
from factorlink.web.forms import (
    CheckedForm,
    FieldErrors,
    field_errors,
    introduction_form,
    parse_model,
    text_fields,
)
from factorlink.web.matches import item
from factorlink.web.render import render

router = APIRouter(prefix="/workspace")
PAGE_SIZE = 20
BOARD_SIZE = 50
BOARD = tuple(IntroductionStatus)


class LeadFilterIn(BaseModel):
    """The inbox filters as the address gives them."""

    status: LeadStatus | None = None
    lead_type: LeadType | None = None


def require_staff(web: WebRequest) -> None:
    """Only operators and admins work here."""
    access.require_staff(web.viewer)


@router.get("")
def home(web: Web) -> Response:
    """The workspace opens on the lead inbox."""
    require_staff(web)
    return RedirectResponse("/workspace/leads", status_code=303)


@router.get("/leads")
def inbox(
    web: Web,
    session: DbSession,
    status: Annotated[str | None, Query(max_length=20)] = None,
    lead_type: Annotated[str | None, Query(alias="type", max_length=20)] = None,
    city: Annotated[str | None, Query(max_length=50)] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    """The leads in the operator's scope, newest first; a blank filter (全部) is no filter."""
    require_staff(web)
    service = LeadService(session, web.viewer)
    body = parse_model(LeadFilterIn, {"status": status or None, "lead_type": lead_type or None})
    filters = LeadFilters(status=body.status, lead_type=body.lead_type, city=city or None)
    rows, total = service.search(filters, PageParams(page, PAGE_SIZE))
    params = {"status": body.status, "type": body.lead_type, "city": city}
    return render(
        web,
        "workspace/leads.html",
        leads=[present_lead(row, service.contact(row)) for row in rows],
        total=total,
        page=page,
        page_size=PAGE_SIZE,
        params={k: v.value if hasattr(v, "value") else v for k, v in params.items() if v},
        statuses=list(LEAD_STATUS_LABELS.items()),
        types=list(TYPE_LABELS.items()),
        cities=catalog.city_options(web.lang),
    )


@router.get("/leads/{id}")
def lead_detail(web: Web, session: DbSession, id: IdPath) -> Response:
    """One lead with its current matches, each ready to be introduced."""
    require_staff(web)
    return _lead_page(web, session, id)


def _lead_page(
    web: WebRequest,
    session: Session,
    id_: int,
    errors: FieldErrors | None = None,
    status: int = 200,
) -> Response:
    service = LeadService(session, web.viewer)
    lead = service.get(id_)
    matches = [item(m) for m in match_for_lead(session, web.viewer, lead, 10)]
    return render(
        web,
        "workspace/lead.html",
        status=status,
        lead=present_lead(lead, service.contact(lead)),
        matches=matches,
        statuses=list(LEAD_STATUS_LABELS.items()),
        errors=errors or {},
    )


@router.post("/leads/{id}/status")
def lead_status(web: Web, id: IdPath, form: CheckedForm) -> Response:
    """Moves a lead in the inbox."""
    require_staff(web)
    body = parse_model(LeadStatusIn, text_fields(form, ("status",)))
    web.attempt(lambda session, viewer: LeadService(session, viewer).set_status(id, body.status))
    return RedirectResponse(f"/workspace/leads/{id}", status_code=303)


@router.post("/introductions")
def introduce(web: Web, session: DbSession, form: CheckedForm) -> Response:
    """Introduces a lead (or any party) to a counterpart; the board shows it as proposed."""
    require_staff(web)
    fields = text_fields(form, ("a_kind", "a_id", "b_kind", "b_id", "note"))

    def create(s: Session, viewer: Viewer) -> int:
        body = introduction_form(fields)
        a, b = body.party_a, body.party_b
        return IntroductionService(s, viewer).create((a.kind, a.id), (b.kind, b.id), body.note).id

    try:
        new_id = web.attempt(create)
    except FactorLinkError as exc:
        lead_id = fields.get("a_id", "")
        if fields.get("a_kind") != "lead" or not lead_id.isdigit():
            raise
        # Back on the lead's page, with the reason (e.g. an open introduction exists).
        return _lead_page(web, session, int(lead_id), field_errors(exc), exc.status)
    return RedirectResponse(f"/workspace/introductions#intro-{new_id}", status_code=303)


def _board(web: WebRequest, session: Session) -> dict[str, Any]:
    service = IntroductionService(session, web.viewer)
    columns = []
    for status in BOARD:
        rows, total = service.search(IntroductionFilters(status=status), PageParams(1, BOARD_SIZE))
        parties = service.load_parties(rows)
        items = [present_introduction(row, parties, service.contact) for row in rows]
        amount = sum(i.amount_wan or 0 for i in items)
        columns.append(
            {"status": status.value, "label": STATUS_LABELS[status], "total": total}
            | {"items": items, "amount": amount}
        )
    return {"columns": columns, "status_labels": STATUS_LABELS}


@router.get("/introductions")
def board(web: Web, session: DbSession) -> Response:
    """The introductions board: proposed → contacted → negotiating → signed, or closed."""
    require_staff(web)
    return render(web, "workspace/board.html", errors={}, failed=None, **_board(web, session))


@router.post("/introductions/{id}/transition")
def transition(web: Web, session: DbSession, id: IdPath, form: CheckedForm) -> Response:
    """Moves one introduction a step; a refusal is shown on its card."""
    require_staff(web)
    fields = text_fields(form, ("to", "amount_wan", "reason", "note"))
    try:
        body = parse_model(TransitionIn, fields)
        web.attempt(
            lambda s, viewer: IntroductionService(s, viewer).transition(
                id, body.to, amount_wan=body.amount_wan, reason=body.reason, note=body.note
            )
        )
    except FactorLinkError as exc:
        return render(
            web,
            "workspace/board.html",
            status=exc.status,
            errors=field_errors(exc),
            failed=id,
            **_board(web, session),
        )
    return RedirectResponse(f"/workspace/introductions#intro-{id}", status_code=303)
