"""A small world for the masking tests: one organisation's listings, and a viewer of every role.

松江示例新材料有限公司 (in songjiang) owns one listing of each kind, all with the contact
李晓明 13812345678; the organisation itself has the contact 王建国 13900001111. Counterpart
organisations are introduced to each of those listings, each at a different stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from factorlink.achievement.models import Achievement
from factorlink.capital.models import Capital
from factorlink.carrier.models import Carrier
from factorlink.db.base import utcnow
from factorlink.db.session import Database
from factorlink.demand.models import Demand
from factorlink.expert.models import Expert
from factorlink.introduction.models import Introduction, IntroductionStatus, PartyKind
from factorlink.organization.models import Organization
from tests.factories import MakeActor, MakeOrganization

CONTACT = {"contact_name": "李晓明", "contact_mobile": "13812345678"}
ORG_CONTACT = {"contact_name": "王建国", "contact_mobile": "13900001111"}

# API path of each kind, and the party kind an introduction names it by.
KINDS: dict[str, PartyKind] = {
    "achievements": PartyKind.achievement,
    "demands": PartyKind.demand,
    "capital": PartyKind.capital,
    "carriers": PartyKind.carrier,
    "experts": PartyKind.expert,
    "organizations": PartyKind.organization,
}
ALL = frozenset(KINDS)
NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class World:
    """The owning organisation, its listing ids by API path, and each viewer's headers."""

    owner_id: int
    ids: dict[str, int]
    counterparts: dict[str, int]
    headers: dict[str, dict[str, str]]


def _listings(owner: Organization) -> dict[str, Any]:
    common = {"city": "songjiang", "organization_id": owner.id, **CONTACT}
    return {
        "achievements": Achievement(
            code="ACH-PRIV-1",
            title="高导热石墨烯复合散热膜制备技术",
            abstract="采用化学气相沉积与热压复合工艺,已完成中试。",
            industry="materials",
            **common,
        ),
        "demands": Demand(
            code="DEM-PRIV-1",
            title="电池包轻量化散热方案",
            description="现有铝制液冷板重量偏大,需减重20%以上。",
            industry="materials",
            **common,
        ),
        "capital": Capital(code="CAP-PRIV-1", name="松江新材料产业基金", kind="基金", **common),
        "carriers": Carrier(code="CAR-PRIV-1", name="松江综保区标准厂房", kind="厂房", **common),
        "experts": Expert(code="EXP-PRIV-1", name="周立群", **common),
    }


def _introduce(party_a: tuple[PartyKind, int], counterpart_id: int, stage: str) -> Introduction:
    now = utcnow()
    earlier = now - timedelta(days=3)
    intro = Introduction(
        party_a_kind=party_a[0],
        party_a_id=party_a[1],
        party_b_kind=PartyKind.organization,
        party_b_id=counterpart_id,
        city="songjiang",
        industry="materials",
        proposed_at=earlier,
    )
    if stage in ("contacted", "signed", "closed_after_contact"):
        intro.contacted_at = earlier + timedelta(days=1)
    if stage == "signed":
        intro.negotiating_at = intro.signed_at = now
        intro.amount_wan = 300
    if stage == "negotiating_unstamped":
        intro.negotiating_at = now  # moved on without a contacted_at: still past "contacted"
    if stage.startswith("closed"):
        intro.closed_at, intro.close_reason = now, "双方未达成一致"
    intro.status = IntroductionStatus(stage.split("_")[0])
    return intro


# Counterpart organisations: introduced to every listing at one stage, or to one listing only.
STAGES = (
    "proposed",
    "contacted",
    "negotiating_unstamped",
    "signed",
    "closed_after_contact",
    "closed_before_contact",
)


@pytest.fixture
def world(database: Database, make_org: MakeOrganization, make_actor: MakeActor) -> World:
    """Builds the owner, its listings, the introductions and one viewer per role."""
    owner = make_org("松江示例新材料有限公司", city="songjiang")
    stranger = make_org("合肥示例量子科技有限公司", city="hefei")
    counterparts = {stage: make_org(f"对接方{stage}有限公司", city="hangzhou") for stage in STAGES}
    narrow = make_org("只对接成果的嘉兴公司", city="jiaxing")
    with database.unit_of_work() as s:
        listings = _listings(owner)
        s.add_all(listings.values())
        s.flush()
        ids = {path: obj.id for path, obj in listings.items()} | {"organizations": owner.id}
        for stage, org in counterparts.items():
            for path, kind in KINDS.items():
                s.add(_introduce((kind, ids[path]), org.id, stage))
        s.add(_introduce((PartyKind.achievement, ids["achievements"]), narrow.id, "contacted"))
    headers = {
        "anonymous": {},
        "member_of_another_org": make_actor("member", organization_id=stranger.id).headers,
        "member_of_owner": make_actor("member", organization_id=owner.id).headers,
        "operator_in_scope": make_actor("operator", city_scope=["jiaxing", "songjiang"]).headers,
        "operator_out_of_scope": make_actor("operator", city_scope=["hefei"]).headers,
        "operator_unscoped": make_actor("operator").headers,
        "admin": make_actor("admin").headers,
        "counterpart_of_achievement_only": make_actor("member", organization_id=narrow.id).headers,
    }
    for stage, org in counterparts.items():
        headers[f"counterpart_{stage}"] = make_actor("member", organization_id=org.id).headers
    return World(
        owner_id=owner.id,
        ids=ids,
        counterparts={stage: org.id for stage, org in counterparts.items()},
        headers=headers,
    )
