"""The home dashboard: factor counts, deals by city, industry and month, the corridor's cities."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from factorlink.api.deps import DbSession
from factorlink.reference import get_region
from factorlink.stats.schemas import StatsOut
from factorlink.stats.service import StatsService
from factorlink.web.catalog import KINDS
from factorlink.web.context import Web
from factorlink.web.render import render

router = APIRouter()


def corridor(stats: StatsOut) -> list[dict[str, Any]]:
    """The corridor's cities in order, each with its listings and signed deals."""
    listings: Counter[str] = Counter()
    for kind in stats.listings:
        for bucket in kind.by_city:
            if bucket.key:
                listings[bucket.key] += bucket.count
    deals = {b.key: b for b in stats.deals.by_city}
    cities = []
    for city in get_region().cities:
        deal = deals.get(city.code)
        cities.append(
            {
                "code": city.code,
                "name": city.name,
                "name_en": city.name_en,
                "lon": city.lon,
                "lat": city.lat,
                "listings": listings[city.code],
                "deals": deal.count if deal else 0,
                "amount_wan": deal.amount_wan if deal else 0.0,
            }
        )
    return cities


def chart_data(stats: StatsOut) -> dict[str, Any]:
    """What the charts draw, as JSON for static/js/dashboard.js."""

    def series(buckets: list[Any]) -> list[dict[str, Any]]:
        return [
            {"label": b.label or "—", "count": b.count, "amount": b.amount_wan} for b in buckets
        ]

    return {
        "by_city": series(stats.deals.by_city),
        "by_industry": series(stats.deals.by_industry),
        "by_month": series(stats.deals.by_month),
        "corridor": corridor(stats),
    }


@router.get("/")
def dashboard(web: Web, session: DbSession) -> Response:
    """The home page."""
    stats = StatsService(session, web.viewer).report()
    return render(
        web,
        "dashboard.html",
        stats=stats,
        charts=chart_data(stats),
        cities=corridor(stats),
        slugs={k.kind: k.slug for k in KINDS.values()},
    )
