"""The statistics report: listings, leads, introductions and signed deals.

Periods: leads count by when they arrived, introductions by when they were proposed (so
the conversion is that of the period's cohort), deals by when they were signed. Listings
are today's stock. A city filter keeps leads in or preferring the city and introductions
touching it on either side. The figures are aggregates only: no personal data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

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
        self, from_month: str | None = None, to_month: str | None = None, city: str | None = None
    ) -> StatsOut:
        """The report for the months from..to (inclusive, UTC) and, optionally, one city."""
        period = self.period(from_month, to_month, city)
        return StatsOut(
            filters=StatsFilters(
                from_month=from_month,
                to_month=to_month,
                city=period.city,
                city_name=city_name(period.city),
            ),
            listings=[self._listings(kind, period.city) for kind in LISTING_KINDS],
            leads=self._leads(period),
            introductions=self._introductions(period),
            deals=self._deals(period),
        )

    def period(self, from_month: str | None, to_month: str | None, city: str | None) -> Period:
        """Parses the filters; a city may be given by code or by name (松江, 上海市松江区)."""
        start = month_start(from_month, "from") if from_month else None
        end = next_month(month_start(to_month, "to")) if to_month else None
        if start and end and start >= end:
            raise _bad("from", "起始月份晚于结束月份", "the from month is after the to month")
        errors: list[CellError] = []
        code = resolve_city(city, errors)
        if errors:
            raise filter_error(errors)
        return Period(start, end, code)

    def _listings(self, kind: str, city: str | None) -> ListingStats:
        rows = self.repository.listings_by_city(kind, city)
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

    def _deals(self, period: Period) -> DealStats:
        def rows(group: str) -> list[DealBucket]:
            name_of: NameOf = {"city": city_name, "industry": industry_name}.get(group, _as_is)
            return [
                DealBucket(key=k, label=_label(k, name_of), count=n, amount_wan=round(total, 2))
                for k, n, total in self.repository.signed_by(group, period)
            ]

        by_month = rows("month")
        return DealStats(
            count=sum(r.count for r in by_month),
            amount_wan=round(sum(r.amount_wan for r in by_month), 2),
            by_city=rows("city"),
            by_industry=rows("industry"),
            by_month=by_month,
        )
