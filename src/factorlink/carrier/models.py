"""Industrial space (载体): land, factories, offices and incubators."""

from __future__ import annotations

from sqlalchemy import Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from factorlink.db.base import Base, StringList
from factorlink.db.factor import FactorMixin


class Carrier(Base, FactorMixin):
    """A piece of industrial space with its area, price, welcome list and entry thresholds."""

    __tablename__ = "carriers"

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    area_value: Mapped[float | None] = mapped_column(Float)
    area_unit: Mapped[str | None] = mapped_column(String(8))
    area_sqm: Mapped[float | None] = mapped_column(Float)
    price_value: Mapped[float | None] = mapped_column(Float)
    price_unit: Mapped[str | None] = mapped_column(String(20))
    industries: Mapped[list[str]] = mapped_column(StringList, default=list, nullable=False)
    tax_threshold_wan_per_mu: Mapped[float | None] = mapped_column(Float)
    investment_threshold_wan_per_mu: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(Text)
