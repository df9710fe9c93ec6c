"""The structured facts of a factor that structured fit compares (pure).

Amounts are in 万元, areas in ㎡. A fact the listing does not state is None (or empty): fit
treats it as unknown, never as a miss.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A closed range of amounts in 万元; either end may be open (None)."""

    low: float | None = None
    high: float | None = None

    @classmethod
    def of(cls, low: float | None, high: float | None) -> Span | None:
        """A span, or None when neither end is known."""
        return None if low is None and high is None else cls(low, high)


@dataclass(frozen=True)
class UnitPrice:
    """A price with its unit, as carriers quote it ("1.2元/㎡/天", "45万元/亩")."""

    value: float
    unit: str


@dataclass(frozen=True)
class Profile:
    """What fit needs to know about one factor of any kind."""

    kind: str
    # Industry codes: one for most kinds, several for capital and carriers (投资/欢迎行业).
    industries: tuple[str, ...] = ()
    subfield: str | None = None
    # An expert's research fields, where a sub-field may be named in other words.
    topics: tuple[str, ...] = ()
    city: str | None = None
    # The district, county or park within the city (区县), where it is known.
    district: str | None = None
    # Industries read from a lead's words (用途, 需求) rather than stated.
    industries_inferred: bool = False
    # Cities a capital product covers, or a lead's preferred cities.
    cities: tuple[str, ...] = ()
    budget: Span | None = None
    budget_negotiable: bool = False
    price: Span | None = None
    price_negotiable: bool = False
    trl: int | None = None
    trl_needed: int | None = None
    coop_modes: tuple[str, ...] = ()
    # Capital: the stages it invests in; a lead: the round it is raising.
    stages: tuple[str, ...] = ()
    ticket: Span | None = None
    # What a lead asks to raise or borrow, or an achievement's asking price.
    funding_wan: float | None = None
    capital_kind: str | None = None
    capital_kinds_wanted: tuple[str, ...] = ()
    capital_kinds_refused: tuple[str, ...] = ()
    org_kind: str | None = None
    annual_tax_wan: float | None = None
    carrier_kind: str | None = None
    carrier_kinds_wanted: tuple[str, ...] = ()
    area_sqm: float | None = None
    # A carrier let in parts (可分割, 1000㎡起): the smallest part, or its whole area if unknown.
    divisible: bool = False
    min_lease_sqm: float | None = None
    # A carrier let only as a whole (整栋, 独栋): entry thresholds apply to any tenant.
    whole_only: bool = False
    # Facilities a lead asks for (a chemical park, a clean room) and those a carrier offers or
    # rules out (非化工园区): feature key → True offered, False ruled out.
    features_wanted: tuple[str, ...] = ()
    features_offered: tuple[tuple[str, bool], ...] = ()
    area_needed_sqm: float | None = None
    unit_price: UnitPrice | None = None
    unit_price_cap: UnitPrice | None = None
    tax_threshold_wan_per_mu: float | None = None
    investment_threshold_wan_per_mu: float | None = None
    investment_wan: float | None = None
    lead_type: str | None = None
    purpose: str | None = None
    # A lead's 需求 in its own words.
    need_text: str | None = None


SQM_PER_MU = 10000 / 15
