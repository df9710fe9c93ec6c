"""Rules of IntroductionService that hold for the API and the command line alike."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factorlink.db.session import Database
from factorlink.errors import Conflict
from factorlink.introduction.models import Introduction, PartyKind
from factorlink.introduction.service import IntroductionService
from factorlink.lead.models import Lead, LeadStatus
from factorlink.lead.service import LeadService
from tests.factories import MakeActor
from tests.introduction.builders import ADMIN, add_lead, add_listing

URL = "/api/v1/introductions"


def _withdraw(database: Database, lead_id: int) -> None:
    with database.unit_of_work() as session:
        LeadService(session, ADMIN).withdraw_consent(lead_id)


def _erase(database: Database, lead_id: int) -> None:
    with database.unit_of_work() as session:
        LeadService(session, ADMIN).erase_personal_data(lead_id)


LeadChange = Callable[[Database, int], None]
REFUSALS: list[tuple[LeadChange, str, str]] = [
    (_withdraw, "撤回同意", "withdrew consent"),
    (_erase, "个人信息已删除", "personal data was erased"),
]


@pytest.mark.parametrize(("change", "says", "says_en"), REFUSALS, ids=["withdrawn", "erased"])
@pytest.mark.parametrize("side", ["a", "b"])
def test_a_lead_without_consent_or_data_cannot_be_introduced(
    database: Database, change: LeadChange, says: str, says_en: str, side: str
) -> None:
    lead = add_lead(database, city="杭州")
    achievement = add_listing(database, "achievement")
    change(database, lead)
    refs = [(PartyKind.lead, lead), (PartyKind.achievement, achievement)]
    a, b = refs if side == "a" else refs[::-1]
    with database.unit_of_work() as session, pytest.raises(Conflict) as refused:
        IntroductionService(session, ADMIN).create(a, b)
    error = refused.value
    assert says in error.message and f"线索{lead}" in error.message
    assert error.message_en is not None and says_en in error.message_en
    assert error.errors[0]["field"] == f"party_{side}"
    with database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Introduction)) == 0
        stored = session.get(Lead, lead)
        assert stored is not None and stored.status == LeadStatus.new


def test_refusal_over_http_is_a_409_problem(
    client: TestClient, database: Database, make_actor: MakeActor
) -> None:
    lead = add_lead(database)
    carrier = add_listing(database, "carrier")
    _withdraw(database, lead)
    body = {"party_a": {"kind": "lead", "id": lead}, "party_b": {"kind": "carrier", "id": carrier}}
    response = client.post(URL, json=body, headers=make_actor("operator").headers)
    assert response.status_code == 409
    problem = response.json()
    assert problem["type"] == "/problems/conflict"
    assert "撤回同意" in problem["detail"] and "withdrew consent" in problem["detail_en"]


def test_a_lead_with_consent_is_still_introduced(database: Database) -> None:
    lead, carrier = add_lead(database), add_listing(database, "carrier")
    with database.unit_of_work() as session:
        intro = IntroductionService(session, ADMIN).create(
            (PartyKind.lead, lead), (PartyKind.carrier, carrier)
        )
        assert intro.id is not None
