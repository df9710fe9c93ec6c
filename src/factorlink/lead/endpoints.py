"""HTTP endpoints for leads: open intake, and the operators' inbox."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from starlette.responses import Response as Download

from factorlink.api.deps import (
    AppSettings,
    CurrentViewer,
    DbSession,
    LeadLimiter,
    Paging,
    StaffViewer,
)
from factorlink.imports.writers import XLSX
from factorlink.introduction.schemas import FollowUpIn, OwnerIn
from factorlink.kit.ids import IdPath, IdQuery
from factorlink.kit.pagination import Page
from factorlink.lead.models import LeadStatus, LeadType
from factorlink.lead.presenter import (
    inbox_file,
    present_inbox,
    present_intake,
    xlsx_response,
)
from factorlink.lead.ratelimit import counted_lead
from factorlink.lead.repository import LeadFilters
from factorlink.lead.schemas import LeadCreatedOut, LeadIn, LeadOut, LeadStatusIn
from factorlink.lead.service import Intake, LeadService

CityQuery = Annotated[
    str | None,
    Query(max_length=50, description="City, in or preferred: songjiang, 松江 or 上海市松江区"),
]
Words = Annotated[
    str | None, Query(max_length=100, description="Words of the need, purpose or company")
]


router = APIRouter(prefix="/leads", tags=["leads"])


@router.post(
    "",
    response_model=LeadCreatedOut,
    status_code=201,
    summary="提交需求线索",
    responses={200: {"model": LeadCreatedOut, "description": "Merged into an earlier lead"}},
)
def submit(
    body: LeadIn,
    session: DbSession,
    viewer: CurrentViewer,
    request: Request,
    response: Response,
    settings: AppSettings,
    limiter: LeadLimiter,
) -> Any:
    """Stores a lead (explicit consent required) and answers with its 受理编号, a private link to
    it (its state, withdrawal of consent and erasure), who will call, and its best current
    matches.

    Open to anonymous visitors and rate-limited per client address (accepted leads count, a
    refused one does not; counted in each server process, see lead.ratelimit). A lead with the
    mobile and need of one sent within `FACTORLINK_LEAD_DUPLICATE_HOURS` is merged into it
    (200, `merged`). The answer shows the sender's own lead as submitted; the contacts of the
    matches are masked unless the viewer is entitled to them.
    """
    service = LeadService(session, viewer)
    row = service.parse(body.model_dump(exclude_none=True))
    window = timedelta(hours=settings.lead_duplicate_hours)
    with counted_lead(limiter, request, settings):
        receipt = service.send(row, source="api", merge_window=window)
    if receipt.merged:
        response.status_code = 200
    intake = Intake(receipt.lead, service.matches(receipt.lead))
    return present_intake(intake, receipt, settings.lead_callback_working_days)


@router.get("", response_model=Page[LeadOut], summary="线索列表")
def list_(
    session: DbSession,
    viewer: StaffViewer,
    paging: Paging,
    settings: AppSettings,
    status: LeadStatus | None = None,
    lead_type: Annotated[LeadType | None, Query(alias="type")] = None,
    city: CityQuery = None,
    q: Words = None,
    owner_id: IdQuery = None,
) -> Any:
    """Lists the leads in the operator's scope (and those naming no city), newest first, with
    owner, age, days in status, callback deadline (`stalled` once a new lead is past it), next
    step, work log and `duplicates` (leads with the same mobile, company or need within 30
    days)."""
    service = LeadService(session, viewer)
    filters = LeadFilters(status=status, lead_type=lead_type, city=city, q=q, owner_id=owner_id)
    rows, total = service.search(filters, paging)
    items = present_inbox(service, list(rows), settings.lead_callback_working_days)
    return {"items": items, "total": total, "page": paging.page, "page_size": paging.page_size}


@router.get(
    "/export",
    summary="导出线索 (Excel)",
    response_class=Download,
    responses={200: {"content": {XLSX: {}}, "description": "线索收件箱.xlsx"}},
)
def export(
    session: DbSession,
    viewer: StaffViewer,
    settings: AppSettings,
    status: LeadStatus | None = None,
    lead_type: Annotated[LeadType | None, Query(alias="type")] = None,
    city: CityQuery = None,
    q: Words = None,
    owner_id: IdQuery = None,
) -> Download:
    """The inbox with its filters as an Excel file (newest first, at most 5000 leads): every
    column of the page and the work log; contacts as the viewer may see them."""
    body = inbox_file(
        LeadService(session, viewer),
        LeadFilters(status=status, lead_type=lead_type, city=city, q=q, owner_id=owner_id),
        settings.lead_callback_working_days,
    )
    return xlsx_response(body)


@router.get("/{id}", response_model=LeadOut, summary="线索详情")
def get(id: IdPath, session: DbSession, viewer: StaffViewer, settings: AppSettings) -> Any:
    """One lead, with its work log and look-alikes."""
    service = LeadService(session, viewer)
    lead = service.get(id)
    return present_inbox(service, [lead], settings.lead_callback_working_days)[0]


@router.put("/{id}/owner", response_model=LeadOut, summary="指派负责人")
def set_owner(
    id: IdPath, body: OwnerIn, session: DbSession, viewer: StaffViewer, settings: AppSettings
) -> Any:
    """Gives the lead an owner (负责人): an active operator or admin, or null for none."""
    service = LeadService(session, viewer)
    lead = service.set_owner(id, body.owner_id)
    return present_inbox(service, [lead], settings.lead_callback_working_days)[0]


@router.post("/{id}/follow-ups", response_model=LeadOut, status_code=201, summary="添加跟进")
def add_follow_up(
    id: IdPath, body: FollowUpIn, session: DbSession, viewer: StaffViewer, settings: AppSettings
) -> Any:
    """Adds a dated entry to the lead's work log (跟进记录), with the next step and its day if
    given; a new lead becomes 处理中 (reviewing)."""
    service = LeadService(session, viewer)
    service.add_follow_up(id, body.note, body.next_step, body.due_on)
    lead = service.get(id)
    return present_inbox(service, [lead], settings.lead_callback_working_days)[0]


@router.patch("/{id}", response_model=LeadOut, summary="修改线索状态")
def set_status(
    id: IdPath, body: LeadStatusIn, session: DbSession, viewer: StaffViewer, settings: AppSettings
) -> Any:
    """Moves a lead in the inbox (new, reviewing, introduced, closed); its days in status
    count from now."""
    service = LeadService(session, viewer)
    lead = service.set_status(id, body.status)
    return present_inbox(service, [lead], settings.lead_callback_working_days)[0]


@router.post("/{id}/withdraw-consent", response_model=LeadOut, summary="撤回同意")
def withdraw_consent(
    id: IdPath, session: DbSession, viewer: StaffViewer, settings: AppSettings
) -> Any:
    """Records, at the sender's request, that consent is withdrawn; the contact is erased."""
    service = LeadService(session, viewer)
    lead = service.withdraw_consent(id)
    return present_inbox(service, [lead], settings.lead_callback_working_days)[0]


@router.delete("/{id}/personal-data", response_model=LeadOut, summary="删除个人信息")
def erase_personal_data(
    id: IdPath, session: DbSession, viewer: StaffViewer, settings: AppSettings
) -> Any:
    """Erases the sender's name, mobile and company, and masks mobiles written in the work
    log; the need stays for the statistics."""
    service = LeadService(session, viewer)
    lead = service.erase_personal_data(id)
    return present_inbox(service, [lead], settings.lead_callback_working_days)[0]
