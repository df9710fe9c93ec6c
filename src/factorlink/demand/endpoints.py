"""HTTP endpoints for /demands: list, get, create, update, delete (listing/endpoints.py)."""

from factorlink.demand.service import DemandService
from factorlink.listing.endpoints import listing_router

router = listing_router(DemandService)
