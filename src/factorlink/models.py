"""Imports every table so the metadata (and Alembic) sees the whole schema."""

from typing import Any

from factorlink.achievement.models import Achievement
from factorlink.auction.models import AuctionSession, AuditEntry, Bid, Bidder, Lot, LotResult
from factorlink.auth.models import AuthToken, User
from factorlink.capital.models import Capital
from factorlink.carrier.models import Carrier
from factorlink.demand.models import Demand
from factorlink.engagement.models import Follow, ListingViews
from factorlink.event.models import (
    Event,
    EventBlock,
    EventMeeting,
    EventOutcome,
    EventParticipant,
    EventRequest,
    EventTable,
)
from factorlink.expert.models import Expert
from factorlink.introduction.models import Introduction, IntroductionEvent, PartyKind
from factorlink.kinds.registry import KINDS
from factorlink.lead.models import Lead
from factorlink.matching.models import MatchChange
from factorlink.news.models import NewsArticle, NewsFetch, NewsLink, NewsTag
from factorlink.organization.models import Organization
from factorlink.photo.models import CarrierPhoto
from factorlink.recommend.models import Recommendation, RecommendationRun

# The tables behind each kind of party an introduction can join, from the kinds' descriptors.
PARTY_MODELS: dict[PartyKind, Any] = {key: kind.model for key, kind in KINDS.items()}
LISTING_MODELS: dict[PartyKind, Any] = {
    key: model
    for key, model in PARTY_MODELS.items()
    if key not in (PartyKind.organization, PartyKind.lead)
}
# Every party kind is matchable: each Database logs their writes in the change log the match
# indexes follow (db/session.py log_match_changes).

__all__ = [
    "LISTING_MODELS",
    "PARTY_MODELS",
    "Achievement",
    "AuctionSession",
    "AuditEntry",
    "AuthToken",
    "Bid",
    "Bidder",
    "Capital",
    "Carrier",
    "CarrierPhoto",
    "Demand",
    "Event",
    "EventBlock",
    "EventMeeting",
    "EventOutcome",
    "EventParticipant",
    "EventRequest",
    "EventTable",
    "Expert",
    "Follow",
    "Introduction",
    "IntroductionEvent",
    "Lead",
    "ListingViews",
    "Lot",
    "LotResult",
    "MatchChange",
    "NewsArticle",
    "NewsFetch",
    "NewsLink",
    "NewsTag",
    "Organization",
    "Recommendation",
    "RecommendationRun",
    "User",
]
