"""The registry of factor kinds: every feature that handles kinds reads them here.

Adding a kind: write its folder (models, columns, schemas, repository, service, endpoints and
`kind.py` with its descriptor) and add it to `KINDS` below.
"""

from __future__ import annotations

from typing import Any

from factorlink.achievement.kind import KIND as ACHIEVEMENT
from factorlink.capital.kind import KIND as CAPITAL
from factorlink.carrier.kind import KIND as CARRIER
from factorlink.demand.kind import KIND as DEMAND
from factorlink.expert.kind import KIND as EXPERT
from factorlink.introduction.models import PartyKind
from factorlink.kinds.descriptor import Kind
from factorlink.lead.kind import KIND as LEAD
from factorlink.organization.kind import KIND as ORGANIZATION

# In the order files are imported: the other kinds name organisations, so those come first.
KINDS: dict[PartyKind, Kind[Any]] = {
    k.key: k for k in (ORGANIZATION, ACHIEVEMENT, DEMAND, CAPITAL, CARRIER, EXPERT, LEAD)
}
BY_SLUG: dict[str, Kind[Any]] = {k.slug: k for k in KINDS.values()}
# Kinds that are listings (posted, imported, exported); leads are not.
LISTINGS: dict[PartyKind, Kind[Any]] = {k: d for k, d in KINDS.items() if d.is_listing}


def kind_of(key: PartyKind | str) -> Kind[Any]:
    """A kind's descriptor; raises KeyError for an unknown kind."""
    return KINDS[PartyKind(key)]


def label_of(key: str) -> str:
    """The Chinese name of a kind (the key itself where unknown)."""
    return KINDS[PartyKind(key)].label if key in PartyKind.__members__ else key
