"""Enterprise technology demands (技术需求)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from factorlink.db.base import Base, StringList
from factorlink.db.factor import FactorMixin


class Demand(Base, FactorMixin):
    """A technology problem an organisation wants solved, with its budget and terms."""

    __tablename__ = "demands"

    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    keywords: Mapped[list[str]] = mapped_column(StringList, default=list, nullable=False)
    industry: Mapped[str] = mapped_column(String(32), index=True, nullable=False)
    subfield: Mapped[str | None] = mapped_column(String(50))
    # The industry as its author typed it ("汽车零部件"), where the catalogue names it otherwise.
    industry_text: Mapped[str | None] = mapped_column(String(100))
    budget_min_wan: Mapped[float | None] = mapped_column(Float)
    budget_max_wan: Mapped[float | None] = mapped_column(Float)
    budget_negotiable: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    deadline: Mapped[date | None] = mapped_column(Date)
    # The deadline as typed ("2027年6月底"), where it was not a plain date.
    deadline_text: Mapped[str | None] = mapped_column(String(50))
    coop_modes: Mapped[list[str]] = mapped_column(StringList, default=list, nullable=False)
