"""Who sees a contact in full, for every role, on the list and detail endpoints of every kind."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.privacy.conftest import ALL, CONTACT, NONE, ORG_CONTACT, World

# Which kinds each viewer sees in full; every other kind must come back masked.
EXPECTED: dict[str, frozenset[str]] = {
    "anonymous": NONE,
    "member_of_another_org": NONE,
    "member_of_owner": ALL,
    "operator_in_scope": ALL,
    "operator_out_of_scope": NONE,
    "operator_unscoped": ALL,
    "admin": ALL,
    "counterpart_proposed": NONE,
    "counterpart_contacted": ALL,
    "counterpart_negotiating_unstamped": ALL,
    "counterpart_signed": ALL,
    "counterpart_closed_after_contact": ALL,
    "counterpart_closed_before_contact": NONE,
    "counterpart_of_achievement_only": frozenset({"achievements"}),
}


def _shown(item: dict[str, Any]) -> tuple[str, str, bool]:
    return item["contact_name"], item["contact_mobile"], item["contact_masked"]


def _expected(path: str, full: bool) -> tuple[str, str, bool]:
    contact = ORG_CONTACT if path == "organizations" else CONTACT
    name, mobile = contact["contact_name"], contact["contact_mobile"]
    if full:
        return name, mobile, False
    return name[0] + "**", mobile[:3] + "****" + mobile[-4:], True


@pytest.mark.parametrize("viewer", sorted(EXPECTED))
def test_contacts_by_role_on_list_and_detail(client: TestClient, world: World, viewer: str) -> None:
    headers = world.headers[viewer]
    for path, id_ in world.ids.items():
        want = _expected(path, path in EXPECTED[viewer])

        detail = client.get(f"/api/v1/{path}/{id_}", headers=headers)
        assert detail.status_code == 200, detail.text
        assert _shown(detail.json()) == want, f"{viewer} on GET /{path}/{id_}"

        listed = client.get(f"/api/v1/{path}", params={"page_size": 200}, headers=headers)
        assert listed.status_code == 200, listed.text
        item = next(i for i in listed.json()["items"] if i["id"] == id_)
        assert _shown(item) == want, f"{viewer} on GET /{path}"


def test_masked_answers_never_carry_the_real_contact(client: TestClient, world: World) -> None:
    for path in world.ids:
        text = client.get(f"/api/v1/{path}", params={"page_size": 200}).text
        assert "13812345678" not in text and "13900001111" not in text
        assert "李晓明" not in text and "王建国" not in text


def test_the_owner_sees_its_counterparts_once_contacted(client: TestClient, world: World) -> None:
    # The rule is symmetric: the owner's member is the counterpart of the other side too.
    headers = world.headers["member_of_owner"]
    for stage, masked in (
        ("proposed", True),
        ("contacted", False),
        ("closed_after_contact", False),
        ("closed_before_contact", True),
    ):
        org = client.get(f"/api/v1/organizations/{world.counterparts[stage]}", headers=headers)
        assert org.json()["contact_masked"] is masked, stage


def test_a_contacted_introduction_changes_the_answer(
    client: TestClient, world: World, database: Any
) -> None:
    from sqlalchemy import select

    from factorlink.db.base import utcnow
    from factorlink.introduction.models import Introduction, IntroductionStatus, PartyKind

    headers = world.headers["counterpart_proposed"]
    url = f"/api/v1/demands/{world.ids['demands']}"
    assert client.get(url, headers=headers).json()["contact_masked"] is True
    with database.unit_of_work() as s:
        intro = s.scalars(
            select(Introduction).where(
                Introduction.party_a_kind == PartyKind.demand,
                Introduction.party_b_id == world.counterparts["proposed"],
            )
        ).one()
        intro.status, intro.contacted_at = IntroductionStatus.contacted, utcnow()
    assert client.get(url, headers=headers).json()["contact_mobile"] == "13812345678"
