"""Rules of IntroductionService that hold for the API and the command line alike."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factorlink.achievement.service import AchievementService
from factorlink.auth.models import Role
from factorlink.auth.viewer import ANONYMOUS, Viewer
from factorlink.db.factor import ListingState
from factorlink.db.session import Database
from factorlink.errors import Conflict, InvalidInput, NotAuthenticated, PermissionDenied
from factorlink.introduction.models import Introduction, IntroductionStatus, PartyKind
from factorlink.introduction.repository import IntroductionFilters
from factorlink.introduction.service import IntroductionService
from factorlink.kit.pagination import PageParams
from factorlink.lead.models import Lead, LeadStatus
from factorlink.lead.service import LeadService
from tests.factories import MakeActor, MakeOrganization
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


def _member(make_actor: MakeActor, make_org: MakeOrganization, name: str) -> tuple[Viewer, int]:
    org = make_org(name)
    actor = make_actor(Role.member, organization_id=org.id)
    return Viewer(user_id=actor.user_id, role=Role.member, organization_id=org.id), org.id


def test_a_member_asks_for_an_introduction_that_waits_for_an_operator(
    database: Database, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    member, _ = _member(make_actor, make_org, "嘉兴示例新能源有限公司")
    demand = add_listing(database, "demand")  # of 嘉兴示例新能源有限公司, the member's
    achievement = add_listing(database, "achievement")  # of 示例大学
    with database.unit_of_work() as session:
        intro = IntroductionService(session, member).request(
            (PartyKind.demand, demand), (PartyKind.achievement, achievement), "想了解中试数据"
        )
        intro_id = intro.id
        assert intro.status == IntroductionStatus.requested
        assert [e.to_status for e in intro.events] == ["requested"]
    with database.unit_of_work() as session:
        # In the operators' queue, with both parties; the member follows it too.
        rows, total = IntroductionService(session, ADMIN).search(
            IntroductionFilters(status=IntroductionStatus.requested), PageParams(1, 20)
        )
        assert [r.id for r in rows] == [intro_id] and total == 1
        mine, _ = IntroductionService(session, member).search(
            IntroductionFilters(), PageParams(1, 20)
        )
        assert [r.id for r in mine] == [intro_id]
        # Asking twice is refused while the first is open.
        with pytest.raises(Conflict):
            IntroductionService(session, member).request(
                (PartyKind.achievement, achievement), (PartyKind.demand, demand)
            )
        # A member cannot accept their own request: operators do.
        with pytest.raises(PermissionDenied):
            IntroductionService(session, member).transition(intro_id, IntroductionStatus.proposed)
    with database.unit_of_work() as session:
        accepted = IntroductionService(session, ADMIN).transition(
            intro_id, IntroductionStatus.proposed
        )
        assert accepted.status == IntroductionStatus.proposed
        assert [e.to_status for e in accepted.events] == ["requested", "proposed"]


def test_a_request_needs_exactly_one_side_of_ones_own_and_listings_on_show(
    database: Database, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    member, _ = _member(make_actor, make_org, "嘉兴示例新能源有限公司")
    own = add_listing(database, "demand")
    other_demand = add_listing(database, "demand", organization="湖州示例有限公司", title="别家")
    achievement = add_listing(database, "achievement")
    withdrawn = add_listing(database, "achievement", title="已撤回的成果")
    with database.unit_of_work() as session:
        AchievementService(session, ADMIN).set_state(withdrawn, ListingState.withdrawn)
    with database.unit_of_work() as session:
        service = IntroductionService(session, member)
        with pytest.raises(InvalidInput) as raised:
            service.request((PartyKind.demand, other_demand), (PartyKind.achievement, achievement))
        assert "本机构" in raised.value.message
        with pytest.raises(InvalidInput):
            service.request((PartyKind.demand, own), (PartyKind.achievement, withdrawn))
        with pytest.raises(InvalidInput):
            service.request((PartyKind.demand, own), (PartyKind.lead, 1))
    with database.unit_of_work() as session, pytest.raises(NotAuthenticated):
        IntroductionService(session, ANONYMOUS).request(
            (PartyKind.demand, own), (PartyKind.achievement, achievement)
        )


def test_a_demands_responses_are_the_achievements_their_owners_offered(
    database: Database, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    university, _ = _member(make_actor, make_org, "示例大学")
    enterprise, _ = _member(make_actor, make_org, "嘉兴示例新能源有限公司")
    demand = add_listing(database, "demand")
    first = add_listing(database, "achievement")
    second = add_listing(database, "achievement", title="第二项成果")
    third = add_listing(database, "achievement", title="第三项成果")
    fourth = add_listing(database, "achievement", title="第四项成果")
    with database.unit_of_work() as session:
        assert IntroductionService(session, ANONYMOUS).responses(demand) == 0
        service = IntroductionService(session, university)
        service.request((PartyKind.demand, demand), (PartyKind.achievement, first), "我能解决")
        service.request((PartyKind.achievement, second), (PartyKind.demand, demand))
        # Neither the demand's owner asking for an achievement nor an operator's introduction
        # is a response.
        IntroductionService(session, enterprise).request(
            (PartyKind.demand, demand), (PartyKind.achievement, third)
        )
        IntroductionService(session, ADMIN).create(
            (PartyKind.demand, demand), (PartyKind.achievement, fourth)
        )
        assert IntroductionService(session, ANONYMOUS).responses(demand) == 2


def test_a_member_asks_as_their_organisation_and_for_an_organisation(
    database: Database, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    # 预约考察 of a carrier and 我要洽谈 without a demand: the member's organisation is the side
    # served; a match that is an organisation is asked for too. Both land in the queue.
    member, org_id = _member(make_actor, make_org, "嘉兴示例新能源有限公司")
    carrier = add_listing(database, "carrier")
    other = add_listing(database, "organization", name="湖州示例有限公司", city="湖州")
    own_demand = add_listing(database, "demand")
    with database.unit_of_work() as session:
        service = IntroductionService(session, member)
        visit = service.request(
            (PartyKind.organization, org_id), (PartyKind.carrier, carrier), "预约考察"
        )
        meet = service.request((PartyKind.demand, own_demand), (PartyKind.organization, other))
        assert visit.status == meet.status == IntroductionStatus.requested
        assert visit.city == "songjiang" and visit.note == "预约考察"  # make_org's city
        ids = {visit.id, meet.id}
        # Neither side theirs, or both: refused as before.
        with pytest.raises(InvalidInput):
            service.request((PartyKind.organization, other), (PartyKind.carrier, carrier))
        with pytest.raises(InvalidInput):
            service.request((PartyKind.organization, org_id), (PartyKind.demand, own_demand))
        assert set(service.own_with(PartyKind.carrier, carrier)) == {
            (PartyKind.organization, org_id)
        }
    with database.unit_of_work() as session:
        queue, _ = IntroductionService(session, ADMIN).search(
            IntroductionFilters(status=IntroductionStatus.requested), PageParams(1, 20)
        )
        assert {r.id for r in queue} == ids
        mine, _ = IntroductionService(session, member).search(
            IntroductionFilters(), PageParams(1, 20)
        )
        assert {r.id for r in mine} == ids
