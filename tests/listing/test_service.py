"""A listing's state through ListingService: withdrawn (hidden from the public, kept), shown
again, or closed as done; only the owner or staff in its city may move it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from factorlink.achievement.service import AchievementService
from factorlink.auth.models import Role
from factorlink.auth.viewer import ANONYMOUS, Viewer
from factorlink.db.factor import ListingState
from factorlink.db.session import Database
from factorlink.demand.service import DemandService
from factorlink.errors import Conflict, NotFound, PermissionDenied
from factorlink.kit.pagination import PageParams
from factorlink.listing.repository import ListingFilters
from factorlink.listing.service import state_label
from factorlink.matching.service import find_matches
from tests.factories import MakeActor, MakeOrganization
from tests.introduction.builders import ADMIN, add_listing


def _member(make_actor: MakeActor, org_id: int) -> Viewer:
    actor = make_actor(Role.member, organization_id=org_id)
    return Viewer(user_id=actor.user_id, role=Role.member, organization_id=org_id)


def _codes(database: Database, viewer: Viewer) -> list[str]:
    with database.unit_of_work() as session:
        rows, _ = DemandService(session, viewer).search(ListingFilters(), PageParams(1, 50))
        return [row.code for row in rows]


def test_a_withdrawn_listing_is_hidden_from_the_public_and_kept_for_its_owner(
    database: Database, make_actor: MakeActor, make_org: MakeOrganization, client: TestClient
) -> None:
    org = make_org("嘉兴示例新能源有限公司", city="jiaxing")
    owner = _member(make_actor, org.id)
    demand = add_listing(database, "demand", code="DEM-MINE")
    with database.unit_of_work() as session:
        moved = DemandService(session, owner).set_state(demand, ListingState.withdrawn)
        assert moved.state == ListingState.withdrawn
    assert _codes(database, ANONYMOUS) == []
    assert client.get(f"/api/v1/demands/{demand}").status_code == 404
    with database.unit_of_work() as session:
        with pytest.raises(NotFound):
            DemandService(session, ANONYMOUS).get(demand)
        # The owner and staff still find it, on its page and in 我的发布.
        assert DemandService(session, owner).get(demand).code == "DEM-MINE"
        assert DemandService(session, ADMIN).get(demand).code == "DEM-MINE"
        mine, total = DemandService(session, owner).mine(PageParams(1, 20))
        assert [r.code for r in mine] == ["DEM-MINE"] and total == 1
    with database.unit_of_work() as session:
        DemandService(session, owner).set_state(demand, ListingState.active)
    assert _codes(database, ANONYMOUS) == ["DEM-MINE"]


def test_a_closed_listing_is_shown_but_not_searched_or_matched_and_stays_closed(
    database: Database, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    org = make_org("示例大学", city="hangzhou")
    owner = _member(make_actor, org.id)
    achievement = add_listing(database, "achievement")
    demand = add_listing(database, "demand", description="需要石墨烯散热膜导热方案")
    with database.unit_of_work() as session:
        found = find_matches(session, ADMIN, "demand", demand, "achievement")
        assert achievement in [m.id for m in found.items]
    with database.unit_of_work() as session:
        AchievementService(session, owner).set_state(achievement, ListingState.closed)
    with database.unit_of_work() as session:
        assert AchievementService(session, ANONYMOUS).get(achievement).state == "closed"
        rows, _ = AchievementService(session, ANONYMOUS).search(ListingFilters(), PageParams(1, 9))
        assert rows == []
        found = find_matches(session, ADMIN, "demand", demand, "achievement")
        assert achievement not in [m.id for m in found.items]
        with pytest.raises(Conflict) as raised:
            AchievementService(session, owner).set_state(achievement, ListingState.active)
        assert "已成交" in raised.value.message
    assert state_label("closed", "demand") == "已解决"


def test_only_the_owner_or_staff_in_its_city_moves_a_listing(
    database: Database, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    make_org("嘉兴示例新能源有限公司", city="jiaxing")
    stranger = _member(make_actor, make_org("湖州某公司", city="huzhou").id)
    demand = add_listing(database, "demand")
    operator = make_actor(Role.operator, city_scope=["huzhou"])
    elsewhere = Viewer(user_id=operator.user_id, role=Role.operator, city_scope=("huzhou",))
    with database.unit_of_work() as session:
        for viewer in (stranger, elsewhere):
            with pytest.raises(PermissionDenied):
                DemandService(session, viewer).set_state(demand, ListingState.withdrawn)
        with pytest.raises(PermissionDenied):
            DemandService(session, stranger).update(demand, {"title": "改名"})
        assert DemandService(session, stranger).mine(PageParams(1, 9)) == ([], 0)
    with database.unit_of_work() as session:
        # A withdrawn listing is not found by a stranger at all.
        DemandService(session, ADMIN).set_state(demand, ListingState.withdrawn)
    with database.unit_of_work() as session, pytest.raises(NotFound):
        DemandService(session, stranger).set_state(demand, ListingState.active)
