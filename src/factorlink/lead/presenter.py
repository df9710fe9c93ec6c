"""Turns leads and matches into their API shapes, with display names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.responses import Response as Download

from factorlink.imports.writers import XLSX, write_rows
from factorlink.introduction import rules
from factorlink.introduction.presenter import Desk, work_fields
from factorlink.kit.pagination import PageParams
from factorlink.kit.timezones import beijing
from factorlink.lead.intake import STATUS_LABELS, TYPE_LABELS
from factorlink.lead.models import Lead, LeadStatus
from factorlink.lead.repository import LeadFilters
from factorlink.lead.schemas import LeadCreatedOut, LeadOut
from factorlink.lead.service import Intake, LeadService, Receipt
from factorlink.matching.presenter import present_match
from factorlink.matching.service import Match
from factorlink.privacy.policy import Contact
from factorlink.reference import Region, city_name, get_region, industry_name

LINK_PATH = "/leads/status/"

WIDENED_NOTE = (
    "意向城市内暂无匹配,已扩大到全部城市 (no match in the preferred cities; widened to all)"
)
NONE_NOTE = "暂无匹配的资源,运营人员将人工跟进 (no match yet; an operator will follow up)"


def present_lead(
    lead: Lead,
    contact: Contact,
    desk: Desk | None = None,
    *,
    duplicates: Sequence[int] = (),
    working_days: int | None = None,
) -> LeadOut:
    """A lead with its contact as the viewer may see it; with a desk (the operators' inbox), its
    owner, age, days in its status, callback deadline (overdue while still new past the
    `working_days` promised), next step, work log and look-alikes."""
    out = LeadOut.model_validate(lead)
    work: dict[str, object] = {"owner_id": None, "status_at": None}
    if desk is not None:
        work = work_fields(
            lead.owner_id, desk.logs.get(lead.id, ()), desk, lead.status_at or lead.created_at
        )
        work["age_days"] = rules.days_between(lead.created_at, desk.now)
        work["duplicates"] = list(duplicates)
        if working_days is not None:
            due = rules.add_working_days(lead.created_at, working_days)
            work["callback_due"] = due
            work["stalled"] = rules.callback_overdue(lead.status == LeadStatus.new, due, desk.now)
    return out.model_copy(
        update=work
        | {
            "lead_type_label": TYPE_LABELS[lead.lead_type],
            "status_label": STATUS_LABELS[lead.status],
            "contact_name": contact.name,
            "contact_mobile": contact.mobile,
            "contact_masked": contact.masked,
            "preferred_city_names": [city_name(c) or c for c in lead.preferred_cities],
            "industry_name": industry_name(lead.industry),
            "city_name": city_name(lead.city),
        }
    )


def callback_office(lead: Lead, region: Region | None = None) -> tuple[str, str]:
    """Who calls a lead's sender back (Chinese, English): the office of the first city the lead
    would move to, else of its own city, else the corridor's operator."""
    region = region or get_region()
    for code in (*lead.preferred_cities, lead.city):
        if code and region.has(code):
            city = region.city(code)
            if city.office:
                return city.office, city.office_en or city.office
    operator = region.operator or region.name
    return operator, region.operator_en or region.name_en


def callback_text(lead: Lead, working_days: int) -> tuple[str, str]:
    """ "上海市松江区科学技术委员会将在2个工作日内与您电话联系", and its English."""
    zh, en = callback_office(lead)
    return (
        f"{zh}将在{working_days}个工作日内与您电话联系",
        f"{en} will call you within {working_days} working days",
    )


def matches_note(matches: list[Match]) -> str | None:
    """Why the matches are what they are, when it needs saying."""
    if not matches:
        return NONE_NOTE
    if any(m.outside_preferred_cities for m in matches):
        return WIDENED_NOTE
    return None


def present_intake(
    intake: Intake, receipt: Receipt | None = None, working_days: int | None = None
) -> LeadCreatedOut:
    """The sender's own lead, in full, its matches and, for a receipt, its private link and
    who will call."""
    lead = intake.lead
    own = Contact(lead.contact_name, lead.contact_mobile, masked=False)
    callback = callback_text(lead, working_days) if working_days else ("", "")
    return LeadCreatedOut(
        **present_lead(lead, own).model_dump(),
        link=LINK_PATH + receipt.link_token if receipt else "",
        merged=bool(receipt and receipt.merged),
        callback=callback[0],
        callback_en=callback[1],
        matches=[present_match(m) for m in intake.matches],
        matches_note=matches_note(intake.matches),
    )


# The inbox as a spreadsheet (线索收件箱.xlsx): every column the page shows, and the work log.
INBOX_HEADERS = (
    "受理编号",
    "收到时间(北京时间)",
    "需求类型",
    "需求",
    "用途",
    "税收",
    "年纳税额(万元)",
    "公司",
    "联系人",
    "手机号",
    "意向城市",
    "所属行业",
    "状态",
    "在此状态天数",
    "已收到天数",
    "回电时限(北京时间)",
    "回电超时",
    "负责人",
    "下一步",
    "下一步截止",
    "疑似重复",
    "跟进记录",
)


def inbox_row(lead: LeadOut) -> list[Any]:
    """One lead as a row under INBOX_HEADERS (contacts as the viewer may see them)."""
    log = "\n".join(
        f"{beijing(e.at)} {e.by_name or ''}:{e.note}"
        + (
            f"(下一步:{e.next_step}{' ' + e.due_on.isoformat() if e.due_on else ''})"
            if e.next_step
            else ""
        )
        for e in lead.follow_ups
    )
    return [
        lead.reference or f"#{lead.id}",
        beijing(lead.created_at),
        lead.lead_type_label,
        lead.need,
        lead.purpose or "",
        lead.annual_tax_text or "",
        lead.annual_tax_wan,
        lead.company or "",
        lead.contact_name or "",
        lead.contact_mobile or "",
        "、".join(lead.preferred_city_names),
        lead.industry_name or "",
        lead.status_label,
        lead.days_in_stage,
        lead.age_days,
        beijing(lead.callback_due),
        "是" if lead.stalled else "",
        lead.owner_name or "",
        lead.next_step or "",
        lead.next_step_due.isoformat() if lead.next_step_due else "",
        "、".join(f"#{i}" for i in lead.duplicates),
        log,
    ]


# The most leads one export holds (the newest first, with the inbox's filters).
EXPORT_LIMIT = 5000


def present_inbox(
    service: LeadService, rows: list[Lead] | tuple[Lead, ...], working_days: int
) -> list[LeadOut]:
    """Leads as the operators' inbox shows them: owner, ages, callback deadline, next step,
    work log and look-alikes."""
    desk, twins = service.desk(rows), service.duplicates(rows)
    return [
        present_lead(
            row, service.contact(row), desk, duplicates=twins[row.id], working_days=working_days
        )
        for row in rows
    ]


def inbox_file(service: LeadService, filters: LeadFilters, working_days: int) -> bytes:
    """The leads of an inbox filter as 线索收件箱.xlsx (through kit/formulas.py)."""
    rows, _ = service.search(filters, PageParams(1, EXPORT_LIMIT))
    leads = present_inbox(service, list(rows), working_days)
    return write_rows("xlsx", INBOX_HEADERS, (inbox_row(lead) for lead in leads), sheet="线索")


def xlsx_response(body: bytes) -> Download:
    """An .xlsx download named 线索收件箱.xlsx (no personal data in the name)."""
    return Download(
        body,
        media_type=XLSX,
        headers={
            "Content-Disposition": 'attachment; filename="leads.xlsx"; '
            "filename*=UTF-8''%E7%BA%BF%E7%B4%A2%E6%94%B6%E4%BB%B6%E7%AE%B1.xlsx"
        },
    )
