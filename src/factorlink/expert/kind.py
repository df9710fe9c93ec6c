"""Experts (专家), as every feature sees them."""

from __future__ import annotations

from collections.abc import Sequence

from factorlink.expert.columns import SPEC
from factorlink.expert.models import Expert
from factorlink.introduction.models import PartyKind
from factorlink.kinds.descriptor import (
    Fields,
    Kind,
    codes,
    industry_names,
    joined,
    own_city,
    own_code,
    own_industry,
    owning_organization,
)
from factorlink.matching.fit.profile import Profile


def document(row: Expert, extra: Sequence[str] = ()) -> Fields:
    """Research fields count twice, then services, affiliation and industry; the expert's own
    name says nothing about the subject, so it is left out."""
    return [
        (joined(row.fields), 2),
        (row.services or "", 1),
        (joined([row.affiliation or "", industry_names(row.industry)]), 1),
    ]


def profile(row: Expert) -> Profile:
    """Industry, research fields and city."""
    return Profile(
        kind="expert",
        industries=codes(row.industry),
        topics=tuple(row.fields),
        city=row.city,
    )


KIND: Kind[Expert] = Kind(
    key=PartyKind.expert,
    slug="experts",
    label=SPEC.label,
    label_en="Expert",
    model=Expert,
    title_field="name",
    code=own_code,
    title=lambda row: row.name,
    city=own_city,
    industry=own_industry,
    owner=owning_organization,
    document=document,
    profile=profile,
    spec=SPEC,
)
