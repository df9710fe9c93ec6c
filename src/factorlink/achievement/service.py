"""Rules for technology achievements."""

from factorlink.achievement.columns import SPEC
from factorlink.achievement.models import Achievement
from factorlink.achievement.repository import AchievementRepository
from factorlink.introduction.models import PartyKind
from factorlink.listing.service import ListingService


class AchievementService(ListingService[Achievement]):
    """Technology achievements."""

    kind = PartyKind.achievement
    spec = SPEC
    repository_class = AchievementRepository
