"""HTTP endpoints for /organizations: list, get, create, update, delete (listing/endpoints.py)."""

from factorlink.listing.endpoints import listing_router
from factorlink.organization.service import OrganizationService

router = listing_router(OrganizationService)
