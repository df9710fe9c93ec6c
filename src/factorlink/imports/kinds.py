"""The listing kinds a file may hold, and the service that owns each."""

from __future__ import annotations

import enum
from typing import Any

from factorlink.achievement.service import AchievementService
from factorlink.capital.service import CapitalService
from factorlink.carrier.service import CarrierService
from factorlink.demand.service import DemandService
from factorlink.expert.service import ExpertService
from factorlink.kit.table import TableSpec
from factorlink.listing.service import ListingService
from factorlink.organization.service import OrganizationService


class ImportKind(enum.StrEnum):
    """What a file lists; organisations come first, as the other kinds name them."""

    organization = "organization"
    achievement = "achievement"
    demand = "demand"
    capital = "capital"
    carrier = "carrier"
    expert = "expert"


SERVICES: dict[ImportKind, type[ListingService[Any]]] = {
    ImportKind.organization: OrganizationService,
    ImportKind.achievement: AchievementService,
    ImportKind.demand: DemandService,
    ImportKind.capital: CapitalService,
    ImportKind.carrier: CarrierService,
    ImportKind.expert: ExpertService,
}


def spec_of(kind: ImportKind) -> TableSpec:
    """The spreadsheet columns of a kind."""
    return SERVICES[kind].spec
