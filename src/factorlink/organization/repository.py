"""Queries for organisations."""

from __future__ import annotations

from sqlalchemy import select

from factorlink.listing.repository import ListingRepository
from factorlink.organization.models import Organization
from factorlink.validation.parsers import normalize

_FULL_WIDTH_BRACKETS = str.maketrans("()", "（）")


def name_spellings(name: str) -> list[str]:
    """A name as typed, then half-width (NFKC), then with full-width brackets: the spellings
    of one organisation's name, most exact first."""
    folded = normalize(name)
    return list(dict.fromkeys((name, folded, folded.translate(_FULL_WIDTH_BRACKETS))))


class OrganizationRepository(ListingRepository[Organization]):
    """Organisations, searchable like listings."""

    model = Organization
    text_columns = ("name", "credit_code")

    def by_name(self, name: str) -> Organization | None:
        """Gets an organisation by its name as typed, or as the same name is also written: names
        are stored as typed, with full-width （） or half-width () ("上海某某（松江）有限公司")."""
        spellings = name_spellings(name)
        stmt = select(Organization).where(Organization.name.in_(spellings))
        found = self.session.scalars(stmt).all()
        return min(found, key=lambda org: (spellings.index(org.name), org.id), default=None)

    def by_credit_code(self, credit_code: str) -> Organization | None:
        """Gets an organisation by its 统一社会信用代码."""
        stmt = select(Organization).where(Organization.credit_code == credit_code)
        return self.session.scalars(stmt).first()
