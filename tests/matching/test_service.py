"""Matches for a lead, against listings stored in the database."""

from __future__ import annotations

from typing import Any

from factorlink.auth.viewer import ANONYMOUS, Viewer
from factorlink.db.session import Database
from factorlink.lead.models import Lead
from factorlink.lead.service import LeadService
from factorlink.matching.service import Match, find_matches, match_for_lead
from tests.introduction.builders import ADMIN, EXAMPLES, LEAD, SERVICES, add_listing


def _matches(database: Database, viewer: Viewer = ADMIN, **cells: Any) -> list[Match]:
    with database.unit_of_work() as session:
        lead: Lead = LeadService(session, ADMIN).submit({**LEAD, **cells})
        return match_for_lead(session, viewer, lead, limit=10)


def _world(database: Database) -> dict[str, int]:
    return {
        "graphene": add_listing(database, "achievement"),
        "battery": add_listing(
            database,
            "achievement",
            title="退役动力电池梯次利用技术",
            abstract="电池包快速检测与重组。",
            keywords="电池、回收",
            industry="新能源",
            city="合肥",
        ),
        "expert": add_listing(database, "expert"),
        "factory": add_listing(database, "carrier"),
        "fund": add_listing(database, "capital"),
    }


def test_technology_lead_finds_achievements_and_experts(database: Database) -> None:
    ids = _world(database)
    matches = _matches(database)
    found = [(m.kind, m.id) for m in matches]
    assert found[0] == ("achievement", ids["graphene"])
    assert ("expert", ids["expert"]) in found
    assert all(m.kind in ("achievement", "expert") for m in matches)
    # The battery achievement shares no word of substance, so it comes last.
    assert found[-1] == ("achievement", ids["battery"]) and matches[-1].terms == ()
    best = matches[0]
    assert best.code.startswith("ACH-") and best.title == "高导热石墨烯复合散热膜制备技术"
    assert {"石墨烯", "散热"} <= set(best.terms)
    assert best.score > matches[1].score > matches[-1].score
    assert best.city == "hangzhou" and not best.outside_preferred_cities


def test_matches_outside_the_preferred_cities_are_flagged(database: Database) -> None:
    ids = _world(database)
    matches = _matches(database, preferred_cities="杭州")
    assert (matches[0].kind, matches[0].id) == ("achievement", ids["graphene"])
    assert not matches[0].outside_preferred_cities
    assert all(m.outside_preferred_cities for m in matches[1:])


def test_no_match_in_the_preferred_cities_widens_to_all(database: Database) -> None:
    ids = _world(database)
    matches = _matches(database, preferred_cities="金华、湖州")
    assert ("achievement", ids["graphene"]) in [(m.kind, m.id) for m in matches]
    assert all(m.outside_preferred_cities for m in matches)


def test_space_and_capital_leads_find_carriers_and_funds(database: Database) -> None:
    ids = _world(database)
    space = _matches(database, lead_type="载体", need="求购新材料厂房", preferred_cities="松江")
    assert [(m.kind, m.id) for m in space] == [("carrier", ids["factory"])]
    assert "厂房" in space[0].terms
    capital = _matches(
        database, lead_type="资金", need="集成电路项目天使轮融资", preferred_cities="杭州"
    )
    assert [(m.kind, m.id) for m in capital] == [("capital", ids["fund"])]
    # The fund covers 松江 and 杭州 without a home city: its first covered city stands for it.
    assert capital[0].city == "songjiang" and not capital[0].outside_preferred_cities


def test_contacts_are_masked_for_anonymous_viewers(database: Database) -> None:
    _world(database)
    anonymous = _matches(database, viewer=ANONYMOUS)
    assert anonymous and all(m.contact_masked for m in anonymous)
    assert {(m.contact_name, m.contact_mobile) for m in anonymous} == {("李**", "138****5678")}
    admin = _matches(database)
    assert {(m.contact_name, m.contact_mobile, m.contact_masked) for m in admin} == {
        ("李晓明", "13812345678", False)
    }


def test_no_listings_means_no_matches(database: Database) -> None:
    assert _matches(database) == []


def _tax_reason(database: Database, viewer: Viewer) -> str:
    """The 亩均税收 reason of the one company matched to a land parcel, as `viewer` reads it."""
    cells = {"name": "松江工业用地地块", "kind": "工业用地", "area": "30亩", "industries": "新材料"}
    with database.unit_of_work() as session:
        carrier = {**EXAMPLES["carrier"], **cells, "tax_threshold_wan_per_mu": "20"}
        land = SERVICES["carrier"](session, ADMIN).create(carrier).id
    add_listing(database, "organization", annual_tax_wan="800")
    with database.unit_of_work() as session:
        found = find_matches(session, viewer, "carrier", land, "organization")
    (match,) = found.items
    return next(c.detail for c in match.criteria if c.key == "tax_threshold")


def test_a_company_tax_is_in_match_reasons_only_for_those_who_may_see_it(
    database: Database,
) -> None:
    # Issue 14: "年纳税 800万元 ÷ 30亩" told every visitor what a named company pays.
    visitor = _tax_reason(database, ANONYMOUS)
    assert "800" not in visitor and "26.7" not in visitor
    assert visitor == "年纳税达到亩均税收门槛(企业纳税额不公开)"


def test_staff_read_the_tax_in_match_reasons(database: Database) -> None:
    staff = _tax_reason(database, ADMIN)
    assert "800万元" in staff and "达到亩均税收门槛" in staff
