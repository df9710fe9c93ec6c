"""Technology achievements (科技成果), as every feature sees them."""

from __future__ import annotations

from collections.abc import Sequence

from factorlink.achievement.columns import SPEC
from factorlink.achievement.models import Achievement
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


def document(row: Achievement, extra: Sequence[str] = ()) -> Fields:
    """Title and keywords count twice, then the abstract, sub-field and industry."""
    return technology_document(row.title, row.keywords, row.abstract, row.subfield, row.industry)


def profile(row: Achievement) -> Profile:
    """Industry, readiness, cooperation modes and the asking price."""
    return Profile(
        kind="achievement",
        industries=codes(row.industry),
        subfield=row.subfield,
        city=row.city,
        price=Span.of(row.price_wan, row.price_wan),
        price_negotiable=row.price_negotiable,
        trl=row.trl,
        coop_modes=tuple(row.coop_modes),
        # What a deal around the achievement takes: its asking price.
        funding_wan=row.price_wan,
    )


KIND: Kind[Achievement] = Kind(
    key=PartyKind.achievement,
    slug="achievements",
    label=SPEC.label,
    label_en="Technology achievement",
    model=Achievement,
    title_field="title",
    code=own_code,
    title=lambda row: row.title,
    city=own_city,
    industry=own_industry,
    owner=owning_organization,
    document=document,
    profile=profile,
    spec=SPEC,
    filters=("min_trl", "price", "coop_mode"),
    price_label="价格(万元)",
)
