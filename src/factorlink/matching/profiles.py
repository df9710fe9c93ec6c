"""Profiles of stored factors: the structured facts of a row of each kind (reads, never queries)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from factorlink.achievement.models import Achievement
from factorlink.capital.models import Capital
from factorlink.carrier.models import Carrier
from factorlink.demand.models import Demand
from factorlink.expert.models import Expert
from factorlink.lead.models import Lead
from factorlink.matching.fit.profile import Profile, Span, UnitPrice, read_needs
from factorlink.organization.models import Organization


def _codes(*values: str | None) -> tuple[str, ...]:
    return tuple(v for v in values if v)


def _achievement(row: Achievement) -> Profile:
    price = Span.of(row.price_wan, row.price_wan)
    return Profile(
        kind="achievement",
        industries=_codes(row.industry),
        subfield=row.subfield,
        city=row.city,
        price=price,
        price_negotiable=row.price_negotiable,
        trl=row.trl,
        coop_modes=tuple(row.coop_modes),
        # What a deal around the achievement takes: its asking price.
        funding_wan=row.price_wan,
    )


def _demand(row: Demand) -> Profile:
    # A demand states no readiness it needs; fit infers none.
    return Profile(
        kind="demand",
        industries=_codes(row.industry),
        subfield=row.subfield,
        city=row.city,
        budget=Span.of(row.budget_min_wan, row.budget_max_wan),
        budget_negotiable=row.budget_negotiable,
        coop_modes=tuple(row.coop_modes),
    )


def _capital(row: Capital) -> Profile:
    return Profile(
        kind="capital",
        industries=tuple(row.industries),
        city=row.city,
        cities=tuple(row.cities),
        stages=tuple(row.stages),
        ticket=Span.of(row.ticket_min_wan, row.ticket_max_wan),
        capital_kind=row.kind,
    )


def _carrier(row: Carrier) -> Profile:
    price = None
    if row.price_value is not None and row.price_unit:
        price = UnitPrice(row.price_value, row.price_unit)
    return Profile(
        kind="carrier",
        industries=tuple(row.industries),
        city=row.city,
        carrier_kind=row.kind,
        area_sqm=row.area_sqm,
        unit_price=price,
        tax_threshold_wan_per_mu=row.tax_threshold_wan_per_mu,
        investment_threshold_wan_per_mu=row.investment_threshold_wan_per_mu,
    )


def _expert(row: Expert) -> Profile:
    return Profile(
        kind="expert", industries=_codes(row.industry), topics=tuple(row.fields), city=row.city
    )


def _organization(row: Organization) -> Profile:
    return Profile(
        kind="organization",
        industries=_codes(row.industry),
        subfield=row.subfield,
        city=row.city,
        org_kind=str(row.kind.value),
        annual_tax_wan=row.annual_tax_wan,
    )


def _lead(row: Lead) -> Profile:
    # A lead states its figures in words (需要14200㎡厂房, A轮融资2050万元): read them.
    needs = read_needs(" ".join(t for t in (row.need, row.purpose) if t))
    return Profile(
        kind="lead",
        industries=_codes(row.industry),
        city=row.city,
        cities=tuple(row.preferred_cities),
        budget=needs.budget,
        stages=needs.stages,
        funding_wan=needs.funding_wan,
        annual_tax_wan=row.annual_tax_wan,
        carrier_kinds_wanted=needs.carrier_kinds,
        capital_kinds_wanted=needs.capital_kinds,
        area_needed_sqm=needs.area_sqm,
        unit_price_cap=needs.price_cap,
        investment_wan=needs.investment_wan,
        lead_type=str(row.lead_type.value),
        purpose=row.purpose,
    )


BUILDERS: dict[str, Callable[[Any], Profile]] = {
    "achievement": _achievement,
    "demand": _demand,
    "capital": _capital,
    "carrier": _carrier,
    "expert": _expert,
    "organization": _organization,
    "lead": _lead,
}


def profile_of(kind: str, obj: Any) -> Profile:
    """The profile of a stored row of this kind; raises ValueError for an unknown kind."""
    builder = BUILDERS.get(kind)
    if builder is None:
        raise ValueError(f"no profile for kind {kind!r}; expected one of {', '.join(BUILDERS)}")
    return builder(obj)
