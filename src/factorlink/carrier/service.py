"""Rules for carriers."""

from factorlink.carrier.kind import KIND
from factorlink.carrier.models import Carrier
from factorlink.carrier.repository import CarrierRepository
from factorlink.carrier.schemas import CarrierIn, CarrierOut
from factorlink.listing.service import ListingService


class CarrierService(ListingService[Carrier]):
    """Carriers."""

    descriptor = KIND
    in_schema = CarrierIn
    out_schema = CarrierOut
    repository_class = CarrierRepository
