"""The listing kinds' services, one line each: imports, exports, templates and the web pages read
them here (each service names its kind's descriptor, repository and API shapes)."""

from __future__ import annotations

from typing import Any

from factorlink.achievement.service import AchievementService
from factorlink.capital.service import CapitalService
from factorlink.carrier.service import CarrierService
from factorlink.demand.service import DemandService
from factorlink.expert.service import ExpertService
from factorlink.introduction.models import PartyKind
from factorlink.listing.service import ListingService
from factorlink.organization.service import OrganizationService

# Organisations first: the other kinds name them.
LISTING_SERVICES: dict[PartyKind, type[ListingService[Any]]] = {
    service.kind: service
    for service in (
        OrganizationService,
        AchievementService,
        DemandService,
        CapitalService,
        CarrierService,
        ExpertService,
    )
}
