"""API shapes of an industrial carrier."""

from __future__ import annotations

from pydantic import Field

from factorlink.listing.schemas import Cell, ListingIn, ListingOut


class CarrierOut(ListingOut):
    """A carrier as the API shows it."""

    name: str
    kind: str
    area_value: float | None
    area_unit: str | None
    area_sqm: float | None
    price_value: float | None
    price_unit: str | None
    industries: list[str]
    tax_threshold_wan_per_mu: float | None
    investment_threshold_wan_per_mu: float | None
    description: str | None


class CarrierIn(ListingIn):
    """A carrier to post or change."""

    name: str | None = Field(default=None, description="名称*")
    kind: str | None = Field(default=None, description="类型*: 土地/厂房/写字楼/孵化器")
    district: str | None = Field(default=None, description="区县")
    area: Cell = Field(default=None, description="面积 with unit: 5000㎡ or 30亩")
    price: Cell = Field(default=None, description="价格 with unit: 1.2元/㎡/天, 45万元/亩, 面议")
    industries: Cell = Field(default=None, description="欢迎行业")
    tax_threshold_wan_per_mu: Cell = Field(default=None, description="亩均税收门槛(万元/亩)")
    investment_threshold_wan_per_mu: Cell = Field(default=None, description="投资强度门槛(万元/亩)")
