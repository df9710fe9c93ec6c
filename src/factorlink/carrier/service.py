"""Rules for carriers."""

from factorlink.carrier.columns import SPEC
from factorlink.carrier.models import Carrier
from factorlink.carrier.repository import CarrierRepository
from factorlink.introduction.models import PartyKind
from factorlink.listing.service import ListingService


class CarrierService(ListingService[Carrier]):
    """Carriers."""

    kind = PartyKind.carrier
    spec = SPEC
    repository_class = CarrierRepository
