"""HTTP endpoints for technology demands."""

from factorlink.demand.schemas import DemandIn, DemandOut
from factorlink.demand.service import DemandService
from factorlink.listing.endpoints import listing_router

router = listing_router(
    prefix="/demands",
    tag="demands",
    service_class=DemandService,
    out_schema=DemandOut,
    in_schema=DemandIn,
)
