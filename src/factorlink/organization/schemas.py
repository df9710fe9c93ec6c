"""API shapes of an organisation."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from factorlink.listing.schemas import ListingIn


class OrganizationOut(BaseModel):
    """An organisation as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    kind: str
    credit_code: str | None
    city: str
    city_name: str | None = None
    district: str | None
    industry: str | None
    industry_name: str | None = None
    industry_text: str | None = Field(
        default=None,
        description="所属行业 as typed (汽车零部件), where the catalogue differs",
    )
    subfield: str | None
    annual_tax_wan: float | None
    contact_name: str | None = None
    contact_mobile: str | None = None
    contact_masked: bool = False
    source: str
    created_at: datetime
    updated_at: datetime


class OrganizationIn(ListingIn):
    """An organisation to register or change."""

    name: str | None = Field(default=None, description="机构名称*")
    kind: str | None = Field(
        default=None, description="机构类型*: 企业/高校/科研院所/投资机构/园区/服务机构"
    )
    credit_code: str | None = Field(
        default=None, description="统一社会信用代码 (check digit verified)"
    )
    industry: str | None = Field(default=None, description="所属行业")
    annual_tax_wan: float | str | None = Field(default=None, description="年纳税额(万元)")
