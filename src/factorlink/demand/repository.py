"""Queries for technology demands."""

from factorlink.demand.models import Demand
from factorlink.listing.repository import ListingRepository


class DemandRepository(ListingRepository[Demand]):
    """Technology demands."""

    model = Demand
    title_column = "title"
    text_columns = ("title", "description", "code")
    list_columns = ("keywords",)
    price_columns = ("budget_min_wan", "budget_max_wan")
    coop_column = "coop_modes"
