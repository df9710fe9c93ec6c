"""API shape of the statistics."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Bucket(BaseModel):
    """One group of a breakdown: a city, an industry, a month, a lead type or a status."""

    key: str | None = Field(
        description="The group's code (songjiang, ai, technology, signed) or month (YYYY-MM); "
        "null for records that name none"
    )
    label: str | None = Field(
        description="Its display name (上海松江, 人工智能, 技术, 已签约; a month as is); "
        "the key itself when the code is unknown, null when the key is null"
    )
    count: int = Field(description="How many records fall in the group")


class DealBucket(Bucket):
    """One group of signed deals: how many, and for how much."""

    amount_wan: float = Field(description="Total signed amount in 万元")


class ListingStats(BaseModel):
    """How many listings of one kind there are, in total and per city (stock today)."""

    kind: str
    label: str
    total: int
    by_city: list[Bucket]


class LeadStats(BaseModel):
    """Leads received in the period."""

    total: int
    by_type: list[Bucket]
    by_status: list[Bucket]


class IntroductionStats(BaseModel):
    """Introductions proposed in the period, by where they stand now."""

    total: int
    by_status: list[Bucket]
    signed: int
    cross_city: int = Field(description="Introductions whose two sides are in different cities")
    cross_city_share: float | None = Field(description="cross_city / total; null when total is 0")
    conversion: float | None = Field(description="signed / total; null when total is 0")


class DealStats(BaseModel):
    """Deals signed in the period (by signing time, UTC). `by_city` counts a deal for the
    cities of both parties (once when they share one; a party naming no city adds none), so
    its rows may add up to more than `count`; `by_month` lists every month of the period."""

    count: int
    amount_wan: float
    by_city: list[DealBucket]
    by_industry: list[DealBucket]
    by_month: list[DealBucket]


class StatsFilters(BaseModel):
    """The filters the figures were computed with."""

    from_month: str | None
    to_month: str | None
    city: str | None = Field(description="The city's code when exactly one was chosen")
    city_name: str | None
    cities: list[str] = Field(description="Every city chosen (codes); empty for all cities")
    city_names: list[str] = Field(description="Their display names, in the same order")


class StatsOut(BaseModel):
    """Listings, leads, introductions and deals, by city, industry and month."""

    filters: StatsFilters
    listings: list[ListingStats]
    leads: LeadStats
    introductions: IntroductionStats
    deals: DealStats
