"""Queries for technology achievements."""

from factorlink.achievement.models import Achievement
from factorlink.listing.repository import ListingRepository


class AchievementRepository(ListingRepository[Achievement]):
    """Technology achievements."""

    model = Achievement
    title_column = "title"
    text_columns = ("title", "abstract", "code")
    list_columns = ("keywords",)
    price_columns = ("price_wan", "price_wan")
    readiness_column = "trl"
    coop_column = "coop_modes"
