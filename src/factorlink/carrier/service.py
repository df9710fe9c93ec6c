"""Rules for carriers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from factorlink.carrier.kind import KIND
from factorlink.carrier.models import Carrier
from factorlink.carrier.repository import CarrierRepository
from factorlink.carrier.schemas import CarrierIn, CarrierOut
from factorlink.listing.service import ListingService
from factorlink.photo.presenter import photo_url
from factorlink.photo.repository import PhotoRepository


class CarrierService(ListingService[Carrier]):
    """Carriers, with their photos (photo/service.py)."""

    descriptor = KIND
    in_schema = CarrierIn
    out_schema = CarrierOut
    repository_class = CarrierRepository

    def additions(self, rows: Sequence[Carrier]) -> dict[int, dict[str, Any]]:
        """Each carrier's cover photo and how many photos it has, two queries for a page."""
        photos = PhotoRepository(self.session)
        ids = [row.id for row in rows]
        covers, counts = photos.covers(ids), photos.counts(ids)
        return {
            id_: {
                "photo_count": counts[id_],
                "cover_url": photo_url(covers[id_].display_sha256),
                "cover_thumb_url": photo_url(covers[id_].thumb_sha256),
            }
            for id_ in covers
        }

    def delete(self, id_: int) -> None:
        """Deletes a carrier and its photos (their files go once the unit of work commits)."""
        from factorlink.photo.service import release_photos  # the photo service builds on this

        photos = PhotoRepository(self.session).of(id_)
        super().delete(id_)
        release_photos(self.session, id_, photos)
