"""Rules for technology demands."""

from factorlink.demand.kind import KIND
from factorlink.demand.models import Demand
from factorlink.demand.repository import DemandRepository
from factorlink.demand.schemas import DemandIn, DemandOut
from factorlink.listing.service import ListingService


class DemandService(ListingService[Demand]):
    """Technology demands."""

    descriptor = KIND
    in_schema = DemandIn
    out_schema = DemandOut
    repository_class = DemandRepository
