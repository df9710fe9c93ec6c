"""Fields every listing shows, and the loose input every listing accepts."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from factorlink.db.factor import ListingState
from factorlink.kit.schemas import InputModel

Cell = str | int | float | list[str] | None


class ListingOut(BaseModel):
    """What every listing shows; contacts are masked unless the viewer is entitled."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    city: str | None = None
    city_name: str | None = None
    district: str | None = None
    organization_id: int | None = None
    organization_name: str | None = None
    contact_name: str | None = None
    contact_mobile: str | None = None
    contact_masked: bool = Field(
        default=False, description="True when the contact is shown masked (张**, 138****1234)."
    )
    source: str
    state: ListingState = Field(
        default=ListingState.active,
        description="active (on show), withdrawn (hidden from the public, kept) or closed (done).",
    )
    created_at: datetime
    updated_at: datetime


class ListingStateIn(InputModel):
    """The state a listing is moved to: withdrawn, active again, or closed (final)."""

    model_config = ConfigDict(extra="forbid")

    to: ListingState


class ListingIn(InputModel):
    """Input cells, keyed like the spreadsheet columns; values are parsed as an import would.

    Typed values such as "100-300", "面议", "30亩" or "上海市松江区" are accepted as operators
    write them; a field that breaks a rule comes back in the problem's `errors` list.
    """

    model_config = ConfigDict(extra="forbid")

    code: str | None = Field(default=None, description="编号; derived from the name when absent.")
    city: str | None = Field(default=None, description="所在城市, e.g. 上海市松江区 or 杭州.")
    contact_name: str | None = Field(default=None, description="联系人")
    contact_mobile: str | None = Field(default=None, description="手机号")
