"""Capital (资本): funds, loans and insurance, as every feature sees them."""

from __future__ import annotations

from collections.abc import Sequence

from factorlink.capital.columns import SPEC
from factorlink.capital.models import Capital
from factorlink.introduction.models import PartyKind
from factorlink.kinds.descriptor import (
    Fields,
    Kind,
    first_industry,
    industry_names,
    joined,
    own_code,
    owning_organization,
)
from factorlink.matching.fit.profile import Profile, Span
from factorlink.validation.vocab import label


def document(row: Capital, extra: Sequence[str] = ()) -> Fields:
    """The name counts twice, then the description, kind, stages and industries."""
    return [
        (row.name, 2),
        (row.description or "", 1),
        (joined([label(row.kind), *map(label, row.stages), industry_names(*row.industries)]), 1),
    ]


def profile(row: Capital) -> Profile:
    """Industries, cities covered, stages, ticket and the kind of capital."""
    return Profile(
        kind="capital",
        industries=tuple(row.industries),
        city=row.city,
        cities=tuple(row.cities),
        stages=tuple(row.stages),
        ticket=Span.of(row.ticket_min_wan, row.ticket_max_wan),
        capital_kind=row.kind,
    )


def city(row: Capital) -> str | None:
    """A fund's home, or the first city it covers."""
    return row.city or next(iter(row.cities), None)


KIND: Kind[Capital] = Kind(
    key=PartyKind.capital,
    slug="capital",
    label=SPEC.label,
    label_en="Capital",
    model=Capital,
    title_field="name",
    code=own_code,
    title=lambda row: row.name,
    city=city,
    industry=first_industry,
    owner=owning_organization,
    document=document,
    names_only=True,
    profile=profile,
    spec=SPEC,
    filters=("kind", "price"),
    price_label="单笔金额(万元)",
)
