"""Platform indicators: what FactorLink itself records, per city and year, as index inputs.

A framework uses them by naming these codes as indicators; a pipeline with `platform: true`
then adds the values to what its data files give. A city with no record in a year counts 0.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from factorlink.composite.framework import Framework
from factorlink.composite.panel import Observations
from factorlink.composite.repository import PlatformRepository, Rows
from factorlink.reference import get_region

METRICS: dict[str, tuple[str, Callable[[PlatformRepository], Rows]]] = {
    "platform_listings": ("平台新增挂牌数", PlatformRepository.listings),
    "platform_introductions": ("平台发起对接数", PlatformRepository.introductions),
    "platform_deals": ("平台签约数", PlatformRepository.deals),
    "platform_deal_amount": ("平台签约金额(万元)", PlatformRepository.deal_amounts),
    "platform_auction_turnover": ("平台拍卖成交额(万元)", PlatformRepository.auction_turnover),
}


def platform_values(session: Session, codes: list[str]) -> dict[str, Rows]:
    """The named platform metrics, each as (city, year, value) rows."""
    repository = PlatformRepository(session)
    return {code: METRICS[code][1](repository) for code in codes if code in METRICS}


def add_platform_indicators(session: Session, framework: Framework, obs: Observations) -> None:
    """Adds the platform metrics the framework names, for the corridor's cities."""
    codes = [i.code for i in framework.indicators if i.code in METRICS]
    values = platform_values(session, codes)
    cities = [c.code for c in get_region().cities]
    seen_years = {y for rows in values.values() for _, y, _ in rows}
    years = sorted(set(obs.years()) or seen_years)
    for code, rows in values.items():
        by_key = {(c, y): v for c, y, v in rows}
        for city in cities:
            for year in years:
                row = obs.values.setdefault((city, year), {})
                row.setdefault(code, by_key.get((city, year), 0.0))
