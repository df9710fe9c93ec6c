"""Rules for capital products."""

from collections.abc import Mapping
from typing import Any

from factorlink.capital.columns import SPEC
from factorlink.capital.models import Capital
from factorlink.capital.repository import CapitalRepository
from factorlink.introduction.models import PartyKind
from factorlink.listing.service import ListingService
from factorlink.organization.models import Organization


class CapitalService(ListingService[Capital]):
    """Capital products; their home city is their organisation's, else the first city covered."""

    kind = PartyKind.capital
    spec = SPEC
    repository_class = CapitalRepository

    def apply(self, obj: Any, values: Mapping[str, Any], *, source: str) -> None:
        super().apply(obj, values, source=source)
        owner = self.session.get(Organization, obj.organization_id) if obj.organization_id else None
        obj.city = owner.city if owner is not None else next(iter(obj.cities or ()), None)
