"""Technology achievements (科技成果) offered by universities, institutes and enterprises."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from factorlink.db.base import Base, StringList
from factorlink.db.factor import FactorMixin


class Achievement(Base, FactorMixin):
    """A technology achievement listed for transfer, licence or joint development."""

    __tablename__ = "achievements"

    title: Mapped[str] = mapped_column(String(200), nullable=False)
    abstract: Mapped[str] = mapped_column(Text, nullable=False)
    keywords: Mapped[list[str]] = mapped_column(StringList, default=list, nullable=False)
    industry: Mapped[str] = mapped_column(String(32), index=True, nullable=False)
    subfield: Mapped[str | None] = mapped_column(String(50))
    # The industry as its author typed it ("汽车零部件"), where the catalogue names it otherwise.
    industry_text: Mapped[str | None] = mapped_column(String(100))
    trl: Mapped[int | None] = mapped_column(Integer)
    ip_forms: Mapped[list[str]] = mapped_column(StringList, default=list, nullable=False)
    coop_modes: Mapped[list[str]] = mapped_column(StringList, default=list, nullable=False)
    price_wan: Mapped[float | None] = mapped_column(Float)
    price_negotiable: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # The patents behind it (ZL202310123456.6, check characters verified) and where they stand.
    patent_numbers: Mapped[list[str]] = mapped_column(StringList, default=list, nullable=False)
    patent_status: Mapped[str | None] = mapped_column(String(20))
    # Who holds the rights, where it is not the listing organisation (a university's patent
    # listed by its technology-transfer centre).
    rights_holder: Mapped[str | None] = mapped_column(String(200))
    # The listing period (挂牌期限): either end may be open.
    listed_from: Mapped[date | None] = mapped_column(Date)
    listed_until: Mapped[date | None] = mapped_column(Date)
