"""HTTP endpoints for organisations."""

from factorlink.listing.endpoints import listing_router
from factorlink.organization.schemas import OrganizationIn, OrganizationOut
from factorlink.organization.service import OrganizationService

router = listing_router(
    prefix="/organizations",
    tag="organizations",
    service_class=OrganizationService,
    out_schema=OrganizationOut,
    in_schema=OrganizationIn,
)
