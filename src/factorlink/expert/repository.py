"""Queries for experts."""

from factorlink.expert.models import Expert
from factorlink.listing.repository import ListingRepository


class ExpertRepository(ListingRepository[Expert]):
    """Experts and service platforms."""

    model = Expert
    text_columns = ("name", "affiliation", "services", "code")
    list_columns = ("fields",)
