"""Builders of events and their people for the events tests: a Beijing-time day whose first
block is already under way (so meetings can be marked) and whose registration is open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
from factorlink.event.schemas import BlockIn, EventIn, RegistrationIn
from factorlink.event.service import EventService
from factorlink.organization.models import Organization, OrganizationKind
from tests.introduction.builders import ADMIN, add_listing

NOW = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


def event_body(now: datetime = NOW, **changes: Any) -> EventIn:
    """An event: registration open around `now`; a block that began an hour before `now`
    (three 20-minute slots, two past) and one the next morning (six slots)."""
    fields: dict[str, Any] = {
        "title": "G60新材料要素对接会",
        "kind": "matchmaking",
        "city": "松江",
        "venue": "松江区科技园会议中心",
        "slot_minutes": 20,
        "registration_opens_at": now - timedelta(days=7),
        "registration_closes_at": now + timedelta(hours=12),
        "tables": 3,
        "blocks": [
            BlockIn(starts_at=now - timedelta(hours=1), ends_at=now),
            BlockIn(starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=2)),
        ],
    }
    fields.update(changes)
    return EventIn(**fields)


def make_event(
    database: Database, viewer: Viewer = ADMIN, now: datetime = NOW, **changes: Any
) -> int:
    """Creates an event (as an admin by default)."""
    with database.unit_of_work() as session:
        event = EventService(session, viewer, lambda: now).create_event(event_body(now, **changes))
        return int(event.id)


def add_org(database: Database, name: str, city: str, kind: OrganizationKind) -> int:
    """Stores an organisation."""
    with database.unit_of_work() as session:
        org = Organization(
            code=f"ORG-{abs(hash(name)) % 10**8}",
            name=name,
            kind=kind,
            city=city,
            contact_name="周敏",
            contact_mobile="13700001111",
        )
        session.add(org)
        session.flush()
        return int(org.id)


@dataclass(frozen=True)
class World:
    """Two organisations whose listings match: a demand (嘉兴) and an achievement (杭州)."""

    org_a: int
    org_b: int
    demand: int
    achievement: int


def world(database: Database) -> World:
    """A demand of an enterprise and the achievement of a university that answers it."""
    org_a = add_org(database, "嘉兴示例新能源有限公司", "jiaxing", OrganizationKind.enterprise)
    org_b = add_org(database, "示例大学", "hangzhou", OrganizationKind.university)
    demand = add_listing(
        database,
        "demand",
        title="电池包石墨烯散热膜方案",
        description="现有铝制液冷板重量偏大,寻求石墨烯散热膜导热方案。",
        keywords="石墨烯、散热膜",
        organization="嘉兴示例新能源有限公司",
    )
    achievement = add_listing(database, "achievement", organization="示例大学")
    return World(org_a, org_b, demand, achievement)


def member(user_id: int, organization_id: int | None) -> Viewer:
    """A member of an organisation."""
    return Viewer(user_id=user_id, role=Role.member, organization_id=organization_id)


def registration(**changes: Any) -> RegistrationIn:
    """A registration body."""
    fields: dict[str, Any] = {"role": "enterprise"}
    fields.update(changes)
    return RegistrationIn(**fields)
