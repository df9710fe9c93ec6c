"""Rules for capital products."""

from collections.abc import Mapping
from typing import Any

from factorlink.capital.kind import KIND
from factorlink.capital.models import Capital
from factorlink.capital.repository import CapitalRepository
from factorlink.capital.schemas import CapitalIn, CapitalOut
from factorlink.listing.service import ListingService
from factorlink.organization.models import Organization


class CapitalService(ListingService[Capital]):
    """Capital products; their home city is their organisation's, else the first city covered."""

    descriptor = KIND
    in_schema = CapitalIn
    out_schema = CapitalOut
    repository_class = CapitalRepository

    def apply(self, obj: Any, values: Mapping[str, Any], *, source: str) -> None:
        super().apply(obj, values, source=source)
        owner = self.session.get(Organization, obj.organization_id) if obj.organization_id else None
        obj.city = owner.city if owner is not None else next(iter(obj.cities or ()), None)
