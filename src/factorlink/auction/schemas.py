"""Shapes of the auction API; amounts in 万元, times in UTC."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field

from factorlink.auction.models import BidderStatus, SessionStatus
from factorlink.kit.ids import IdField
from factorlink.kit.schemas import InputModel

Wan = float
LotStatus = Literal["upcoming", "open", "closing", "closed"]
OwnStatus = Literal["none", "leading", "outbid", "won", "lost"]


class BandIn(InputModel):
    """From `from_wan` upwards, each bid rises by at least `step_wan`."""

    from_wan: float = Field(ge=0, allow_inf_nan=False)
    step_wan: float = Field(gt=0, allow_inf_nan=False)


class SessionIn(InputModel):
    """A new auction session (拍卖会)."""

    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    extension_minutes: int = Field(default=5, ge=1, le=60, description="Anti-sniping minutes.")
    bands: list[BandIn] | None = Field(default=None, max_length=30, description="Default bands.")
    deposit_wan: float = Field(default=0, ge=0, allow_inf_nan=False)
    city: str | None = Field(
        default=None,
        max_length=32,
        description="The city the session is run in (code or name, e.g. 松江). Operators may run "
        "sessions of their own cities only; an operator of one city gets it by default.",
    )
    announcement: str | None = Field(
        default=None, max_length=20000, description="竞买公告: what is sold, when and how."
    )
    rules: str | None = Field(
        default=None, max_length=20000, description="竞买须知: the terms bidders accept."
    )
    deposit_instructions: str | None = Field(
        default=None, max_length=5000, description="How and where to pay the deposit."
    )


class LotIn(InputModel):
    """An achievement offered as a lot; its window defaults to the session's schedule."""

    achievement_id: IdField | None = None
    achievement_code: str | None = Field(default=None, max_length=64)
    start_price_wan: float = Field(gt=0, allow_inf_nan=False)
    reserve_price_wan: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    appraised_price_wan: float | None = Field(
        default=None, gt=0, allow_inf_nan=False, description="评估价, shown to everyone."
    )
    deposit_wan: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    single_offer: bool = False
    opens_at: AwareDatetime | None = None
    closes_at: AwareDatetime | None = None


class BidIn(InputModel):
    """A bid: the most the bidder will pay (万元); the system bids only what is needed."""

    amount_wan: float = Field(gt=0, allow_inf_nan=False)


class ApprovalIn(InputModel):
    """An operator's decision on a registration."""

    approve: bool = True
    deposit_wan: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    note: str | None = Field(default=None, max_length=500)


class BandOut(BaseModel):
    from_wan: Wan
    step_wan: Wan


class ResultOut(BaseModel):
    """How a lot ended."""

    sold: bool
    hammer_price_wan: Wan | None
    premium_wan: Wan | None
    premium_pct: float | None
    winner_label: str | None
    closed_at: datetime
    introduction_id: int | None = None
    winner_organization: str | None = None


class MineOut(BaseModel):
    """The viewer's own standing on a lot."""

    registered: bool
    bidder_status: BidderStatus | None = None
    label: str | None = None
    status: OwnStatus = "none"
    max_wan: Wan | None = None


class LotOut(BaseModel):
    """A lot as the viewer may see it; the reserve and maximums are never shown to bidders."""

    id: int
    session_id: int
    number: int
    title: str
    achievement_id: int | None
    achievement_code: str
    city: str | None
    city_name: str | None
    industry: str | None
    industry_name: str | None
    start_price_wan: Wan
    appraised_price_wan: Wan | None = None
    deposit_wan: Wan
    single_offer: bool
    extension_minutes: int = Field(
        default=5, description="A bid in the last minutes moves the end this much later."
    )
    opens_at: datetime
    closes_at: datetime
    end_at: datetime
    status: LotStatus
    price_wan: Wan | None
    leader_label: str | None
    bid_count: int
    bidder_count: int
    extension_count: int
    next_minimum_wan: Wan | None
    increment_wan: Wan
    version: int
    server_time: datetime
    mine: MineOut | None = None
    result: ResultOut | None = None
    reserve_price_wan: Wan | None = Field(default=None, description="Staff only.")


class SessionOut(BaseModel):
    """An auction session."""

    id: int
    title: str
    description: str | None
    status: SessionStatus
    starts_at: datetime
    ends_at: datetime
    extension_minutes: int
    bands: list[BandOut]
    deposit_wan: Wan
    lot_count: int
    city: str | None = None
    city_name: str | None = None
    announcement: str | None = None
    rules: str | None = None
    deposit_instructions: str | None = None
    results_published_at: datetime | None = None


class SessionDetailOut(SessionOut):
    """A session with its lots and the viewer's registration."""

    lots: list[LotOut]
    registration: BidderOut | None = None


class BidderOut(BaseModel):
    """A registration; organisation names are shown to staff and to the bidder."""

    id: int
    session_id: int
    user_id: int
    username: str | None = None
    organization_id: int | None
    organization_name: str | None = None
    status: BidderStatus
    deposit_wan: Wan | None
    decided_at: datetime | None
    terms_accepted_at: datetime | None = None


class BidOut(BaseModel):
    """A bid in a lot's history: who (anonymised), the price it made, and when."""

    id: int
    label: str
    price_wan: Wan
    placed_at: datetime
    extended: bool
    mine: bool = False


class BidReceiptOut(BaseModel):
    """The answer to a bid, identical for every retry with the same Idempotency-Key."""

    bid_id: int
    lot_id: int
    label: str
    max_wan: Wan
    price_wan: Wan
    leading: bool
    end_at: datetime
    extended: bool
    placed_at: datetime


class AuditOut(BaseModel):
    """One entry of a lot's audit log (UTC)."""

    id: int
    at: datetime
    event: str
    user_id: int | None
    bidder_id: int | None
    bid_id: int | None
    amount_wan: Wan | None
    price_after_wan: Wan | None
    reason_code: str | None
    reason: str | None


SessionDetailOut.model_rebuild()
