"""HTTP endpoints for introductions (对接)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from factorlink.api.deps import DbSession, Paging, StaffViewer, UserViewer
from factorlink.introduction.models import IntroductionStatus
from factorlink.introduction.presenter import present_detail, present_introduction
from factorlink.introduction.repository import IntroductionFilters
from factorlink.introduction.schemas import (
    FollowUpIn,
    IntroductionDetailOut,
    IntroductionIn,
    IntroductionOut,
    OwnerIn,
    TransitionIn,
)
from factorlink.introduction.service import IntroductionService
from factorlink.kit.ids import IdPath
from factorlink.kit.pagination import Page

router = APIRouter(prefix="/introductions", tags=["introductions"])


def _detail(service: IntroductionService, intro_id: int) -> IntroductionDetailOut:
    intro = service.get(intro_id)
    desk = service.desk([intro])
    return present_detail(intro, service.load_parties([intro]), service.contact, desk)


@router.post("", response_model=IntroductionDetailOut, status_code=201, summary="发起对接")
def create(body: IntroductionIn, session: DbSession, viewer: StaffViewer) -> Any:
    """Introduces party A (the one served) to party B; operators act within their scope."""
    service = IntroductionService(session, viewer)
    a, b = body.party_a, body.party_b
    intro = service.create((a.kind, a.id), (b.kind, b.id), body.note)
    return _detail(service, intro.id)


@router.post("/requests", response_model=IntroductionDetailOut, status_code=201, summary="申请对接")
def request(body: IntroductionIn, session: DbSession, viewer: UserViewer) -> Any:
    """A member asks for an introduction of two listings, one their organisation's: it waits as
    requested until an operator accepts it (→ proposed) or declines it (→ closed)."""
    service = IntroductionService(session, viewer)
    a, b = body.party_a, body.party_b
    intro = service.request((a.kind, a.id), (b.kind, b.id), body.note)
    return _detail(service, intro.id)


@router.get("", response_model=Page[IntroductionOut], summary="对接列表")
def list_(
    session: DbSession,
    viewer: UserViewer,
    paging: Paging,
    status: IntroductionStatus | None = None,
    city: Annotated[
        str | None,
        Query(max_length=50, description="City on either side: songjiang, 松江 or 上海市松江区"),
    ] = None,
    industry: Annotated[
        str | None, Query(max_length=50, description="Industry: ai, 人工智能 or a sub-field")
    ] = None,
) -> Any:
    """Staff see the introductions in their scope, with owner, days in stage (stalled past the
    step's limit) and next step; members those of their organisation."""
    service = IntroductionService(session, viewer)
    filters = IntroductionFilters(status=status, city=city, industry=industry)
    rows, total = service.search(filters, paging)
    parties, desk = service.load_parties(rows), service.desk(rows)
    items = [present_introduction(row, parties, service.contact, desk) for row in rows]
    return {"items": items, "total": total, "page": paging.page, "page_size": paging.page_size}


@router.get("/{id}", response_model=IntroductionDetailOut, summary="对接详情")
def get(id: IdPath, session: DbSession, viewer: UserViewer) -> Any:
    """One introduction with both parties and its history."""
    return _detail(IntroductionService(session, viewer), id)


@router.post("/{id}/transitions", response_model=IntroductionDetailOut, summary="推进对接")
def transition(id: IdPath, body: TransitionIn, session: DbSession, viewer: StaffViewer) -> Any:
    """Moves the introduction one step: (requested →) proposed → contacted → negotiating →
    signed, or closed."""
    service = IntroductionService(session, viewer)
    service.transition(id, body.to, amount_wan=body.amount_wan, reason=body.reason, note=body.note)
    return _detail(service, id)


@router.put("/{id}/owner", response_model=IntroductionDetailOut, summary="指派负责人")
def set_owner(id: IdPath, body: OwnerIn, session: DbSession, viewer: StaffViewer) -> Any:
    """Gives the introduction an owner (负责人): an active operator or admin, or null for none."""
    service = IntroductionService(session, viewer)
    service.set_owner(id, body.owner_id)
    return _detail(service, id)


@router.post(
    "/{id}/follow-ups", response_model=IntroductionDetailOut, status_code=201, summary="添加跟进"
)
def add_follow_up(id: IdPath, body: FollowUpIn, session: DbSession, viewer: StaffViewer) -> Any:
    """Adds a dated entry to the introduction's work log (跟进记录), with the next step and the
    day it is due if given; the latest next step shows on the board."""
    service = IntroductionService(session, viewer)
    service.add_follow_up(id, body.note, body.next_step, body.due_on)
    return _detail(service, id)
