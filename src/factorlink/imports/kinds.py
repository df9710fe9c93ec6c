"""The listing kinds a file may hold, and the service that owns each."""

from __future__ import annotations

import enum
from typing import Any

from factorlink.kit.table import TableSpec
from factorlink.listing.kinds import LISTING_SERVICES
from factorlink.listing.service import ListingService


class ImportKind(enum.StrEnum):
    """What a file lists; organisations come first, as the other kinds name them."""

    organization = "organization"
    achievement = "achievement"
    demand = "demand"
    capital = "capital"
    carrier = "carrier"
    expert = "expert"


SERVICES: dict[ImportKind, type[ListingService[Any]]] = {
    ImportKind(key.value): service for key, service in LISTING_SERVICES.items()
}


def spec_of(kind: ImportKind) -> TableSpec:
    """The spreadsheet columns of a kind."""
    return SERVICES[kind].spec
