"""Statistics computed from known data, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
from factorlink.errors import InvalidInput
from factorlink.introduction.models import IntroductionStatus, PartyKind
from factorlink.introduction.service import IntroductionService
from factorlink.stats.schemas import DealBucket, StatsOut
from factorlink.stats.service import StatsService
from tests.factories import MakeActor, MakeOrganization
from tests.introduction.builders import ADMIN, add_lead, add_listing, introduce
from tests.stats.conftest import utc

# The statistics' "now" in these tests: months without a to month run to this one.
NOW = datetime(2026, 5, 20, tzinfo=UTC)


def _report(database: Database, **filters: Any) -> StatsOut:
    with database.unit_of_work() as session:
        return StatsService(session, ADMIN).report(**filters, now=NOW)


def _rows(rows: list[DealBucket]) -> list[tuple[str | None, str | None, int, float]]:
    return [(r.key, r.label, r.count, r.amount_wan) for r in rows]


def test_signed_deals_by_city_industry_and_month(
    database: Database, corridor: dict[str, int]
) -> None:
    deals = _report(database).deals
    assert (deals.count, deals.amount_wan) == (3, 410.0)
    # Each deal counts for the cities of both parties: 嘉兴→杭州, 松江→杭州, 松江→松江 (once).
    assert _rows(deals.by_city) == [
        ("hangzhou", "杭州", 2, 360.0),
        ("jiaxing", "嘉兴", 1, 260.0),
        ("songjiang", "上海松江", 2, 150.0),
    ]
    assert sorted(_rows(deals.by_industry)) == [
        ("ai", "人工智能", 1, 100.0),
        ("equipment", "高端装备", 1, 50.0),
        ("nev", "新能源汽车/智能网联汽车", 1, 260.0),
    ]
    # 2026-03-31T23:30Z is still March in UTC; every month to this one, zeros included.
    assert _rows(deals.by_month) == [
        ("2026-01", "2026-01", 1, 260.0),
        ("2026-02", "2026-02", 0, 0.0),
        ("2026-03", "2026-03", 2, 150.0),
        ("2026-04", "2026-04", 0, 0.0),
        ("2026-05", "2026-05", 0, 0.0),
    ]


def test_each_city_of_the_deals_agrees_with_its_own_filter(
    database: Database, corridor: dict[str, int]
) -> None:
    for row in _report(database).deals.by_city:
        alone = _report(database, city=row.key).deals
        assert (row.count, row.amount_wan) == (alone.count, alone.amount_wan), row.key
        assert _rows(alone.by_city) == [_rows([row])[0]]


def test_a_deal_with_a_lead_naming_no_city_counts_for_the_other_party_only(
    database: Database, corridor: dict[str, int]
) -> None:
    lead = add_lead(database, utc("2026-04-02T02:00"), company="芜湖示例科技有限公司")
    wuhu = add_listing(database, "carrier", city="芜湖", title="芜湖高新区标准厂房")
    introduce(
        database,
        ("lead", lead),
        ("carrier", wuhu),
        [
            ("contacted", utc("2026-04-04"), {}),
            ("negotiating", utc("2026-04-10"), {}),
            ("signed", utc("2026-04-20"), {"amount_wan": 840}),
        ],
        at=utc("2026-04-03"),
    )
    deals = _report(database).deals
    assert all(r.key and r.label for r in deals.by_city)
    assert ("wuhu", "芜湖", 1, 840.0) in _rows(deals.by_city)
    assert (deals.count, deals.amount_wan) == (4, 1250.0)
    assert _rows(_report(database, city="芜湖").deals.by_city) == [("wuhu", "芜湖", 1, 840.0)]


def test_a_period_lists_every_month_of_it(database: Database, corridor: dict[str, int]) -> None:
    months = _report(database, from_month="2025-11", to_month="2026-02").deals.by_month
    assert _rows(months) == [
        ("2025-11", "2025-11", 0, 0.0),
        ("2025-12", "2025-12", 0, 0.0),
        ("2026-01", "2026-01", 1, 260.0),
        ("2026-02", "2026-02", 0, 0.0),
    ]
    assert [m.key for m in _report(database, from_month="2026-04").deals.by_month] == [
        "2026-04",
        "2026-05",
    ]


def test_several_cities_at_once(database: Database, corridor: dict[str, int]) -> None:
    report = _report(database, city=["嘉兴", "hefei"])
    assert (report.filters.city, report.filters.cities) == (None, ["jiaxing", "hefei"])
    assert report.filters.city_names == ["嘉兴", "合肥"]
    assert report.introductions.total == 3  # 1, 4 (嘉兴) and 5 (合肥)
    assert _rows(report.deals.by_city) == [("jiaxing", "嘉兴", 1, 260.0)]
    assert report.leads.total == 1
    assert {k.kind: k.total for k in report.listings}["achievement"] == 1


def test_introductions_cross_city_share_and_conversion(
    database: Database, corridor: dict[str, int]
) -> None:
    intro = _report(database).introductions
    assert intro.total == 5
    assert {r.key: r.count for r in intro.by_status} == {"signed": 3, "closed": 1, "proposed": 1}
    assert {r.key: r.label for r in intro.by_status}["signed"] == "已签约"
    assert (intro.signed, intro.cross_city) == (3, 4)
    assert (intro.cross_city_share, intro.conversion) == (0.8, 0.6)


def test_leads_by_type_and_status(database: Database, corridor: dict[str, int]) -> None:
    leads = _report(database).leads
    assert leads.total == 3
    assert {(r.key, r.label, r.count) for r in leads.by_type} == {
        ("technology", "技术", 1),
        ("space", "空间载体", 1),
        ("capital", "资本", 1),
    }
    assert {r.key: r.count for r in leads.by_status} == {"introduced": 2, "new": 1}


def test_listings_per_kind_and_city(database: Database, corridor: dict[str, int]) -> None:
    listings = {k.kind: k for k in _report(database).listings}
    achievements = listings["achievement"]
    assert (achievements.label, achievements.total) == ("科技成果", 3)
    assert {(c.key, c.label, c.count) for c in achievements.by_city} == {
        ("hangzhou", "杭州", 2),
        ("hefei", "合肥", 1),
    }
    assert {c.key: c.count for c in listings["demand"].by_city} == {"jiaxing": 1, "songjiang": 1}
    assert listings["carrier"].total == listings["expert"].total == listings["capital"].total == 1
    # Organisations named by the listings were created along with them.
    assert listings["organization"].total == 2


def test_a_period_counts_deals_by_signing_and_introductions_by_proposal(
    database: Database, corridor: dict[str, int]
) -> None:
    report = _report(database, from_month="2026-02", to_month="2026-03")
    assert (report.deals.count, report.deals.amount_wan) == (2, 150.0)
    assert _rows(report.deals.by_month) == [
        ("2026-02", "2026-02", 0, 0.0),
        ("2026-03", "2026-03", 2, 150.0),
    ]
    intro = report.introductions
    assert (intro.total, intro.signed, intro.cross_city) == (3, 2, 2)
    assert intro.conversion == intro.cross_city_share == pytest.approx(0.6667)
    assert report.leads.total == 2
    assert _report(database, from_month="2026-04").deals.count == 0
    assert _report(database, to_month="2026-01").deals.amount_wan == 260.0


def test_a_city_keeps_what_touches_it(database: Database, corridor: dict[str, int]) -> None:
    report = _report(database, city="松江")
    assert (report.filters.city, report.filters.city_name) == ("songjiang", "上海松江")
    assert _rows(report.deals.by_city) == [("songjiang", "上海松江", 2, 150.0)]
    assert report.filters.cities == ["songjiang"]
    assert report.introductions.total == 3  # 2, 3 and 5
    assert report.leads.total == 2
    assert {k.kind: k.total for k in report.listings}["demand"] == 1
    assert _report(database, city="hefei").introductions.total == 2  # 4 and 5


def test_an_empty_database_gives_zeros_not_errors(database: Database) -> None:
    report = _report(database)
    assert report.introductions.total == 0
    assert report.introductions.conversion is None and report.introductions.cross_city_share is None
    assert (report.deals.count, report.deals.amount_wan, report.deals.by_month) == (0, 0.0, [])


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"from_month": "2026-13"}, "from"),
        ({"from_month": "March"}, "from"),
        ({"to_month": "2026/03"}, "to"),
        ({"from_month": "2026-04", "to_month": "2026-03"}, "from"),
        ({"city": "北京"}, "city"),
    ],
)
def test_bad_filters_are_named(database: Database, filters: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        _report(database, **filters)
    assert raised.value.errors[0]["field"] == field


def test_members_requests_count_once_an_operator_accepts_them(
    database: Database, corridor: dict[str, int], make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    org = make_org("湖州请求测试有限公司", city="huzhou")
    actor = make_actor(Role.member, organization_id=org.id)
    member = Viewer(user_id=actor.user_id, role=Role.member, organization_id=org.id)
    demand = add_listing(database, "demand", organization=org.name, city="湖州", title="请求测试")
    waiting, declined, accepted = (
        add_listing(database, "achievement", title=f"请求测试成果{n}") for n in range(3)
    )
    with database.unit_of_work() as session:
        service = IntroductionService(session, member)
        ids = [
            service.request((PartyKind.demand, demand), (PartyKind.achievement, a)).id
            for a in (waiting, declined, accepted)
        ]
    with database.unit_of_work() as session:
        staff = IntroductionService(session, ADMIN)
        staff.transition(ids[1], IntroductionStatus.closed, reason="对方暂无意向")
        before = StatsService(session, ADMIN).report().introductions
        assert (before.total, before.cross_city) == (5, 4)  # as without the requests
        staff.transition(ids[2], IntroductionStatus.proposed)
        after = StatsService(session, ADMIN).report().introductions
        assert after.total == 6
        assert {r.key: r.count for r in after.by_status}["proposed"] == 2
