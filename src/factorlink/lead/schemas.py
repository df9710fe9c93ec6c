"""API shapes of a lead and of its matches."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from factorlink.kit.schemas import InputModel
from factorlink.lead.models import LeadStatus, LeadType
from factorlink.matching.schemas import MatchOut


class LeadIn(InputModel):
    """A lead message, as a visitor sends it; values are parsed as an operator would read them."""

    model_config = ConfigDict(extra="forbid")

    need: str | None = Field(default=None, description="需求*")
    purpose: str | None = Field(default=None, description="用途")
    annual_tax_wan: float | str | None = Field(
        default=None, description="年纳税额(万元): a non-negative number or text such as 500万"
    )
    company: str | None = Field(default=None, description="公司")
    contact_name: str | None = Field(default=None, description="联系人*")
    contact_mobile: str | None = Field(default=None, description="手机号*")
    lead_type: str | None = Field(
        default=None, description="类型*: technology|space|capital, or 技术/空间/载体/资本/资金"
    )
    preferred_cities: list[str] | str | None = Field(
        default=None, description="意向城市: a list or 、-separated text, e.g. 松江、嘉兴"
    )
    industry: str | None = Field(default=None, description="所属行业, e.g. 新材料")
    city: str | None = Field(default=None, description="所在城市, e.g. 上海市松江区")
    consent: bool | None = Field(
        default=None,
        strict=True,
        description="同意* : must be true — the sender agrees to be contacted about this message",
    )


class LeadOut(BaseModel):
    """A lead as staff (or its sender, once) see it; contacts per the privacy policy."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    lead_type: LeadType
    lead_type_label: str = ""
    need: str
    purpose: str | None
    annual_tax_wan: float | None
    company: str | None
    contact_name: str | None = None
    contact_mobile: str | None = None
    contact_masked: bool = False
    preferred_cities: list[str]
    preferred_city_names: list[str] = []
    industry: str | None
    industry_name: str | None = None
    city: str | None
    city_name: str | None = None
    district: str | None = Field(
        default=None, description="区县/园区 of the city, as the corridor names it (长兴县)"
    )
    status: LeadStatus
    status_label: str = ""
    consent: bool
    consent_at: datetime | None
    consent_withdrawn_at: datetime | None
    erased_at: datetime | None
    source: str
    created_at: datetime
    updated_at: datetime


class LeadCreatedOut(LeadOut):
    """The stored lead as its sender submitted it, and its best current matches."""

    matches: list[MatchOut]
    matches_note: str | None = Field(
        default=None, description="Why the matches are what they are (e.g. widened to all cities)"
    )


class LeadStatusIn(InputModel):
    """A new inbox status."""

    model_config = ConfigDict(extra="forbid")

    status: LeadStatus
