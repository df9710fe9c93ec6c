"""The batched lookups an import needs: stored records by code, name and credit code."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import select

from factorlink.organization.models import Organization
from factorlink.organization.repository import OrganizationRepository

_CHUNK = 500


class OrganizationLookup(OrganizationRepository):
    """Organisations by many names or credit codes at once."""

    def by_names(self, names: Iterable[str]) -> dict[str, Organization]:
        """Gets the organisations with these names, keyed by name."""
        return self._by(Organization.name, names, lambda o: o.name)

    def by_credit_codes(self, codes: Iterable[str]) -> dict[str, Organization]:
        """Gets the organisations with these 统一社会信用代码, keyed by code."""
        return self._by(Organization.credit_code, codes, lambda o: o.credit_code or "")

    def _by(
        self, column: Any, values: Iterable[str], key: Callable[[Organization], str]
    ) -> dict[str, Organization]:
        wanted: Sequence[str] = sorted({v for v in values if v})
        found: dict[str, Organization] = {}
        for start in range(0, len(wanted), _CHUNK):
            stmt = select(Organization).where(column.in_(wanted[start : start + _CHUNK]))
            found.update({key(org): org for org in self.session.scalars(stmt)})
        return found
