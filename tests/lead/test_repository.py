"""Lead queries: city matches on the JSON list of preferred cities are exact."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factorlink.db.session import Database
from factorlink.lead.models import Lead
from factorlink.lead.repository import LeadFilters, LeadRepository, in_cities
from tests.introduction.builders import add_lead


def _found(database: Database, city: str) -> list[int]:
    with database.unit_of_work() as session:
        return list(session.scalars(select(Lead.id).where(in_cities([city])).order_by(Lead.id)))


@pytest.mark.parametrize("pattern", ["%", "_", "song%", "songjian_", "%jiaxing"])
def test_like_wildcards_in_a_city_match_nothing_but_themselves(
    database: Database, pattern: str
) -> None:
    add_lead(database, preferred_cities="松江、嘉兴")
    add_lead(database, city="松江")
    assert _found(database, pattern) == []


def test_a_preferred_city_matches_exactly(database: Database) -> None:
    preferring = add_lead(database, preferred_cities="松江、嘉兴")
    located = add_lead(database, city="嘉兴")
    assert _found(database, "songjiang") == [preferring]
    assert _found(database, "jiaxing") == [preferring, located]
    assert _found(database, "songjian") == []


def test_scope_and_filter_share_the_exact_match(database: Database) -> None:
    lead = add_lead(database, preferred_cities="松江")
    with database.unit_of_work() as session:
        repository = LeadRepository(session)
        stmt = repository.search_statement(LeadFilters(city="songjiang"), scope=["%"])
        assert list(session.scalars(stmt)) == []
        stmt = repository.search_statement(LeadFilters(), scope=["songjiang"])
        assert [row.id for row in session.scalars(stmt)] == [lead]
