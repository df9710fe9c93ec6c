"""The listing kinds a file may hold, and the service that owns each."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from factorlink.kit.table import Column, TableSpec
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


@dataclass(frozen=True)
class KindFit:
    """How well a file's headers fit one kind: the columns it has, and the required it lacks."""

    kind: ImportKind
    matched: int
    unknown: int
    missing: tuple[Column, ...]

    @property
    def fits(self) -> bool:
        """Every required column of the kind is there."""
        return not self.missing

    @property
    def label(self) -> str:
        return spec_of(self.kind).label


def kind_fits(headers: Sequence[str]) -> list[KindFit]:
    """Every kind against the headers, best first: the kinds whose required columns are all
    there, then by the most columns recognised and the fewest not."""
    fits = []
    for kind in ImportKind:
        spec = spec_of(kind)
        found, unknown = spec.match_headers(headers)
        keys = {c.key for c in found.values()}
        missing = tuple(c for c in spec.required if c.key not in keys)
        fits.append(KindFit(kind, len(keys), len(unknown), missing))
    return sorted(fits, key=lambda f: (not f.fits, -f.matched, f.unknown))


def detect_kind(headers: Sequence[str]) -> ImportKind | None:
    """The one kind the headers fit best, or None when none fits, or two fit equally well."""
    ranked = kind_fits(headers)
    best = ranked[0]
    if not best.fits:
        return None
    tied = [
        f for f in ranked[1:] if f.fits and (f.matched, f.unknown) == (best.matched, best.unknown)
    ]
    return None if tied else best.kind
