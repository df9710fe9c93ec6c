"""API shapes of a technology demand."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from factorlink.listing.schemas import Cell, ListingIn, ListingOut


class DemandOut(ListingOut):
    """A technology demand as the API shows it."""

    title: str
    description: str
    keywords: list[str]
    industry: str
    industry_name: str | None = None
    industry_text: str | None = Field(
        default=None,
        description="所属行业 as typed (汽车零部件), where the catalogue differs",
    )
    subfield: str | None
    budget_min_wan: float | None
    budget_max_wan: float | None
    budget_negotiable: bool
    deadline: date | None
    deadline_text: str | None = None
    coop_modes: list[str]


class DemandIn(ListingIn):
    """A technology demand to post or change."""

    title: str | None = Field(default=None, description="需求名称*")
    description: str | None = Field(default=None, description="需求描述*")
    keywords: Cell = Field(default=None, description="关键词")
    industry: str | None = Field(default=None, description="所属行业*")
    budget: Cell = Field(default=None, description="预算(万元): 200, 100-300 or 面议")
    deadline: str | None = Field(
        default=None, description="截止日期, e.g. 2027-06-30, 2027年6月底 or 2027年三季度"
    )
    coop_modes: Cell = Field(default=None, description="合作方式")
    organization: str | None = Field(default=None, description="需求单位* (members: their own)")
