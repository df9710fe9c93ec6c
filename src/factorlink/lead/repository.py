"""Queries for leads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, String, cast, false, or_, select, true

from factorlink.auth.viewer import Viewer
from factorlink.kit.repository import Repository, escape_like
from factorlink.lead.models import Lead, LeadLink, LeadStatus, LeadType


@dataclass(frozen=True)
class LeadFilters:
    """Filters of the lead inbox."""

    status: LeadStatus | None = None
    lead_type: LeadType | None = None
    city: str | None = None
    # Words of the need, purpose or company (搜索); the owner's user id (负责人).
    q: str | None = None
    owner_id: int | None = None


@dataclass(frozen=True)
class LeadKey:
    """What two leads are compared by to tell whether they look the same."""

    id: int
    created_at: datetime
    contact_mobile: str | None
    company: str | None
    need: str


def _lists_city(city: str) -> Any:
    # A quoted substring of the JSON list is exact once LIKE's wildcards in the code are escaped.
    pattern = f'%"{escape_like(city)}"%'
    return cast(Lead.preferred_cities, String).like(pattern, escape="\\")


def in_cities(cities: Sequence[str]) -> Any:
    """Leads located in, or preferring, any of these cities."""
    return or_(Lead.city.in_(list(cities)), *(_lists_city(c) for c in cities))


def visible_to(viewer: Viewer) -> Any:
    """The leads a viewer may handle, as a query predicate: an admin all; an operator those in
    or preferring their cities and those naming no city (all, without a scope); anyone else
    none."""
    if viewer.is_admin or (viewer.is_operator and not viewer.city_scope):
        return true()
    if not viewer.is_operator:
        return false()
    unscoped = Lead.city.is_(None) & (cast(Lead.preferred_cities, String) == "[]")
    return or_(in_cities(viewer.city_scope), unscoped)


class LeadRepository(Repository[Lead]):
    """Leads."""

    model = Lead

    def search_statement(self, filters: LeadFilters, viewer: Viewer) -> Select[Lead]:
        """The inbox, newest first, of the leads the viewer may handle (`visible_to`)."""
        stmt = select(Lead).where(visible_to(viewer))
        if filters.status is not None:
            stmt = stmt.where(Lead.status == filters.status)
        if filters.lead_type is not None:
            stmt = stmt.where(Lead.lead_type == filters.lead_type)
        if filters.city:
            stmt = stmt.where(in_cities([filters.city]))
        if filters.q:
            pattern = f"%{escape_like(filters.q)}%"
            stmt = stmt.where(
                or_(
                    Lead.need.like(pattern, escape="\\"),
                    Lead.purpose.like(pattern, escape="\\"),
                    Lead.company.like(pattern, escape="\\"),
                )
            )
        if filters.owner_id is not None:
            stmt = stmt.where(Lead.owner_id == filters.owner_id)
        return stmt.order_by(Lead.created_at.desc(), Lead.id.desc())

    def lookalike_keys(
        self, leads: Sequence[Lead], window: timedelta, viewer: Viewer
    ) -> list[LeadKey]:
        """The comparison keys (columns only) of the leads the viewer may handle received within
        the window of any of `leads`, `leads` themselves included: the need is compared folded
        (spaces, punctuation, width), which SQL cannot, so every lead of the period is read."""
        if not leads:
            return []
        start = min(lead.created_at for lead in leads) - window
        end = max(lead.created_at for lead in leads) + window
        stmt = select(Lead.id, Lead.created_at, Lead.contact_mobile, Lead.company, Lead.need)
        stmt = stmt.where(visible_to(viewer), Lead.created_at >= start, Lead.created_at <= end)
        return [LeadKey(*row) for row in self.session.execute(stmt.order_by(Lead.id))]

    def find_same(self, need: str, company: str | None, created_at: datetime | None) -> Lead | None:
        """The lead with this need, company and (when given) creation time, if stored."""
        stmt = select(Lead).where(Lead.need == need)
        stmt = stmt.where(Lead.company.is_(None) if company is None else Lead.company == company)
        if created_at is not None:
            stmt = stmt.where(Lead.created_at == created_at)
        return self.session.scalars(stmt.order_by(Lead.id)).first()

    def by_duplicate_key(self, key: str) -> Lead | None:
        """The lead copies with this digest of mobile and need merge into, if any."""
        return self.session.scalars(select(Lead).where(Lead.duplicate_key == key)).first()

    def reference_taken(self, reference: str) -> bool:
        """Tells whether a 受理编号 is already some lead's."""
        return self.session.scalar(select(Lead.id).where(Lead.reference == reference)) is not None

    def recent_of_mobile(self, mobile: str, since: datetime) -> Sequence[Lead]:
        """The leads sent from a mobile since a time that still hold their consent."""
        stmt = select(Lead).where(
            Lead.contact_mobile == mobile,
            Lead.created_at >= since,
            Lead.consent_withdrawn_at.is_(None),
            Lead.erased_at.is_(None),
        )
        return self.session.scalars(stmt.order_by(Lead.created_at.desc(), Lead.id.desc())).all()

    def by_link_digest(self, token_hash: str) -> Lead | None:
        """The lead a private link (by the digest of its secret) opens."""
        stmt = select(Lead).join(LeadLink, LeadLink.lead_id == Lead.id)
        return self.session.scalars(stmt.where(LeadLink.token_hash == token_hash)).first()

    def kept_since_before(self, cutoff: datetime) -> Sequence[Lead]:
        """The leads received before a time whose personal data is still kept."""
        stmt = select(Lead).where(Lead.created_at < cutoff, Lead.erased_at.is_(None))
        return self.session.scalars(stmt.order_by(Lead.id)).all()
