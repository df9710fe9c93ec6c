"""HTTP endpoints for /capital: list, get, create, update, delete (listing/endpoints.py)."""

from factorlink.capital.service import CapitalService
from factorlink.listing.endpoints import listing_router

router = listing_router(CapitalService)
