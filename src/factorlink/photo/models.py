"""A carrier's photos: the files are named by the hash of their content (photo/storage.py);
the rows say which carrier shows which, in what order, under what caption.

The first photo (position 0) is the cover: it leads the gallery and stands for the carrier on
the catalog's cards. Positions are kept dense (0, 1, 2, …) by every change.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from factorlink.db.base import Base, IdMixin, UTCDateTime, utcnow


class CarrierPhoto(Base, IdMixin):
    """One photo of a carrier: its display size and thumbnail, both re-encoded without any
    metadata (EXIF, GPS), and the hash of the file uploaded (the same photo twice is refused)."""

    __tablename__ = "carrier_photos"
    __table_args__ = (
        UniqueConstraint("carrier_id", "source_sha256", name="uq_carrier_photos_source"),
        Index("ix_carrier_photos_carrier_position", "carrier_id", "position"),
    )

    carrier_id: Mapped[int] = mapped_column(
        ForeignKey("carriers.id", ondelete="CASCADE"), nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    caption: Mapped[str | None] = mapped_column(String(60))
    # Content hashes (SHA-256, hex) of the two files and of the upload they were made from.
    display_sha256: Mapped[str] = mapped_column(String(64), index=True, nullable=False)
    thumb_sha256: Mapped[str] = mapped_column(String(64), index=True, nullable=False)
    source_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
