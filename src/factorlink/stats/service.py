"""The statistics report: listings, leads, introductions and signed deals.

Periods: leads count by when they arrived, introductions by when they were proposed (so
the conversion is that of the period's cohort), deals by when they were signed. Listings
are today's stock. A city filter (one city or several) keeps leads in or preferring the
cities and introductions touching them on either side. A deal counts for the cities of both
parties (once when they share one), never under no city; every month of the period is listed,
those without a deal as zeros. The figures are aggregates only: no personal data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from factorlink.auth.viewer import Viewer
from factorlink.errors import InvalidInput
from factorlink.introduction.parties import party_label
from factorlink.introduction.vocab import status_label
from factorlink.kit.filters import filter_error, resolve_city
from factorlink.kit.table import CellError
from factorlink.lead.intake import STATUS_LABELS, TYPE_LABELS
from factorlink.reference import city_name, industry_name
from factorlink.stats.repository import LISTING_KINDS, Period, StatsRepository
from factorlink.stats.schemas import (
    Bucket,
    DealBucket,
    DealStats,
    IntroductionStats,
    LeadStats,
    ListingStats,
    StatsFilters,
    StatsOut,
)

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _bad(field: str, reason: str, reason_en: str) -> InvalidInput:
    return InvalidInput(
        reason,
        message_en=reason_en,
        errors=[{"field": field, "reason": reason, "reason_en": reason_en}],
    )


def month_start(text: str, field: str) -> datetime:
    """The first instant (UTC) of a month written YYYY-MM."""
    match = _MONTH.match(text.strip())
    # Years 1900-2999: the statistics cover real deals, and the next month must exist too.
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 <= int(match.group(1)) <= 2999:
        raise _bad(field, f"月份“{text}”无效,应为YYYY-MM,如2026-03", f"invalid month {text!r}")
    return datetime(int(match.group(1)), int(match.group(2)), 1, tzinfo=UTC)


def next_month(start: datetime) -> datetime:
    """The first instant of the following month."""
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def months_between(first: datetime, last: datetime) -> list[str]:
    """Every month from first to last inclusive, as YYYY-MM."""
    months = []
    month = first.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    while month <= last:
        months.append(f"{month.year:04d}-{month.month:02d}")
        month = next_month(month)
    return months


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


NameOf = Callable[[str], str | None]


def _label(key: str | None, name_of: NameOf) -> str | None:
    # An unknown code (a corridor file since changed) still shows as itself.
    return None if key is None else name_of(key) or key


def _buckets(rows: Iterable[tuple[str | None, int]], name_of: NameOf) -> list[Bucket]:
    return [Bucket(key=k, label=_label(k, name_of), count=n) for k, n in rows]


def _as_is(key: str) -> str:
    return key


class StatsService:
    """Computes the statistics report; open to every viewer as it holds aggregates only."""

    def __init__(self, session: Session, viewer: Viewer) -> None:
        self.session = session
        self.viewer = viewer
        self.repository = StatsRepository(session)

    def report(
        self,
        from_month: str | None = None,
        to_month: str | None = None,
        city: str | Sequence[str] | None = None,
        *,
        now: datetime | None = None,
    ) -> StatsOut:
        """The report for the months from..to (inclusive, UTC) and, optionally, one city or
        several; without a to month the months run to the current one (`now`, UTC)."""
        period = self.period(from_month, to_month, city)
        single = period.cities[0] if len(period.cities) == 1 else None
        return StatsOut(
            filters=StatsFilters(
                from_month=from_month,
                to_month=to_month,
                city=single,
                city_name=city_name(single),
                cities=list(period.cities),
                city_names=[city_name(c) or c for c in period.cities],
            ),
            listings=[self._listings(kind, period.cities) for kind in LISTING_KINDS],
            leads=self._leads(period),
            introductions=self._introductions(period),
            deals=self._deals(period, now or datetime.now(UTC)),
        )

    def period(
        self, from_month: str | None, to_month: str | None, city: str | Sequence[str] | None
    ) -> Period:
        """Parses the filters; a city may be given by code or by name (松江, 上海市松江区)."""
        start = month_start(from_month, "from") if from_month else None
        end = next_month(month_start(to_month, "to")) if to_month else None
        if start and end and start >= end:
            raise _bad("from", "起始月份晚于结束月份", "the from month is after the to month")
        errors: list[CellError] = []
        names = [city] if isinstance(city, str) else list(city or [])
        codes = [resolve_city(name.strip(), errors) for name in names if name.strip()]
        if errors:
            raise filter_error(errors)
        return Period(start, end, tuple(dict.fromkeys(c for c in codes if c)))

    def _listings(self, kind: str, cities: tuple[str, ...]) -> ListingStats:
        rows = self.repository.listings_by_city(kind, cities)
        return ListingStats(
            kind=kind,
            label=party_label(kind),
            total=sum(n for _, n in rows),
            by_city=_buckets(rows, city_name),
        )

    def _leads(self, period: Period) -> LeadStats:
        by_type = self.repository.leads_by("lead_type", period)
        by_status = self.repository.leads_by("status", period)
        return LeadStats(
            total=sum(n for _, n in by_type),
            by_type=_buckets(by_type, TYPE_LABELS.get),
            by_status=_buckets(by_status, STATUS_LABELS.get),
        )

    def _introductions(self, period: Period) -> IntroductionStats:
        by_status = self.repository.introductions_by_status(period)
        total = sum(n for _, n in by_status)
        signed = dict(by_status).get("signed", 0)
        cross = self.repository.cross_city_introductions(period)
        return IntroductionStats(
            total=total,
            by_status=_buckets(by_status, status_label),
            signed=signed,
            cross_city=cross,
            cross_city_share=_share(cross, total),
            conversion=_share(signed, total),
        )

    def _deals(self, period: Period, now: datetime) -> DealStats:
        def rows(
            found: Iterable[tuple[str | None, int, float]], name_of: NameOf
        ) -> list[DealBucket]:
            return [
                DealBucket(key=k, label=_label(k, name_of), count=n, amount_wan=round(total, 2))
                for k, n, total in found
            ]

        # A signed deal always has its signing time, so every month row has a key.
        signed = {str(k): (n, total) for k, n, total in self.repository.signed_by("month", period)}
        by_month = rows(
            ((m, *signed.get(m, (0, 0.0))) for m in self._months(period, sorted(signed), now)),
            _as_is,
        )
        return DealStats(
            count=sum(r.count for r in by_month),
            amount_wan=round(sum(r.amount_wan for r in by_month), 2),
            by_city=rows(self.repository.signed_by_city(period), city_name),
            by_industry=rows(self.repository.signed_by("industry", period), industry_name),
            by_month=by_month,
        )

    @staticmethod
    def _months(period: Period, signed: list[str], now: datetime) -> list[str]:
        # From the from month (else the first deal) to the to month (else this month, or the
        # last deal's if later): the months between, deals or not.
        known = [month_start(m, "month") for m in signed]
        first = period.start or (known[0] if known else None)
        if first is None:
            return []
        last = period.end - timedelta(days=1) if period.end else max([now, *known])
        return months_between(first, last)
