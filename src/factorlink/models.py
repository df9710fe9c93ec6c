"""Imports every table so the metadata (and Alembic) sees the whole schema."""

from factorlink.achievement.models import Achievement
from factorlink.auth.models import AuthToken, User
from factorlink.capital.models import Capital
from factorlink.carrier.models import Carrier
from factorlink.demand.models import Demand
from factorlink.expert.models import Expert
from factorlink.introduction.models import Introduction, IntroductionEvent
from factorlink.lead.models import Lead
from factorlink.organization.models import Organization

__all__ = [
    "Achievement",
    "AuthToken",
    "Capital",
    "Carrier",
    "Demand",
    "Expert",
    "Introduction",
    "IntroductionEvent",
    "Lead",
    "Organization",
    "User",
]
