"""Rules for experts."""

from factorlink.expert.kind import KIND
from factorlink.expert.models import Expert
from factorlink.expert.repository import ExpertRepository
from factorlink.expert.schemas import ExpertIn, ExpertOut
from factorlink.listing.service import ListingService


class ExpertService(ListingService[Expert]):
    """Experts and service platforms."""

    descriptor = KIND
    in_schema = ExpertIn
    out_schema = ExpertOut
    repository_class = ExpertRepository
