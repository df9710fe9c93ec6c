"""API shapes of an industrial carrier."""

from __future__ import annotations

from datetime import date

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
    industries_text: str | None = Field(
        default=None,
        description="the industries as typed (汽车零部件、新材料), where the catalogue differs",
    )
    tax_threshold_wan_per_mu: float | None
    investment_threshold_wan_per_mu: float | None
    description: str | None
    address: str | None = None
    ceiling_height_m: float | None = None
    floor_load_t: float | None = None
    power_kva: float | None = None
    crane: bool | None = None
    crane_tonnes: float | None = None
    divisible: bool | None = None
    min_split_sqm: float | None = None
    delivery_date: date | None = None
    delivery_text: str | None = None
    land_use: str | None = None
    tenure_years: int | None = None
    photo_count: int = Field(default=0, description="How many photos (GET …/photos lists them).")
    cover_url: str | None = Field(default=None, description="The cover photo (display size).")
    cover_thumb_url: str | None = Field(default=None, description="The cover's thumbnail.")


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
    address: str | None = Field(default=None, description="地址")
    ceiling_height_m: Cell = Field(default=None, description="层高: 8米, 8m")
    floor_load_t: Cell = Field(default=None, description="承重: 3吨/㎡")
    power_kva: Cell = Field(default=None, description="电力: 630kVA")
    crane: Cell = Field(default=None, description="行车: 10吨, 有 or 无")
    divisible: Cell = Field(default=None, description="可分割: 是/否")
    min_split: Cell = Field(default=None, description="最小分割面积: 1000㎡")
    delivery_date: Cell = Field(
        default=None, description="交付日期: 2027-06-30, 2027年6月底, 2027年三季度 or 现房"
    )
    land_use: str | None = Field(
        default=None, description="土地用途: 工业用地/新型产业用地/科研用地/商办用地/仓储用地"
    )
    tenure_years: Cell = Field(default=None, description="产权年限: 50年")
