"""API shapes of an expert."""

from __future__ import annotations

from pydantic import Field

from factorlink.listing.schemas import Cell, ListingIn, ListingOut


class ExpertOut(ListingOut):
    """An expert as the API shows it."""

    name: str
    affiliation: str | None
    fields: list[str]
    services: str | None
    industry: str | None
    industry_name: str | None = None


class ExpertIn(ListingIn):
    """An expert to post or change."""

    name: str | None = Field(default=None, description="姓名*")
    affiliation: str | None = Field(default=None, description="所属机构")
    fields: Cell = Field(default=None, description="研究领域*")
    services: str | None = Field(default=None, description="服务内容")
