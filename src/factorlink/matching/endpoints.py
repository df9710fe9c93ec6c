"""HTTP endpoint: the explained matches of any factor."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BeforeValidator

from factorlink.api.deps import CurrentViewer, DbSession
from factorlink.kinds.registry import BY_SLUG
from factorlink.kit.ids import IdPath
from factorlink.matching.live.indexes import waiting_for_vectors
from factorlink.matching.presenter import present_matches
from factorlink.matching.retrieval.engine import Method
from factorlink.matching.schemas import MatchListOut
from factorlink.matching.service import MAX_LIMIT, find_matches

router = APIRouter(tags=["matching"])


class Collection(StrEnum):
    """The API collections whose members can be matched, and the kind each holds."""

    achievements = "achievements"
    demands = "demands"
    capital = "capital"
    carriers = "carriers"
    experts = "experts"
    organizations = "organizations"
    leads = "leads"


# Each collection holds the kind whose slug it is (a test checks the enum against the registry).
KIND_OF = {collection: BY_SLUG[collection.value].key.value for collection in Collection}
# A target may be named by kind (achievement) or by collection (achievements).
TARGET_ALIASES = {**{c.value: k for c, k in KIND_OF.items()}, **{k: k for k in KIND_OF.values()}}


class Target(StrEnum):
    """A target kind as the API accepts it: by kind or by collection (a test checks it
    against TARGET_ALIASES)."""

    achievement = "achievement"
    achievements = "achievements"
    demand = "demand"
    demands = "demands"
    capital = "capital"
    carrier = "carrier"
    carriers = "carriers"
    expert = "expert"
    experts = "experts"
    organization = "organization"
    organizations = "organizations"
    lead = "lead"
    leads = "leads"


def _folded(value: object) -> object:
    """Spellings differ in case and spaces only: " Achievement " is achievement."""
    return value.strip().lower() if isinstance(value, str) else value


@router.get("/{collection}/{factor_id}/matches", response_model=MatchListOut, summary="智能匹配")
def matches(
    collection: Collection,
    factor_id: IdPath,
    session: DbSession,
    viewer: CurrentViewer,
    target: Annotated[
        Target,
        BeforeValidator(_folded),
        Query(
            description="Kind to match to: achievement, demand, expert, capital, carrier, "
            "organization (enterprises) or lead",
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
    method: Method = Method.hybrid,
) -> MatchListOut:
    """The best counterparts of one factor, each with its score and reasons: shared words,
    semantic similarity and every structured criterion met or missed. Directions: demand →
    achievement, expert; achievement → demand, organization, capital; organization or lead →
    capital, carrier; carrier → organization, lead. Contacts are masked as everywhere else.
    Newly posted factors are found by their words until their vectors are encoded (minutes):
    `pending_vectors` counts them, and `complete` is false meanwhile.
    """
    target_kind = TARGET_ALIASES[target.value]
    found = find_matches(
        session, viewer, KIND_OF[collection], factor_id, target_kind, limit, method
    )
    # Words alone (bm25) do not wait for vectors.
    pending = 0 if method == Method.bm25 else waiting_for_vectors(session, found.target)
    return present_matches(found, pending)
