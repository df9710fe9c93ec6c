"""HTTP endpoints for experts."""

from factorlink.expert.schemas import ExpertIn, ExpertOut
from factorlink.expert.service import ExpertService
from factorlink.listing.endpoints import listing_router

router = listing_router(
    prefix="/experts",
    tag="experts",
    service_class=ExpertService,
    out_schema=ExpertOut,
    in_schema=ExpertIn,
)
