"""API shapes of a technology achievement."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from factorlink.listing.schemas import Cell, ListingIn, ListingOut


class AchievementOut(ListingOut):
    """A technology achievement as the API shows it."""

    title: str
    abstract: str
    keywords: list[str]
    industry: str
    industry_name: str | None = None
    industry_text: str | None = Field(
        default=None,
        description="所属行业 as typed (汽车零部件), where the catalogue differs",
    )
    subfield: str | None
    trl: int | None
    ip_forms: list[str]
    coop_modes: list[str]
    price_wan: float | None
    price_negotiable: bool
    patent_numbers: list[str] = Field(default_factory=list)
    patent_status: str | None = None
    rights_holder: str | None = None
    listed_from: date | None = None
    listed_until: date | None = None


class AchievementIn(ListingIn):
    """A technology achievement to post or change."""

    title: str | None = Field(default=None, description="成果名称*")
    abstract: str | None = Field(default=None, description="成果简介*")
    keywords: Cell = Field(default=None, description="关键词: a list or 、-separated text")
    industry: str | None = Field(default=None, description="所属行业*, e.g. 新材料/石墨烯")
    trl: Cell = Field(default=None, description="技术成熟度: 1–9 or 实验室/小试/中试/量产")
    ip_forms: Cell = Field(default=None, description="知识产权形式")
    coop_modes: Cell = Field(default=None, description="合作方式")
    price_wan: Cell = Field(default=None, description="参考价格(万元), a number or 面议")
    patent_numbers: Cell = Field(
        default=None,
        description="专利号: ZL202310123456.6 (check character verified), 、-separated",
    )
    patent_status: str | None = Field(default=None, description="专利状态: 授权/实审/公开")
    rights_holder: str | None = Field(default=None, description="权利人")
    listing_period: str | None = Field(
        default=None, description="挂牌期限: 2026-01-01至2026-12-31, 至2026-12-31"
    )
    organization: str | None = Field(default=None, description="所属机构* (members: their own)")
