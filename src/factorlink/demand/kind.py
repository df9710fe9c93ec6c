"""Enterprise technology demands (技术需求), as every feature sees them."""

from __future__ import annotations

from collections.abc import Sequence

from factorlink.demand.columns import SPEC
from factorlink.demand.models import Demand
from factorlink.introduction.models import PartyKind
from factorlink.kinds.descriptor import (
    Fields,
    Kind,
    codes,
    own_city,
    own_code,
    own_industry,
    owning_organization,
    technology_document,
)
from factorlink.matching.fit.profile import Profile, Span


def document(row: Demand, extra: Sequence[str] = ()) -> Fields:
    """Title and keywords count twice, then the description, sub-field and industry."""
    return technology_document(row.title, row.keywords, row.description, row.subfield, row.industry)


def profile(row: Demand) -> Profile:
    """Industry, budget and cooperation modes; a demand states no readiness it needs."""
    return Profile(
        kind="demand",
        industries=codes(row.industry),
        subfield=row.subfield,
        city=row.city,
        budget=Span.of(row.budget_min_wan, row.budget_max_wan),
        budget_negotiable=row.budget_negotiable,
        coop_modes=tuple(row.coop_modes),
    )


KIND: Kind[Demand] = Kind(
    key=PartyKind.demand,
    slug="demands",
    label=SPEC.label,
    label_en="Technology demand",
    model=Demand,
    title_field="title",
    code=own_code,
    title=lambda row: row.title,
    city=own_city,
    industry=own_industry,
    owner=owning_organization,
    document=document,
    profile=profile,
    spec=SPEC,
    filters=("price", "coop_mode"),
    price_label="预算(万元)",
)
