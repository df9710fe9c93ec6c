"""Rules for technology achievements."""

from factorlink.achievement.kind import KIND
from factorlink.achievement.models import Achievement
from factorlink.achievement.repository import AchievementRepository
from factorlink.achievement.schemas import AchievementIn, AchievementOut
from factorlink.listing.service import ListingService


class AchievementService(ListingService[Achievement]):
    """Technology achievements."""

    descriptor = KIND
    in_schema = AchievementIn
    out_schema = AchievementOut
    repository_class = AchievementRepository
