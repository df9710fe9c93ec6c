"""HTTP endpoints for /carriers: list, get, create, update, delete (listing/endpoints.py)."""

from factorlink.carrier.service import CarrierService
from factorlink.listing.endpoints import listing_router

router = listing_router(CarrierService)
