"""Queries for carriers."""

from factorlink.carrier.models import Carrier
from factorlink.listing.repository import ListingRepository


class CarrierRepository(ListingRepository[Carrier]):
    """Carriers; they match any industry they welcome."""

    model = Carrier
    text_columns = ("name", "description", "district", "code")
    industry_column = "industries"
    industry_is_list = True
