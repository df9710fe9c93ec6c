"""API shapes of a capital product."""

from __future__ import annotations

from pydantic import Field

from factorlink.listing.schemas import Cell, ListingIn, ListingOut


class CapitalOut(ListingOut):
    """A capital product as the API shows it."""

    name: str
    kind: str
    stages: list[str]
    industries: list[str]
    ticket_min_wan: float | None
    ticket_max_wan: float | None
    cities: list[str]
    description: str | None


class CapitalIn(ListingIn):
    """A capital product to post or change."""

    name: str | None = Field(default=None, description="名称*")
    kind: str | None = Field(
        default=None, description="类型*: VC/PE, 政府引导基金, 银行贷款, 科技保险"
    )
    stages: Cell = Field(default=None, description="投资阶段")
    industries: Cell = Field(default=None, description="投资行业")
    ticket: Cell = Field(default=None, description="单笔金额(万元), e.g. 500-3000")
    cities: Cell = Field(default=None, description="覆盖城市")
    organization: str | None = Field(default=None, description="所属机构")
