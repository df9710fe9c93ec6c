"""Capital products (资本): funds, guidance funds, bank loan products, technology insurance."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String, Text
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
    # The industries as typed ("汽车零部件、新材料"), where the catalogue names them otherwise;
    # matching reads the codes.
    industries_text: Mapped[str | None] = mapped_column(String(300))
    ticket_min_wan: Mapped[float | None] = mapped_column(Float)
    ticket_max_wan: Mapped[float | None] = mapped_column(Float)
    cities: Mapped[list[str]] = mapped_column(StringList, default=list, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    # A loan's terms: its term in months (shortest may be open), its yearly rate in percent
    # where a figure, with the rate as typed (it may be "LPR+50BP").
    loan_term_min_months: Mapped[int | None] = mapped_column(Integer)
    loan_term_max_months: Mapped[int | None] = mapped_column(Integer)
    loan_rate_min_pct: Mapped[float | None] = mapped_column(Float)
    loan_rate_max_pct: Mapped[float | None] = mapped_column(Float)
    loan_rate_text: Mapped[str | None] = mapped_column(String(50))
    # Who may apply (申请条件) and how (申请方式).
    eligibility: Mapped[str | None] = mapped_column(Text)
    how_to_apply: Mapped[str | None] = mapped_column(Text)
