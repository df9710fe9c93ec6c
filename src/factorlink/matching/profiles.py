"""Profiles of stored factors: the structured facts of a row of each kind (reads, never queries)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from factorlink.achievement.models import Achievement
from factorlink.capital.models import Capital
from factorlink.carrier.models import Carrier
from factorlink.demand.models import Demand
from factorlink.expert.models import Expert
from factorlink.lead.models import Lead
from factorlink.matching.fit.config import get_fit_config
from factorlink.matching.fit.needs import (
    infer_industries,
    offered_features,
    read_features,
    read_needs,
)
from factorlink.matching.fit.profile import Profile, Span, UnitPrice
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


# A carrier let in parts says so in its name or description: 可分割, 可分租, 1000㎡起(租).
_DIVISIBLE = ("可分割", "可分租", "分层", "分租", "起租")
_WHOLE = ("整栋", "独栋", "不可分割", "整体出租")
_MIN_LEASE = re.compile(r"(?:最小|最少)?\s*(\d+(?:\.\d+)?)\s*(?:㎡|m2|平方米|平米)\s*起")


def _carrier(row: Carrier) -> Profile:
    price = None
    if row.price_value is not None and row.price_unit:
        price = UnitPrice(row.price_value, row.price_unit)
    words = " ".join(t for t in (row.name, row.description) if t)
    least = _MIN_LEASE.search(words) or re.search(r"最小\s*(\d+)\s*(?:㎡|m2)", words)
    return Profile(
        kind="carrier",
        industries=tuple(row.industries),
        city=row.city,
        district=row.district,
        carrier_kind=row.kind,
        area_sqm=row.area_sqm,
        divisible=(least is not None or any(w in words for w in _DIVISIBLE))
        and not any(w in words for w in _WHOLE),
        whole_only=any(w in words for w in _WHOLE),
        features_offered=offered_features(words, get_fit_config().features),
        min_lease_sqm=float(least.group(1)) if least else None,
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
    # A lead states its figures in words (需要14200㎡厂房, A轮融资2050万元): read them, and the
    # industry it leaves out from what it is for.
    words = " ".join(t for t in (row.need, row.purpose) if t)
    needs = read_needs(words)
    # The industry it leaves out is read from what it is for; a stated one is widened by the
    # industries its own words name (电驱系统 that needs "SiC功率模块封装").
    config = get_fit_config()
    stated = _codes(row.industry)
    read = infer_industries(
        " ".join(t for t in (row.purpose, row.need) if t),
        config.industries,
        config.industry_cues,
        every=bool(stated),
    )
    industries = tuple(dict.fromkeys((*stated, *read)))
    inferred = not stated and bool(read)
    features = read_features(words, config.features)
    return Profile(
        kind="lead",
        industries=industries,
        industries_inferred=inferred,
        features_wanted=features,
        city=row.city,
        district=row.district,
        cities=tuple(row.preferred_cities),
        budget=needs.budget,
        stages=needs.stages,
        funding_wan=needs.funding_wan,
        annual_tax_wan=row.annual_tax_wan,
        carrier_kinds_wanted=needs.carrier_kinds,
        capital_kinds_wanted=needs.capital_kinds,
        capital_kinds_refused=needs.capital_kinds_refused,
        area_needed_sqm=needs.area_sqm,
        unit_price_cap=needs.price_cap,
        investment_wan=needs.investment_wan,
        lead_type=str(row.lead_type.value),
        purpose=row.purpose,
        need_text=row.need,
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
