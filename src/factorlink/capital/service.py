"""Rules for capital products."""

from factorlink.capital.columns import SPEC
from factorlink.capital.models import Capital
from factorlink.capital.repository import CapitalRepository
from factorlink.introduction.models import PartyKind
from factorlink.listing.service import ListingService


class CapitalService(ListingService[Capital]):
    """Capital products."""

    kind = PartyKind.capital
    spec = SPEC
    repository_class = CapitalRepository
