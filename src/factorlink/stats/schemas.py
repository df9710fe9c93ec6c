"""API shape of the statistics."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CityCount(BaseModel):
    """A count for one city."""

    city: str | None
    city_name: str | None
    count: int


class ListingStats(BaseModel):
    """How many listings of one kind there are, in total and per city (stock today)."""

    kind: str
    label: str
    total: int
    by_city: list[CityCount]


class LabelledCount(BaseModel):
    """A count for one value (a lead type, a status)."""

    value: str
    label: str
    count: int


class LeadStats(BaseModel):
    """Leads received in the period."""

    total: int
    by_type: list[LabelledCount]
    by_status: list[LabelledCount]


class IntroductionStats(BaseModel):
    """Introductions proposed in the period, by where they stand now."""

    total: int
    by_status: list[LabelledCount]
    signed: int
    cross_city: int = Field(description="Introductions whose two sides are in different cities")
    cross_city_share: float | None = Field(description="cross_city / total; null when total is 0")
    conversion: float | None = Field(description="signed / total; null when total is 0")


class DealRow(BaseModel):
    """Signed deals for one city, industry or month: how many and for how much (万元)."""

    key: str | None
    name: str | None
    count: int
    amount_wan: float


class DealStats(BaseModel):
    """Deals signed in the period (by signing time, UTC)."""

    count: int
    amount_wan: float
    by_city: list[DealRow]
    by_industry: list[DealRow]
    by_month: list[DealRow]


class StatsFilters(BaseModel):
    """The filters the figures were computed with."""

    from_month: str | None
    to_month: str | None
    city: str | None
    city_name: str | None


class StatsOut(BaseModel):
    """Listings, leads, introductions and deals, by city, industry and month."""

    filters: StatsFilters
    listings: list[ListingStats]
    leads: LeadStats
    introductions: IntroductionStats
    deals: DealStats
