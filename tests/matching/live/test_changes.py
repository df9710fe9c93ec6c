"""The change log: every write of a factor, in the writer's transaction, with related rows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from factorlink.db.session import Database
from factorlink.demand.models import Demand
from factorlink.introduction.models import PartyKind
from factorlink.matching.live import changes
from factorlink.matching.models import MatchChange
from factorlink.organization.models import Organization
from tests.introduction.builders import add_listing


def _logged(database: Database, after: int = 0) -> list[tuple[str, int]]:
    with database.unit_of_work() as session:
        rows = session.execute(
            select(MatchChange.kind, MatchChange.factor_id)
            .where(MatchChange.seq > after)
            .order_by(MatchChange.seq)
        )
        return [(kind, factor_id) for kind, factor_id in rows]


def _top(database: Database) -> int:
    with database.unit_of_work() as session:
        return max((s for s in session.scalars(select(MatchChange.seq))), default=0)


def test_a_demand_write_also_logs_its_owner_before_and_after(database: Database) -> None:
    demand_id = add_listing(database, "demand")
    with database.unit_of_work() as session:
        demand = session.get(Demand, demand_id)
        assert demand is not None
        first_owner = demand.organization_id
    assert ("demand", demand_id) in _logged(database)
    assert ("organization", first_owner) in _logged(database)
    other = add_listing(database, "organization", name="另一家示例企业有限公司")
    mark = _top(database)
    with database.unit_of_work() as session:
        demand = session.get(Demand, demand_id)
        assert demand is not None
        demand.organization_id = other
    moved = _logged(database, mark)
    assert set(moved) == {
        ("demand", demand_id),
        ("organization", first_owner),
        ("organization", other),
    }
    mark = _top(database)
    with database.unit_of_work() as session:
        session.delete(session.get(Demand, demand_id))
    assert set(_logged(database, mark)) == {("demand", demand_id), ("organization", other)}


def test_an_unchanged_row_logs_nothing_and_a_rollback_leaves_no_trace(database: Database) -> None:
    demand_id = add_listing(database, "demand")
    mark = _top(database)
    with database.unit_of_work() as session:
        demand = session.get(Demand, demand_id)
        assert demand is not None
        demand.title = demand.title  # no real change
    assert _logged(database, mark) == []
    try:
        with database.unit_of_work() as session:
            demand = session.get(Demand, demand_id)
            assert demand is not None
            demand.title = "改过的标题"
            session.flush()
            raise RuntimeError("the unit of work fails")
    except RuntimeError:
        pass
    assert _logged(database, mark) == []


def test_the_log_is_kept_by_the_sessions_it_is_installed_on(database: Database) -> None:
    demand_id = add_listing(database, "demand")
    mark = _top(database)
    plain = sessionmaker(database.engine)  # not a Database's: nothing installed
    watched = sessionmaker(database.engine)
    changes.install(watched, {PartyKind.organization: Organization})
    with plain.begin() as session:
        demand = session.get(Demand, demand_id)
        assert demand is not None
        owner = demand.organization_id
        demand.title = "无人记录的改动"
    assert _logged(database, mark) == []
    with watched.begin() as session:
        demand = session.get(Demand, demand_id)
        organization = session.get(Organization, owner)
        assert demand is not None and organization is not None
        demand.title = "只记录机构的改动"  # demands are not in this mapping
        organization.name = "改名的示例企业有限公司"
    assert _logged(database, mark) == [("organization", owner)]
