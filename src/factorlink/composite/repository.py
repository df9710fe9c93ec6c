"""Queries of the index: FactorLink's own records counted per city and year."""

from __future__ import annotations

from typing import Any

from sqlalchemy import column, extract, func, inspect, select, table
from sqlalchemy.orm import Session

from factorlink.introduction.models import Introduction, IntroductionStatus
from factorlink.introduction.repository import proposed_by_staff
from factorlink.models import LISTING_MODELS

Rows = list[tuple[str, int, float]]

# The auction tables are read by name, so the index works before and after they exist.
_RESULTS = table(
    "auction_results", column("lot_id"), column("sold"), column("hammer_yuan"), column("closed_at")
)
_LOTS = table("auction_lots", column("id"), column("city"))


class PlatformRepository:
    """Counts and sums by (city, year) over listings, introductions, deals and auctions."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _grouped(self, city: Any, at: Any, value: Any, *where: Any) -> Rows:
        year = extract("year", at)
        stmt = (
            select(city, year, value)
            .where(city.is_not(None), at.is_not(None), *where)
            .group_by(city, year)
        )
        return [(str(c), int(y), float(v or 0)) for c, y, v in self.session.execute(stmt)]

    def listings(self) -> Rows:
        """Listings of every factor kind posted, by city and year of posting."""
        out: dict[tuple[str, int], float] = {}
        for model in LISTING_MODELS.values():
            for city, year, n in self._grouped(model.city, model.created_at, func.count()):
                out[(city, year)] = out.get((city, year), 0.0) + n
        return [(c, y, n) for (c, y), n in out.items()]

    def introductions(self) -> Rows:
        """Introductions proposed (members' requests once accepted), by the served party's city
        and year."""
        i = Introduction
        return self._grouped(i.city, i.proposed_at, func.count(), proposed_by_staff())

    def deals(self) -> Rows:
        """Deals signed, by city and year of signing."""
        i = Introduction
        signed = i.status == IntroductionStatus.signed
        return self._grouped(i.city, i.signed_at, func.count(), signed)

    def deal_amounts(self) -> Rows:
        """Signed amounts in 万元, by city and year of signing."""
        i = Introduction
        signed = i.status == IntroductionStatus.signed
        return self._grouped(i.city, i.signed_at, func.sum(i.amount_wan), signed)

    def has_auctions(self) -> bool:
        """Whether the auction tables exist in this database."""
        names = set(inspect(self.session.get_bind()).get_table_names())
        return {"auction_results", "auction_lots"} <= names

    def auction_turnover(self) -> Rows:
        """Hammer prices of sold lots in 万元, by the lot's city and the year it closed."""
        if not self.has_auctions():
            return []
        stmt = (
            select(
                _LOTS.c.city,
                extract("year", _RESULTS.c.closed_at),
                func.sum(_RESULTS.c.hammer_yuan),
            )
            .join(_LOTS, _LOTS.c.id == _RESULTS.c.lot_id)
            .where(_RESULTS.c.sold.is_(True), _LOTS.c.city.is_not(None))
            .group_by(_LOTS.c.city, extract("year", _RESULTS.c.closed_at))
        )
        return [(str(c), int(y), float(v or 0) / 10_000) for c, y, v in self.session.execute(stmt)]
