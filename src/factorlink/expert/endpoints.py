"""HTTP endpoints for /experts: list, get, create, update, delete (listing/endpoints.py)."""

from factorlink.expert.service import ExpertService
from factorlink.listing.endpoints import listing_router

router = listing_router(ExpertService)
