"""The home dashboard: factor counts, deals by city, industry and month, the corridor's cities,
filtered by city (an operator's own cities by default) and period."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from starlette.responses import Response

from factorlink.api.deps import DbSession
from factorlink.auth.viewer import Viewer
from factorlink.errors import InvalidInput
from factorlink.reference import get_region
from factorlink.stats.schemas import StatsOut
from factorlink.stats.service import StatsService
from factorlink.web.catalog import KINDS
from factorlink.web.context import Web
from factorlink.web.i18n import register, translate_value
from factorlink.web.render import render

router = APIRouter()

# The city filter's values besides a city's code: every city, and an operator's own.
ALL = "all"
MINE = "mine"


@dataclass(frozen=True)
class Choice:
    """The dashboard's filters as chosen: the city value, the cities it stands for, months."""

    city: str
    cities: tuple[str, ...]
    from_month: str
    to_month: str

    def query(self) -> str:
        """The same filters for `/api/v1/stats`."""
        pairs = [("city", c) for c in self.cities]
        pairs += [(k, v) for k, v in (("from", self.from_month), ("to", self.to_month)) if v]
        return urlencode(pairs)


def choose(viewer: Viewer, city: str | None, from_month: str, to_month: str) -> Choice:
    """The cities a city value stands for. Without one, an operator scoped to cities sees
    theirs (mine) and everyone else all; a code not in the corridor is kept, for the
    statistics to refuse by name."""
    own = viewer.city_scope if viewer.is_operator else ()
    value = (city or "").strip() or (MINE if own else ALL)
    if value == MINE and not own:
        value = ALL
    cities = own if value == MINE else () if value == ALL else (value,)
    return Choice(value, tuple(cities), from_month.strip(), to_month.strip())


def corridor(stats: StatsOut) -> list[dict[str, Any]]:
    """The corridor's cities in order, each with its listings and signed deals (a deal counts
    for the cities of both parties, as `/api/v1/stats?city=` counts it)."""
    listings: Counter[str] = Counter()
    for kind in stats.listings:
        for bucket in kind.by_city:
            if bucket.key:
                listings[bucket.key] += bucket.count
    deals = {b.key: b for b in stats.deals.by_city}
    chosen = set(stats.filters.cities)
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
                "chosen": not chosen or city.code in chosen,
            }
        )
    return cities


def chart_data(stats: StatsOut, unnamed: str = "未注明", lang: str = "zh") -> dict[str, Any]:
    """What the charts draw, as JSON for static/js/dashboard.js; cities and industries named in
    the page's language."""

    def series(buckets: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "label": translate_value(b.label, lang) if b.label else unnamed,
                "count": b.count,
                "amount": b.amount_wan,
            }
            for b in buckets
        ]

    return {
        "by_city": series(stats.deals.by_city),
        "by_industry": series(stats.deals.by_industry),
        "by_month": series(stats.deals.by_month),
        "corridor": corridor(stats),
    }


@router.get("/")
def dashboard(
    web: Web,
    session: DbSession,
    city: Annotated[str | None, Query(max_length=50)] = None,
    from_month: Annotated[str, Query(alias="from", max_length=20)] = "",
    to_month: Annotated[str, Query(alias="to", max_length=20)] = "",
) -> Response:
    """The home page; `city` is all, mine (an operator's cities) or a city's code."""
    choice = choose(web.viewer, city, from_month, to_month)
    service = StatsService(session, web.viewer)
    errors: dict[str, tuple[str, str]] = {}
    try:
        stats = service.report(choice.from_month or None, choice.to_month or None, choice.cities)
    except InvalidInput as exc:
        for error in exc.errors or []:
            field = str(error.get("field", ""))
            errors[field] = (str(error.get("reason", "")), str(error.get("reason_en", "")))
        errors[""] = ("筛选条件有误,以下为全部数据", "Invalid filter; showing all figures")
        stats = service.report()
    region = get_region()
    return render(
        web,
        "dashboard.html",
        stats=stats,
        charts=chart_data(stats, web.t("未注明"), web.lang),
        cities=corridor(stats),
        slugs={k.kind: k.slug for k in KINDS.values()},
        choice=choice,
        errors=errors,
        city_options=[(c.code, c.name_en if web.lang == "en" else c.name) for c in region.cities],
        own_cities=[
            region.city(c).name if region.has(c) else c
            for c in (web.viewer.city_scope if web.viewer.is_operator else ())
        ],
    )


register(
    {
        "统计范围": "Figures for",
        "全部城市": "All cities",
        "我的城市": "My cities",
        "起始月份": "From month",
        "结束月份": "To month",
        "查看": "Show",
        "同一数据(API)": "Same figures (API)",
        "未注明": "Not stated",
        "筛选条件有误,以下为全部数据": "Invalid filter; showing all figures",
        "一笔跨城签约计入双方城市,故各城合计可能多于签约项目数。": (
            "A deal between two cities counts for both, so the cities may add up to more "
            "than the number of deals."
        ),
        "至": "to",
        "起": "onwards",
        "截至": "up to",
    }
)
