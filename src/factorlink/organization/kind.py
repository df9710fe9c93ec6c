"""Organisations (机构): enterprises, universities, institutes, investors, parks."""

from __future__ import annotations

from collections.abc import Sequence

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
)
from factorlink.matching.fit.profile import Profile
from factorlink.organization.columns import SPEC
from factorlink.organization.models import Organization


def document(row: Organization, extra: Sequence[str] = ()) -> Fields:
    """An enterprise has little text of its own: its field, its name, and what it is looking for
    (the titles and keywords of its demands, passed as `extra`)."""
    return [
        (joined([row.subfield or "", industry_names(row.industry)]), 2),
        (row.name, 1),
        (joined(extra), 1),
    ]


def profile(row: Organization) -> Profile:
    """Industry, city, kind of organisation and annual tax."""
    return Profile(
        kind="organization",
        industries=codes(row.industry),
        subfield=row.subfield,
        city=row.city,
        org_kind=str(row.kind.value),
        annual_tax_wan=row.annual_tax_wan,
    )


KIND: Kind[Organization] = Kind(
    key=PartyKind.organization,
    slug="organizations",
    label=SPEC.label,
    label_en="Organisation",
    model=Organization,
    title_field="name",
    code=own_code,
    title=lambda row: row.name,
    city=own_city,
    industry=own_industry,
    # An organisation owns itself (none yet before it is stored).
    owner=lambda row: int(row.id) if row.id is not None else None,
    document=document,
    names_only=True,
    profile=profile,
    spec=SPEC,
    filters=("kind",),
)
