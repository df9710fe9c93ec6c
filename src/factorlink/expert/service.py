"""Rules for experts."""

from factorlink.expert.columns import SPEC
from factorlink.expert.models import Expert
from factorlink.expert.repository import ExpertRepository
from factorlink.introduction.models import PartyKind
from factorlink.listing.service import ListingService


class ExpertService(ListingService[Expert]):
    """Experts and service platforms."""

    kind = PartyKind.expert
    spec = SPEC
    repository_class = ExpertRepository
