"""HTTP endpoints for carriers."""

from factorlink.carrier.schemas import CarrierIn, CarrierOut
from factorlink.carrier.service import CarrierService
from factorlink.listing.endpoints import listing_router

router = listing_router(
    prefix="/carriers",
    tag="carriers",
    service_class=CarrierService,
    out_schema=CarrierOut,
    in_schema=CarrierIn,
)
