"""Experts and service platforms (专家/平台)."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from factorlink.db.base import Base, StringList
from factorlink.db.factor import FactorMixin


class Expert(Base, FactorMixin):
    """An expert or service platform with research fields and the services offered."""

    __tablename__ = "experts"

    name: Mapped[str] = mapped_column(String(100), nullable=False)
    affiliation: Mapped[str | None] = mapped_column(String(200))
    fields: Mapped[list[str]] = mapped_column(StringList, default=list, nullable=False)
    services: Mapped[str | None] = mapped_column(Text)
    industry: Mapped[str | None] = mapped_column(String(32), index=True)
