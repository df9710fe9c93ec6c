"""Industrial space (载体): land, factories, offices and incubators."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, Integer, String, Text
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
    # The industries as typed ("汽车零部件、新材料"), where the catalogue names them otherwise;
    # matching reads the codes.
    industries_text: Mapped[str | None] = mapped_column(String(300))
    tax_threshold_wan_per_mu: Mapped[float | None] = mapped_column(Float)
    investment_threshold_wan_per_mu: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(Text)
    # Where it is, for a visit and a map link (the browser opens the map, not the server).
    address: Mapped[str | None] = mapped_column(String(200))
    # The building: clear height (m), floor load (t/㎡), power supply (kVA), crane (行车) and
    # its largest capacity (t); None is "not stated", False "stated: none".
    ceiling_height_m: Mapped[float | None] = mapped_column(Float)
    floor_load_t: Mapped[float | None] = mapped_column(Float)
    power_kva: Mapped[float | None] = mapped_column(Float)
    crane: Mapped[bool | None] = mapped_column(Boolean)
    crane_tonnes: Mapped[float | None] = mapped_column(Float)
    # Let in parts (可分割) down to the smallest part (㎡), or only whole.
    divisible: Mapped[bool | None] = mapped_column(Boolean)
    min_split_sqm: Mapped[float | None] = mapped_column(Float)
    # When it can be moved into: the day the text stands for ("2027年6月底" → 2027-06-30; none
    # for 现房) and the text as typed.
    delivery_date: Mapped[date | None] = mapped_column(Date)
    delivery_text: Mapped[str | None] = mapped_column(String(50))
    # The land: its use (工业用地, 新型产业用地, …) and the years of the grant (产权年限).
    land_use: Mapped[str | None] = mapped_column(String(20))
    tenure_years: Mapped[int | None] = mapped_column(Integer)
