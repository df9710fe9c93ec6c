"""Queries for organisations."""

from __future__ import annotations

from sqlalchemy import select

from factorlink.listing.repository import ListingRepository
from factorlink.organization.models import Organization


class OrganizationRepository(ListingRepository[Organization]):
    """Organisations, searchable like listings."""

    model = Organization
    text_columns = ("name", "credit_code")

    def by_name(self, name: str) -> Organization | None:
        """Gets an organisation by its exact name."""
        return self.session.scalars(select(Organization).where(Organization.name == name)).first()

    def by_credit_code(self, credit_code: str) -> Organization | None:
        """Gets an organisation by its 统一社会信用代码."""
        stmt = select(Organization).where(Organization.credit_code == credit_code)
        return self.session.scalars(stmt).first()
