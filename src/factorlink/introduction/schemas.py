"""API shapes of an introduction, its parties and its history."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from factorlink.introduction import rules
from factorlink.introduction.models import IntroductionStatus, PartyKind
from factorlink.kit.ids import IdField
from factorlink.kit.schemas import InputModel


class PartyRefIn(InputModel):
    """One side of an introduction: a kind and an id."""

    model_config = ConfigDict(extra="forbid")

    kind: PartyKind
    id: IdField


class IntroductionIn(InputModel):
    """Party A (the one being served) to be introduced to party B."""

    model_config = ConfigDict(extra="forbid")

    party_a: PartyRefIn
    party_b: PartyRefIn
    note: str | None = Field(default=None, max_length=2000)


class TransitionIn(InputModel):
    """One step of the pipeline: signing needs amount_wan > 0, closing needs a reason."""

    model_config = ConfigDict(extra="forbid")

    to: IntroductionStatus
    amount_wan: float | None = Field(
        default=None,
        gt=0,
        le=rules.MAX_AMOUNT_WAN,
        allow_inf_nan=False,
        description="签约金额(万元), only for signed",
    )
    reason: str | None = Field(default=None, max_length=2000, description="关闭原因, for closed")
    note: str | None = Field(default=None, max_length=2000)


class FollowUpIn(InputModel):
    """An entry of the work log (跟进记录): what was done or learnt, and the next step."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=2000, description="跟进内容")
    next_step: str | None = Field(default=None, max_length=200, description="下一步")
    due_on: date | None = Field(default=None, description="下一步截止日期 (YYYY-MM-DD)")


class OwnerIn(InputModel):
    """The owner (负责人): an operator's or admin's user id, or null for none."""

    model_config = ConfigDict(extra="forbid")

    owner_id: int | None = Field(default=None, ge=1)


class FollowUpOut(BaseModel):
    """An entry of the work log, with who wrote it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    by_user_id: int | None
    by_name: str | None = None
    note: str
    next_step: str | None
    due_on: date | None


class Work(BaseModel):
    """Who follows an item and where it stands in time: the fields the inbox and the board
    share (ages in whole days, from stored timestamps)."""

    owner_id: int | None = None
    owner_name: str | None = Field(default=None, description="负责人")
    days_in_stage: int = Field(default=0, description="在当前阶段的天数")
    stalled: bool = Field(default=False, description="超过该阶段的时限 (停滞/超时)")
    next_step: str | None = Field(default=None, description="最近一次跟进所写的下一步")
    next_step_due: date | None = None
    last_follow_up_at: datetime | None = None


class PartyOut(BaseModel):
    """A side of an introduction, summarised; the contact as the viewer may see it."""

    kind: PartyKind
    kind_label: str
    id: int
    code: str
    title: str
    city: str | None
    city_name: str | None
    industry: str | None
    industry_name: str | None
    organization_id: int | None
    company: str | None = Field(
        default=None, description="公司: the owning organisation, a lead's company"
    )
    contact_name: str | None
    contact_mobile: str | None
    contact_masked: bool


class EventOut(BaseModel):
    """One step of an introduction's history."""

    model_config = ConfigDict(from_attributes=True)

    from_status: str | None
    to_status: str
    at: datetime
    by_user_id: int | None
    note: str | None


class IntroductionOut(Work):
    """An introduction; a side that has since been deleted shows as null."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    party_a_kind: PartyKind
    party_a_id: int
    party_b_kind: PartyKind
    party_b_id: int
    party_a: PartyOut | None = None
    party_b: PartyOut | None = None
    city: str | None
    city_name: str | None = None
    counterpart_city: str | None
    counterpart_city_name: str | None = None
    industry: str | None
    industry_name: str | None = None
    status: IntroductionStatus
    status_label: str = ""
    allowed_next: list[IntroductionStatus] = []
    amount_wan: float | None
    close_reason: str | None
    note: str | None
    created_by_id: int | None
    proposed_at: datetime
    contacted_at: datetime | None
    negotiating_at: datetime | None
    signed_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class IntroductionDetailOut(IntroductionOut):
    """An introduction with its history and its work log."""

    events: list[EventOut] = []
    follow_ups: list[FollowUpOut] = []
