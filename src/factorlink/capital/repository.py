"""Queries for capital products."""

from factorlink.capital.models import Capital
from factorlink.listing.repository import ListingRepository


class CapitalRepository(ListingRepository[Capital]):
    """Capital products; they match a city they cover and any industry they invest in."""

    model = Capital
    text_columns = ("name", "description", "code")
    list_columns = ("stages",)
    industry_column = "industries"
    industry_is_list = True
    city_list_column = "cities"
    price_columns = ("ticket_min_wan", "ticket_max_wan")
