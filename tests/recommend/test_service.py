"""Stored recommendations read back: the same matches, masked and explained as a live search
would show them to each viewer, and a live search wherever they may no longer be true."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update

from factorlink.auth.models import Role
from factorlink.auth.viewer import ANONYMOUS, SYSTEM, Viewer
from factorlink.config import Settings
from factorlink.db.base import utcnow
from factorlink.db.factor import ListingState
from factorlink.db.session import Database
from factorlink.introduction.models import PartyKind
from factorlink.introduction.parties import party_owner
from factorlink.kinds.registry import kind_of
from factorlink.matching.retrieval.engine import Method
from factorlink.matching.service import TARGETS, find_matches, rank
from factorlink.models import PARTY_MODELS
from factorlink.recommend.items import decode
from factorlink.recommend.models import Recommendation
from factorlink.recommend.service import SOURCE_KINDS, directions
from factorlink.recommend.units import Options, run
from tests.introduction.builders import ADMIN, SERVICES

EVERY_DIRECTION = {
    (source.value, target.value)
    for source, targets in TARGETS.items()
    for target in targets
    if PartyKind.lead not in (source, target)
}


def _recommend_some(database: Database, per_kind: int = 3) -> None:
    """The first listings of every kind, every direction (small batches: several commits)."""
    for kind in SOURCE_KINDS:
        run(database, Options(kinds=(kind,), limit=per_kind, batch=4))


def _viewers(source_kind: PartyKind, source: Any) -> list[Viewer]:
    """An anonymous visitor, an administrator, an operator of one city, and a member of the
    listing's own organisation (who sees the contacts of its introduced counterparts)."""
    viewers = [ANONYMOUS, SYSTEM, Viewer(user_id=7, role=Role.operator, city_scope=("hangzhou",))]
    owner = party_owner(source_kind, source)
    if owner is not None:
        viewers.append(Viewer(user_id=8, role=Role.member, organization_id=owner))
    return viewers


def test_stored_recommendations_show_what_a_live_search_shows(sample: Database) -> None:
    _recommend_some(sample)
    masked: set[bool] = set()
    taxes: set[str] = set()
    with sample.unit_of_work() as session:
        rows = list(session.scalars(select(Recommendation)))
        assert {(r.source_kind, r.target_kind) for r in rows} == EVERY_DIRECTION
        assert sum(r.count for r in rows) > 5 * len(rows)
        for row in rows:
            kind, target = PartyKind(row.source_kind), PartyKind(row.target_kind)
            source = session.get(PARTY_MODELS[kind], row.source_id)
            for viewer in _viewers(kind, source):
                shown = find_matches(session, viewer, kind.value, row.source_id, target.value)
                assert shown.computed_at == row.computed_at  # read from the store
                live = rank(session, viewer, kind, source, target, 10)
                assert list(shown.items) == live, (kind, row.source_id, target, viewer)
                masked.update(m.contact_masked for m in live)
                taxes.update(
                    "withheld" if "不公开" in c.detail else "shown" if "÷" in c.detail else "-"
                    for m in live
                    for c in m.criteria
                    if c.key == "tax_threshold"
                )
    # The comparison covers contacts shown and masked alike, and a company's tax quoted to
    # those who may see it and withheld from the others.
    assert masked == {True, False}
    assert {"withheld", "shown"} <= taxes


def test_the_api_answers_from_the_store_as_it_would_live(
    sample: Database, client: TestClient
) -> None:
    _recommend_some(sample, per_kind=2)
    with sample.unit_of_work() as session:
        rows = [
            (r.source_kind, r.source_id, r.target_kind)
            for r in session.scalars(select(Recommendation))
        ]
    for source_kind, source_id, target in rows:
        url = f"/api/v1/{kind_of(PartyKind(source_kind)).slug}/{source_id}/matches"
        stored = client.get(url, params={"target": target}).json()
        assert stored["computed_at"] is not None
        with sample.unit_of_work() as session:
            session.execute(
                delete(Recommendation).where(
                    Recommendation.source_kind == source_kind,
                    Recommendation.source_id == source_id,
                    Recommendation.target_kind == target,
                )
            )
        live = client.get(url, params={"target": target}).json()
        assert live["computed_at"] is None
        assert {**stored, "computed_at": None} == live


MATCH_LIST = re.compile(r'<ol class="results matches">.*?</ol>', re.S)


def test_the_detail_page_shows_stored_matches_as_it_would_live(
    sample: Database, client: TestClient
) -> None:
    run(sample, Options(kinds=(PartyKind.demand,), limit=1))
    with sample.unit_of_work() as session:
        row = session.scalars(select(Recommendation)).first()
        assert row is not None
        source_id, target = row.source_id, row.target_kind
    url = f"/{kind_of(PartyKind.demand).slug}/{source_id}?target={target}"
    stored = client.get(url).text
    assert 'data-computed-at="' in stored and "推荐结果计算于" in stored
    with sample.unit_of_work() as session:
        session.execute(delete(Recommendation))
    live = client.get(url).text
    assert "推荐结果计算于" not in live
    assert MATCH_LIST.findall(stored) == MATCH_LIST.findall(live) != []


# -- when the store does not answer ------------------------------------------------------------
@pytest.fixture
def one(sample: Database) -> tuple[Database, int]:
    """One demand's recommendations stored (against achievements and experts)."""
    run(sample, Options(kinds=(PartyKind.demand,), limit=1))
    with sample.unit_of_work() as session:
        row = session.scalars(
            select(Recommendation).where(Recommendation.target_kind == "achievement")
        ).one()
        assert row.count == 10
        return sample, row.source_id


def _answer(database: Database, demand: int, limit: int = 10, **kw: Any) -> Any:
    with database.unit_of_work() as session:
        return find_matches(session, ANONYMOUS, "demand", demand, "achievement", limit, **kw)


def test_fewer_matches_come_from_the_store_more_search_live(one: tuple[Database, int]) -> None:
    database, demand = one
    five = _answer(database, demand, 5)
    assert five.computed_at is not None
    assert list(five.items) == list(_answer(database, demand).items)[:5]
    # More than were stored, or from a deeper candidate pool: searched.
    assert _answer(database, demand, 11).computed_at is None
    # Another method than the run's: searched.
    assert _answer(database, demand, method=Method.bm25).computed_at is None


def test_old_recommendations_are_not_shown(one: tuple[Database, int]) -> None:
    database, demand = one
    with database.unit_of_work() as session:
        session.execute(update(Recommendation).values(computed_at=utcnow() - timedelta(hours=31)))
    assert _answer(database, demand).computed_at is None  # the default: 30 hours


def test_a_max_age_of_zero_always_searches(one: tuple[Database, int], settings: Settings) -> None:
    _, demand = one
    live = Database(settings.model_copy(update={"recommend_max_age_hours": 0}))
    try:
        assert _answer(live, demand).computed_at is None
    finally:
        live.dispose()
    longer = Database(settings.model_copy(update={"recommend_max_age_hours": 48}))
    try:
        with longer.unit_of_work() as session:
            session.execute(
                update(Recommendation).values(computed_at=utcnow() - timedelta(hours=31))
            )
        assert _answer(longer, demand).computed_at is not None
    finally:
        longer.dispose()


def test_a_listing_changed_since_is_matched_live(one: tuple[Database, int]) -> None:
    database, demand = one
    with database.unit_of_work() as session:
        SERVICES["demand"](session, ADMIN).update(demand, {"title": "高性能电池包液冷板减重方案"})
    assert _answer(database, demand).computed_at is None


def test_a_counterpart_changed_or_withdrawn_since_is_matched_live(
    one: tuple[Database, int],
) -> None:
    database, demand = one
    with database.unit_of_work() as session:
        row = session.scalars(
            select(Recommendation).where(Recommendation.target_kind == "achievement")
        ).one()
        first, last = decode(row.items)[0].id, decode(row.items)[-1].id
    # A new contact changes nothing ranked on: the store answers, with the contact as it is now.
    with database.unit_of_work() as session:
        SERVICES["achievement"](session, ADMIN).update(first, {"contact_name": "王新联"})
    with database.unit_of_work() as session:
        shown = find_matches(session, SYSTEM, "demand", demand, "achievement")
        assert shown.computed_at is not None and shown.items[0].contact_name == "王新联"
    # Nor does an unrelated listing's change.
    with database.unit_of_work() as session:
        other = session.scalars(
            select(PARTY_MODELS[PartyKind.carrier]).order_by(PARTY_MODELS[PartyKind.carrier].id)
        ).first()
        assert other is not None
        other.name = other.name + "(二期)"
    assert _answer(database, demand).computed_at is not None
    # The last one stored, even beyond the five asked for: its score may have risen.
    with database.unit_of_work() as session:
        SERVICES["achievement"](session, ADMIN).update(last, {"keywords": "石墨烯、散热膜"})
    assert _answer(database, demand, 5).computed_at is None
    assert _answer(database, demand).computed_at is None
    with database.unit_of_work() as session:
        SERVICES["achievement"](session, ADMIN).set_state(first, ListingState.withdrawn)
    shown = _answer(database, demand)
    assert shown.computed_at is None and first not in [m.id for m in shown.items]


def test_matches_against_leads_are_never_stored(sample: Database) -> None:
    run(sample, Options(kinds=(PartyKind.carrier,), limit=3))
    with sample.unit_of_work() as session:
        targets = set(session.scalars(select(Recommendation.target_kind)))
    assert targets == {t.value for t in directions(PartyKind.carrier)} == {"organization"}
    with sample.unit_of_work() as session:
        source = session.scalars(select(Recommendation.source_id)).first()
        assert source is not None
        leads = find_matches(session, SYSTEM, "carrier", source, "lead")
    assert leads.computed_at is None
