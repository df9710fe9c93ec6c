"""HTTP endpoints for technology achievements."""

from factorlink.achievement.schemas import AchievementIn, AchievementOut
from factorlink.achievement.service import AchievementService
from factorlink.listing.endpoints import listing_router

router = listing_router(
    prefix="/achievements",
    tag="achievements",
    service_class=AchievementService,
    out_schema=AchievementOut,
    in_schema=AchievementIn,
)
