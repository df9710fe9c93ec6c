"""Rules for technology demands."""

from factorlink.demand.columns import SPEC
from factorlink.demand.models import Demand
from factorlink.demand.repository import DemandRepository
from factorlink.introduction.models import PartyKind
from factorlink.listing.service import ListingService


class DemandService(ListingService[Demand]):
    """Technology demands."""

    kind = PartyKind.demand
    spec = SPEC
    repository_class = DemandRepository
