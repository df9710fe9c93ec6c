"""Lead queries: city matches on the JSON list of preferred cities are exact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
from factorlink.lead.models import Lead
from factorlink.lead.repository import LeadFilters, LeadRepository, in_cities, visible_to
from factorlink.lead.service import LeadService, lead_in_scope
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


def _operator(*cities: str) -> Viewer:
    return Viewer(user_id=5, role=Role.operator, city_scope=cities)


def test_scope_and_filter_share_the_exact_match(database: Database) -> None:
    lead = add_lead(database, preferred_cities="松江")
    with database.unit_of_work() as session:
        repository = LeadRepository(session)
        stmt = repository.search_statement(LeadFilters(city="songjiang"), _operator("%"))
        assert list(session.scalars(stmt)) == []
        stmt = repository.search_statement(LeadFilters(), _operator("songjiang"))
        assert [row.id for row in session.scalars(stmt)] == [lead]


def test_visibility_is_a_predicate_that_agrees_with_the_rule(database: Database) -> None:
    songjiang = add_lead(database, city="松江")
    preferring = add_lead(database, preferred_cities="合肥、松江")
    nowhere = add_lead(database)
    hefei = add_lead(database, city="合肥")
    viewers = {
        "admin": Viewer(user_id=1, role=Role.admin),
        "songjiang": _operator("songjiang"),
        "unscoped": _operator(),
        "member": Viewer(user_id=9, role=Role.member, organization_id=1),
    }
    expected = {
        "admin": {songjiang, preferring, nowhere, hefei},
        "songjiang": {songjiang, preferring, nowhere},
        "unscoped": {songjiang, preferring, nowhere, hefei},
        "member": set(),
    }
    with database.unit_of_work() as session:
        leads = list(session.scalars(select(Lead)))
        for name, viewer in viewers.items():
            seen = set(session.scalars(select(Lead.id).where(visible_to(viewer))))
            assert seen == expected[name], name
            # The query predicate and the rule for one lead say the same.
            assert seen == {lead.id for lead in leads if lead_in_scope(viewer, lead)}, name


@pytest.mark.parametrize("words", ["%", "_", "100%"])
def test_words_are_searched_as_typed(database: Database, words: str) -> None:
    add_lead(database, need="寻找石墨烯散热膜技术")
    typed = add_lead(database, need="良率提升100%的方案")
    with database.unit_of_work() as session:
        repository = LeadRepository(session)
        stmt = repository.search_statement(LeadFilters(q=words), Viewer(user_id=1, role=Role.admin))
        found = [row.id for row in session.scalars(stmt)]
    assert found == ([typed] if words in ("%", "100%") else [])


def test_look_alikes_are_those_the_viewer_may_handle_and_near_in_time(database: Database) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    first = add_lead(database, created_at=now, city="松江")
    same_mobile = add_lead(
        database, created_at=now + timedelta(days=3), city="松江", need="别的需求", company=None
    )
    same_company = add_lead(
        database,
        created_at=now + timedelta(days=5),
        city="松江",
        need="又一个",
        contact_mobile="13700001111",
    )
    same_need = add_lead(
        database,
        created_at=now + timedelta(days=7),
        city="松江",
        # The same need with other spaces, width and punctuation.
        need=" 寻找石墨烯散热膜技术，用于手机散热模组。",
        company="某公司",
        contact_mobile="13700002222",
    )
    elsewhere = add_lead(database, created_at=now + timedelta(days=1), city="合肥", company=None)
    too_late = add_lead(database, created_at=now + timedelta(days=31), city="松江")
    with database.unit_of_work() as session:
        lead = session.get(Lead, first)
        assert lead is not None
        found = LeadService(session, _operator("songjiang")).duplicates([lead])
        assert found == {first: [same_mobile, same_company, same_need]}
        # An admin sees the lead in 合肥 too; the one a month later is none of them.
        found = LeadService(session, Viewer(user_id=1, role=Role.admin)).duplicates([lead])
        assert found == {first: [same_mobile, same_company, same_need, elsewhere]}
        assert too_late not in found[first]
