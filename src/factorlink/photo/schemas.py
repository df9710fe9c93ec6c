"""API shapes of a carrier's photos."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from factorlink.kit.ids import IdField
from factorlink.kit.schemas import InputModel


class PhotoOut(BaseModel):
    """A photo of a carrier: its display size and thumbnail (WebP, no metadata). The addresses
    name the files by their content hash: they never change, and are cached for a year."""

    id: int
    position: int = Field(description="0 is the cover; the gallery shows them in this order.")
    cover: bool = Field(description="The first photo: it stands for the carrier on its card.")
    caption: str | None = Field(description="说明, also the image's alt text.")
    width: int = Field(description="Width of the display size in pixels.")
    height: int = Field(description="Height of the display size in pixels.")
    url: str = Field(description="The display size (longer side at most 1600 px).")
    thumb_url: str = Field(description="The thumbnail, 480 × 360 (4:3, cropped to fill).")


class PhotoOrderIn(InputModel):
    """A new order: every photo id of the carrier once, the cover first."""

    model_config = ConfigDict(extra="forbid")

    order: list[IdField] = Field(min_length=1, max_length=200)


class PhotoChangeIn(InputModel):
    """Makes a photo the cover, or changes its caption (null or "" clears it)."""

    model_config = ConfigDict(extra="forbid")

    cover: bool | None = Field(default=None, description="true: this photo becomes the cover.")
    caption: str | None = Field(default=None, max_length=60, description="说明, up to 60 字.")
