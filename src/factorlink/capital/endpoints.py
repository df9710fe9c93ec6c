"""HTTP endpoints for capital products."""

from factorlink.capital.schemas import CapitalIn, CapitalOut
from factorlink.capital.service import CapitalService
from factorlink.listing.endpoints import listing_router

router = listing_router(
    prefix="/capital",
    tag="capital",
    service_class=CapitalService,
    out_schema=CapitalOut,
    in_schema=CapitalIn,
)
