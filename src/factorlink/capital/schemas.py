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
    industries_text: str | None = Field(
        default=None,
        description="the industries as typed (汽车零部件、新材料), where the catalogue differs",
    )
    ticket_min_wan: float | None
    ticket_max_wan: float | None
    cities: list[str]
    description: str | None
    loan_term_min_months: int | None = None
    loan_term_max_months: int | None = None
    loan_rate_min_pct: float | None = None
    loan_rate_max_pct: float | None = None
    loan_rate_text: str | None = None
    eligibility: str | None = None
    how_to_apply: str | None = None


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
    loan_term: Cell = Field(default=None, description="贷款期限: 12个月, 1-3年, 最长3年")
    loan_rate: Cell = Field(default=None, description="贷款利率: 3.45%, 3.2%-4.5%, LPR+50BP")
    eligibility: str | None = Field(default=None, description="申请条件")
    how_to_apply: str | None = Field(default=None, description="申请方式")
    organization: str | None = Field(default=None, description="所属机构")
