"""Turns photo rows into their API shape, with the addresses their files are served at."""

from __future__ import annotations

from collections.abc import Sequence

from factorlink.photo.models import CarrierPhoto
from factorlink.photo.schemas import PhotoOut
from factorlink.photo.storage import EXTENSION

MEDIA_PREFIX = "/media/photos"


def photo_url(sha256: str) -> str:
    """The address of a photo file: named by its content, so it never changes."""
    return f"{MEDIA_PREFIX}/{sha256}.{EXTENSION}"


def present_photo(photo: CarrierPhoto) -> PhotoOut:
    """One photo as the API shows it."""
    return PhotoOut(
        id=photo.id,
        position=photo.position,
        cover=photo.position == 0,
        caption=photo.caption,
        width=photo.width,
        height=photo.height,
        url=photo_url(photo.display_sha256),
        thumb_url=photo_url(photo.thumb_sha256),
    )


def present_photos(photos: Sequence[CarrierPhoto]) -> list[PhotoOut]:
    """A carrier's photos in their order, the cover first."""
    return [present_photo(p) for p in photos]
