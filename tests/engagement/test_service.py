"""Views and follows in the database: counted in one statement, followed once, forgotten with
the listing."""

from __future__ import annotations

import pytest

from factorlink.auth.models import Role, User
from factorlink.auth.viewer import ANONYMOUS, Viewer
from factorlink.carrier.service import CarrierService
from factorlink.db.session import Database
from factorlink.engagement.repository import EngagementRepository
from factorlink.engagement.service import Engagement, EngagementService
from factorlink.errors import NotAuthenticated
from tests.introduction.builders import ADMIN, add_listing

BROWSER = "Mozilla/5.0 (Macintosh) Safari/605.1.15"


def _user(database: Database) -> Viewer:
    with database.unit_of_work() as s:
        user = User(username="follower", password_hash="x", role=Role.member)
        s.add(user)
        s.flush()
        return Viewer(user_id=user.id, role=Role.member)


def test_reads_count_views_and_the_cookie_stops_a_reload(database: Database) -> None:
    with database.unit_of_work() as s:
        service = EngagementService(s, ANONYMOUS)
        cookie = service.read("carrier", 7, None, BROWSER)
        service.read("carrier", 7, cookie, BROWSER)
        service.read("carrier", 7, None, BROWSER)
        service.read("carrier", 7, None, "Googlebot/2.1")
        service.read("demand", 7, None, BROWSER)
    with database.unit_of_work() as s:
        assert EngagementService(s, ANONYMOUS).of("carrier", 7).views == 2
        assert EngagementService(s, ANONYMOUS).of("demand", 7).views == 1


def test_follow_once_unfollow_and_forget(database: Database) -> None:
    viewer = _user(database)
    with database.unit_of_work() as s:
        service = EngagementService(s, viewer)
        service.follow("achievement", 3)
        service.follow("achievement", 3)
        service.follow("carrier", 4)
        assert service.followed() == [("carrier", 4), ("achievement", 3)]
        assert (
            service.of("achievement", 3).followers == 1 and service.of("achievement", 3).following
        )
        service.follow("achievement", 3, on=False)
        assert not service.of("achievement", 3).following
        EngagementRepository(s).add_view("carrier", 4)
        EngagementRepository(s).forget("carrier", 4)
        assert service.of("carrier", 4) == service.of("carrier", 99)


def test_a_visitor_cannot_follow(database: Database) -> None:
    with database.unit_of_work() as s, pytest.raises(NotAuthenticated):
        EngagementService(s, ANONYMOUS).follow("carrier", 1)


def test_deleting_a_listing_forgets_its_views_and_followers(database: Database) -> None:
    viewer = _user(database)
    carrier = add_listing(database, "carrier")
    with database.unit_of_work() as s:
        EngagementService(s, viewer).follow("carrier", carrier)
        EngagementRepository(s).add_view("carrier", carrier)
    with database.unit_of_work() as s:
        CarrierService(s, ADMIN).delete(carrier)
    with database.unit_of_work() as s:
        assert EngagementService(s, viewer).of("carrier", carrier) == Engagement(0, 0, False)
