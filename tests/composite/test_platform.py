"""Platform indicators from FactorLink's records, per city and year."""

from __future__ import annotations

from datetime import UTC, datetime

from factorlink.auction.models import AuctionSession, Lot, LotResult
from factorlink.composite.framework import parse_framework
from factorlink.composite.panel import Observations
from factorlink.composite.platform import METRICS, add_platform_indicators, platform_values
from factorlink.db.session import Database
from tests.introduction.builders import add_listing


def _sold_lot(
    database: Database, city: str, hammer_yuan: int, closed: datetime, sold: bool
) -> None:
    with database.unit_of_work() as s:
        session = AuctionSession(
            title="成果专场", starts_at=closed, ends_at=closed, bands=[[0, 10_000]]
        )
        s.add(session)
        s.flush()
        lot = Lot(
            session_id=session.id,
            number=1,
            achievement_code="ACH-1",
            title="石墨烯散热膜",
            city=city,
            start_yuan=100_000,
            opens_at=closed,
            closes_at=closed,
            end_at=closed,
        )
        s.add(lot)
        s.flush()
        s.add(LotResult(lot_id=lot.id, sold=sold, hammer_yuan=hammer_yuan, closed_at=closed))


def test_auction_turnover_counts_sold_lots_in_wan(database: Database) -> None:
    closed = datetime(2026, 5, 20, tzinfo=UTC)
    _sold_lot(database, "huzhou", 2_600_000, closed, sold=True)
    _sold_lot(database, "huzhou", 900_000, closed, sold=False)
    with database.unit_of_work() as s:
        rows = platform_values(s, ["platform_auction_turnover"])
    assert rows == {"platform_auction_turnover": [("huzhou", 2026, 260.0)]}


def test_listings_by_city_and_year_fill_the_framework_indicators(database: Database) -> None:
    add_listing(database, "achievement")  # 杭州, posted now
    add_listing(database, "carrier")  # 松江
    add_listing(database, "expert")  # 合肥
    framework = parse_framework(
        {
            "code": "p",
            "name": "平台",
            "indicators": [{"code": c, "name": n} for c, (n, _) in METRICS.items()],
        },
        "platform",
    )
    obs = Observations()
    with database.unit_of_work() as s:
        add_platform_indicators(s, framework, obs)
    year = datetime.now(UTC).year
    assert obs.values[("hangzhou", year)]["platform_listings"] == 1
    assert obs.values[("songjiang", year)]["platform_listings"] == 1
    assert obs.values[("xuancheng", year)] == {code: 0.0 for code in METRICS}
    assert len(obs.values) == 9  # every corridor city, the one year with records
