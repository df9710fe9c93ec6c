"""Turns leads and matches into their API shapes, with display names."""

from __future__ import annotations

from factorlink.lead.intake import STATUS_LABELS, TYPE_LABELS
from factorlink.lead.models import Lead
from factorlink.lead.schemas import LeadCreatedOut, LeadOut
from factorlink.lead.service import Intake
from factorlink.matching.presenter import present_match
from factorlink.privacy.policy import Contact
from factorlink.reference import city_name, industry_name

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


def present_intake(intake: Intake) -> LeadCreatedOut:
    """The sender's own lead, in full, and its matches."""
    lead = intake.lead
    own = Contact(lead.contact_name, lead.contact_mobile, masked=False)
    note = None
    if not intake.matches:
        note = NONE_NOTE
    elif any(m.outside_preferred_cities for m in intake.matches):
        note = WIDENED_NOTE
    return LeadCreatedOut(
        **present_lead(lead, own).model_dump(),
        matches=[present_match(m) for m in intake.matches],
        matches_note=note,
    )
