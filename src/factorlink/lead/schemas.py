"""API shapes of a lead and of its matches."""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict, Field

from factorlink.introduction.schemas import FollowUpOut, Work
from factorlink.kit.schemas import InputModel
from factorlink.lead.models import LeadStatus, LeadType
from factorlink.matching.schemas import MatchOut


class LeadIn(InputModel):
    """A lead message, as a visitor sends it; values are parsed as an operator would read them."""

    model_config = ConfigDict(extra="forbid")

    need: str | None = Field(default=None, description="需求*")
    purpose: str | None = Field(default=None, description="用途")
    annual_tax_wan: float | str | None = Field(
        default=None,
        description="税收 as written (500万元/年, 年纳税约500万, 1.2亿, 保密) or a number of 万元; "
        "the text is kept, the figure read from it stored beside it",
    )
    company: str | None = Field(default=None, description="公司")
    contact_name: str | None = Field(default=None, description="联系人*")
    contact_mobile: str | None = Field(default=None, description="手机号*")
    lead_type: str | None = Field(
        default=None, description="需求类型*: technology|space|capital, or 技术/空间/载体/资本/资金"
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


class LeadOut(Work):
    """A lead as staff (or its sender, once) see it; contacts per the privacy policy."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    reference: str | None = Field(default=None, description="受理编号, e.g. G60-20261205-7K3Q")
    lead_type: LeadType
    lead_type_label: str = ""
    need: str
    purpose: str | None
    annual_tax_wan: float | None = Field(description="年纳税额 in 万元, read from the text")
    annual_tax_text: str | None = Field(default=None, description="税收 as the sender wrote it")
    company: str | None
    contact_name: str | None = None
    contact_mobile: str | None = None
    contact_masked: bool = False
    preferred_cities: list[str]
    preferred_city_names: list[str] = Field(default_factory=list)
    industry: str | None
    industry_name: str | None = None
    industry_text: str | None = Field(
        default=None,
        description="所属行业 as typed (汽车零部件), where the catalogue differs",
    )
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
    status_at: datetime | None = None
    age_days: int = Field(default=0, description="收到以来的天数")
    callback_due: datetime | None = Field(
        default=None,
        description="回电时限: the end of the FACTORLINK_LEAD_CALLBACK_WORKING_DAYS-th working day",
    )
    duplicates: list[int] = Field(
        default_factory=list,
        description="疑似重复: leads with the same mobile, company or need nearby",
    )
    follow_ups: list[FollowUpOut] = Field(default_factory=list)


class LeadCreatedOut(LeadOut):
    """The stored lead as its sender submitted it, and its best current matches."""

    link: str = Field(
        default="",
        description="The sender's private page of the lead (its state, withdrawal of consent, "
        "erasure): a path with a random secret, given once; keep it private",
    )
    merged: bool = Field(
        default=False,
        description="True when this copy was merged into the lead of the same mobile and need "
        "sent shortly before (answered 200 instead of 201)",
    )
    callback: str = Field(default="", description="Who will call, and within how long")
    callback_en: str = ""
    matches: list[MatchOut]
    matches_note: str | None = Field(
        default=None, description="Why the matches are what they are (e.g. widened to all cities)"
    )


class LeadStatusIn(InputModel):
    """A new inbox status."""

    model_config = ConfigDict(extra="forbid")

    status: LeadStatus
