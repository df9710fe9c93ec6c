"""Rules for leads: intake with consent, the operators' inbox, and erasure of personal data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from factorlink.auth import access
from factorlink.auth.viewer import Viewer
from factorlink.db.base import utcnow
from factorlink.errors import NotFound, PermissionDenied
from factorlink.introduction.models import PartyKind
from factorlink.introduction.service import IntroductionService
from factorlink.kit.filters import filter_error, resolve_city
from factorlink.kit.pagination import PageParams
from factorlink.kit.table import CellError
from factorlink.lead.intake import SPEC, parse_lead
from factorlink.lead.models import Lead, LeadStatus
from factorlink.lead.repository import LeadFilters, LeadRepository
from factorlink.listing.service import invalid_input
from factorlink.matching.service import Match, match_for_lead
from factorlink.privacy.policy import Contact, ContactPolicy


@dataclass(frozen=True)
class Intake:
    """A stored lead and its current best matches."""

    lead: Lead
    matches: list[Match]


def lead_in_scope(viewer: Viewer, lead: Lead) -> bool:
    """Tells whether staff may handle a lead: any of its cities in scope, or it names none."""
    if viewer.is_admin:
        return True
    if not viewer.is_operator:
        return False
    cities = [c for c in (lead.city, *lead.preferred_cities) if c]
    return not cities or not viewer.city_scope or any(viewer.operates_in(c) for c in cities)


def resolve_filters(filters: LeadFilters) -> LeadFilters:
    """Accepts the city as people write it (松江, 上海市松江区) as well as its code."""
    errors: list[CellError] = []
    city = resolve_city(filters.city, errors)
    if errors:
        raise filter_error(errors)
    return replace(filters, city=city)


class LeadService:
    """Leads: anyone may send one; staff in scope review, introduce and erase them."""

    def __init__(self, session: Session, viewer: Viewer) -> None:
        self.session = session
        self.viewer = viewer
        self.repository = LeadRepository(session)
        self.policy = ContactPolicy(session, viewer)

    def submit(
        self, cells: Mapping[str, Any], *, source: str = "api", created_at: datetime | None = None
    ) -> Lead:
        """Validates and stores a lead; consent time is the server's time (or created_at)."""
        row = parse_lead(cells)
        if not row.ok:
            raise invalid_input(row.errors, SPEC)
        at = created_at or utcnow()
        lead = Lead(**row.values, consent=True, consent_at=at, source=source)
        lead.created_at = lead.updated_at = at
        return self.repository.add(lead)

    def submit_with_matches(
        self, cells: Mapping[str, Any], *, source: str = "api", limit: int = 10
    ) -> Intake:
        """Stores a lead and finds its best current counterparts."""
        lead = self.submit(cells, source=source)
        return Intake(lead, match_for_lead(self.session, self.viewer, lead, limit))

    def search(self, filters: LeadFilters, params: PageParams) -> tuple[Sequence[Lead], int]:
        """One page of the inbox this operator may see."""
        self._require_staff()
        filters = resolve_filters(filters)
        return self.repository.page(self.repository.search_statement(filters, self.viewer), params)

    def get(self, id_: int) -> Lead:
        """Gets a lead the viewer may handle."""
        self._require_staff()
        lead = self.repository.get(id_)
        if lead is None:
            raise NotFound(f"线索{id_}不存在", message_en=f"lead {id_} not found")
        if not lead_in_scope(self.viewer, lead):
            raise PermissionDenied(
                "该线索不在您的运营范围内", message_en="Lead outside your operator scope"
            )
        return lead

    def set_status(self, id_: int, status: LeadStatus) -> Lead:
        """Moves a lead in the inbox."""
        lead = self.get(id_)
        lead.status = status
        self.session.flush()
        return lead

    def withdraw_consent(self, id_: int) -> Lead:
        """Records the withdrawal of consent; the contact details go with it."""
        lead = self.get(id_)
        if lead.consent_withdrawn_at is None:
            lead.consent_withdrawn_at = utcnow()
        lead.consent = False
        # Nobody may go on contacting the sender: open introductions of the lead are closed.
        IntroductionService(self.session, self.viewer).close_open_of_lead(
            lead.id, "线索发送人撤回同意 (consent withdrawn)"
        )
        return self.erase_personal_data(id_)

    def erase_personal_data(self, id_: int) -> Lead:
        """Deletes the sender's name, mobile and company; need, type and cities stay for stats."""
        lead = self.get(id_)
        lead.contact_name = lead.contact_mobile = lead.company = None
        if lead.erased_at is None:
            lead.erased_at = utcnow()
        self.session.flush()
        return lead

    def contact(self, lead: Lead) -> Contact:
        """The lead's contact as the viewer may see it."""
        return self.policy.contact(PartyKind.lead, lead)

    def _require_staff(self) -> None:
        access.require_staff(self.viewer)
