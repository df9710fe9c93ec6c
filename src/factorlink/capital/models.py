"""Capital products (资本): funds, guidance funds, bank loan products, technology insurance."""

from __future__ import annotations

from sqlalchemy import Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from factorlink.db.base import Base, StringList
from factorlink.db.factor import FactorMixin


class Capital(Base, FactorMixin):
    """A capital product with the stages, industries, ticket range and cities it covers."""

    __tablename__ = "capital"

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    stages: Mapped[list[str]] = mapped_column(StringList, default=list, nullable=False)
    industries: Mapped[list[str]] = mapped_column(StringList, default=list, nullable=False)
    ticket_min_wan: Mapped[float | None] = mapped_column(Float)
    ticket_max_wan: Mapped[float | None] = mapped_column(Float)
    cities: Mapped[list[str]] = mapped_column(StringList, default=list, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
