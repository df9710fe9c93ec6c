"""Turns leads and matches into their API shapes, with display names."""

from __future__ import annotations

from factorlink.lead.intake import STATUS_LABELS, TYPE_LABELS
from factorlink.lead.models import Lead
from factorlink.lead.schemas import LeadCreatedOut, LeadOut
from factorlink.lead.service import Intake, Receipt
from factorlink.matching.presenter import present_match
from factorlink.matching.service import Match
from factorlink.privacy.policy import Contact
from factorlink.reference import Region, city_name, get_region, industry_name

LINK_PATH = "/leads/status/"

WIDENED_NOTE = (
    "意向城市内暂无匹配,已扩大到全部城市 (no match in the preferred cities; widened to all)"
)
NONE_NOTE = "暂无匹配的资源,运营人员将人工跟进 (no match yet; an operator will follow up)"


def present_lead(lead: Lead, contact: Contact) -> LeadOut:
    """A lead with its contact as the viewer may see it."""
    out = LeadOut.model_validate(lead)
    return out.model_copy(
        update={
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
