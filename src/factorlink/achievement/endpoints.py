"""HTTP endpoints for /achievements: list, get, create, update, delete (listing/endpoints.py)."""

from factorlink.achievement.service import AchievementService
from factorlink.listing.endpoints import listing_router

router = listing_router(AchievementService)
