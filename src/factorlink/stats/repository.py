"""Aggregate queries for the statistics: GROUP BY in SQL that SQLite and PostgreSQL both run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, literal_column, or_, select, union_all
from sqlalchemy.orm import Session

from factorlink.introduction.models import Introduction, IntroductionStatus, PartyKind
from factorlink.introduction.repository import proposed_by_staff
from factorlink.lead.models import Lead
from factorlink.lead.repository import in_cities
from factorlink.models import PARTY_MODELS

S = TypeVar("S", bound=Select[*tuple[Any, ...]])

LISTING_KINDS = ("organization", "achievement", "demand", "capital", "carrier", "expert")


@dataclass(frozen=True)
class Period:
    """A half-open time range [start, end) in UTC, either end open, and the cities to keep
    (none: every city)."""

    start: datetime | None = None
    end: datetime | None = None
    cities: tuple[str, ...] = ()


def _within(stmt: S, column: Any, period: Period) -> S:
    if period.start is not None:
        stmt = stmt.where(column >= period.start)
    if period.end is not None:
        stmt = stmt.where(column < period.end)
    return stmt


class StatsRepository:
    """Counts and sums over listings, leads and introductions."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def listings_by_city(self, kind: str, cities: tuple[str, ...]) -> list[tuple[str | None, int]]:
        """How many listings of a kind each city has (stock today, not by period)."""
        model = PARTY_MODELS[PartyKind(kind)]
        stmt = select(model.city, func.count()).group_by(model.city).order_by(model.city)
        if cities:
            stmt = stmt.where(model.city.in_(cities))
        return [(c, int(n)) for c, n in self.session.execute(stmt)]

    def leads_by(self, column_name: str, period: Period) -> list[tuple[str, int]]:
        """Leads received in the period, counted by type or status."""
        column = getattr(Lead, column_name)
        stmt = select(column, func.count()).group_by(column).order_by(column)
        stmt = _within(stmt, Lead.created_at, period)
        if period.cities:
            stmt = stmt.where(in_cities(period.cities))
        return [(str(v), int(n)) for v, n in self.session.execute(stmt)]

    def introductions_by_status(self, period: Period) -> list[tuple[str, int]]:
        """Introductions proposed in the period, counted by where they stand now."""
        i = Introduction
        stmt = select(i.status, func.count()).group_by(i.status).order_by(i.status)
        stmt = self._intro_scope(_within(stmt, i.proposed_at, period), period)
        return [(str(s), int(n)) for s, n in self.session.execute(stmt)]

    def cross_city_introductions(self, period: Period) -> int:
        """Introductions proposed in the period whose two sides are in different cities."""
        i = Introduction
        stmt = select(func.count()).select_from(i).where(i.city != i.counterpart_city)
        stmt = self._intro_scope(_within(stmt, i.proposed_at, period), period)
        return int(self.session.scalar(stmt) or 0)

    def signed_by_city(self, period: Period) -> list[tuple[str, int, float]]:
        """Deals signed in the period: count and amount (万元) for each city of either party.

        A deal between two cities counts in both, one within a city once; a party naming no
        city (a lead without one) adds nothing, so no deal is ever filed under no city. Under
        a city filter only the chosen cities are listed, each with what `city=` alone gives."""
        i = Introduction
        sides = []
        for column, other in ((i.city, i.counterpart_city), (i.counterpart_city, i.city)):
            side = select(column.label("key"), i.amount_wan.label("amount")).where(
                i.status == IntroductionStatus.signed, column.is_not(None)
            )
            if column is i.counterpart_city:
                side = side.where(or_(other.is_(None), other != column))
            if period.cities:
                side = side.where(column.in_(period.cities))
            sides.append(self._intro_scope(_within(side, i.signed_at, period), Period()))
        both = union_all(*sides).subquery()
        stmt = (
            select(both.c.key, func.count(), func.coalesce(func.sum(both.c.amount), 0.0))
            .group_by(both.c.key)
            .order_by(both.c.key)
        )
        return [(str(k), int(n), float(total)) for k, n, total in self.session.execute(stmt)]

    def signed_by(self, group: str, period: Period) -> list[tuple[str | None, int, float]]:
        """Deals signed in the period: count and amount (万元) by industry or month."""
        i = Introduction
        key = self._month(i.signed_at) if group == "month" else getattr(i, group)
        stmt = (
            select(key.label("key"), func.count(), func.coalesce(func.sum(i.amount_wan), 0.0))
            .where(i.status == IntroductionStatus.signed)
            .group_by(key)
            .order_by(key)
        )
        stmt = self._intro_scope(_within(stmt, i.signed_at, period), period)
        return [(k, int(n), float(total)) for k, n, total in self.session.execute(stmt)]

    def _month(self, column: Any) -> Any:
        # Literal formats, not bound parameters: PostgreSQL must see the GROUP BY expression
        # exactly as selected. Times are stored as UTC, so the month is the UTC month.
        if self.session.get_bind().dialect.name == "postgresql":
            return func.to_char(column, literal_column("'YYYY-MM'"))
        return func.strftime(literal_column("'%Y-%m'"), column)

    @staticmethod
    def _intro_scope(stmt: S, period: Period) -> S:
        # Members' requests count once an operator has accepted them.
        stmt = stmt.where(proposed_by_staff())
        if not period.cities:
            return stmt
        i = Introduction
        return stmt.where(or_(i.city.in_(period.cities), i.counterpart_city.in_(period.cities)))
