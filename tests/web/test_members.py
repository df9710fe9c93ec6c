"""A member's own area (我的发布, 我的对接) and the requests made from a listing's page
("申请对接" on a match, "我能解决" on a demand), over real HTTP and the test database."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from factorlink.auth.models import Role, User
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
from factorlink.demand.models import Demand
from factorlink.introduction.models import Introduction, IntroductionStatus, PartyKind
from factorlink.introduction.service import IntroductionService
from factorlink.organization.repository import OrganizationRepository
from tests.factories import MakeOrganization
from tests.introduction.builders import ADMIN, add_listing, introduce
from tests.web.conftest import LoginAs, LogInMember, MakeWebUser, csrf_token, post_form

FULL_MOBILE = re.compile(r"(?<![\d*])1[3-9]\d{9}(?!\d)")
DEMAND_ORG = "嘉兴示例新能源有限公司"  # the builders' demand belongs to it
ACHIEVEMENT_ORG = "示例大学"


def test_my_listings_lists_every_kind_and_edits_withdraws_and_closes(
    client: TestClient,
    database: Database,
    log_in_member: LogInMember,
) -> None:
    assert client.get("/my/listings", follow_redirects=False).status_code == 303  # log in first
    log_in_member(client, DEMAND_ORG)
    demand = add_listing(database, "demand")
    add_listing(database, "capital", organization=DEMAND_ORG, name="本公司产业基金")
    add_listing(database, "achievement")  # another organisation's
    page = client.get("/my/listings")
    assert page.status_code == 200
    assert "电池包轻量化散热方案" in page.text and "本公司产业基金" in page.text
    assert "高导热石墨烯" not in page.text

    # The post form, prefilled with what the listing holds; a change is saved.
    form = client.get(f"/my/listings/demand/{demand}/edit")
    assert form.status_code == 200 and 'value="电池包轻量化散热方案"' in form.text
    assert 'value="13812345678"' in form.text  # the owner's own contact
    fields = dict(re.findall(r'name="(\w+)" type="[a-z]+" value="([^"]*)"', form.text))
    fields["title"] = "电池包轻量化散热方案(修订)"
    fields["description"] = "铝制液冷板减重20%以上,寻求复合材料方案。"
    fields["deadline"] = ""  # cleared, not kept
    saved = client.post(
        f"/my/listings/demand/{demand}/edit",
        data={**fields, "csrf_token": csrf_token(form.text)},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    assert client.get(saved.headers["location"]).text.count("(修订)") >= 1

    # Withdrawn: hidden from the public, kept for the owner; shown again; then closed as done.
    moved = post_form(
        client, f"/my/listings/demand/{demand}/state", {"to": "withdrawn"}, page="/my/listings"
    )
    assert moved.status_code == 303
    assert 'data-state="withdrawn"' in client.get("/my/listings").text
    assert TestClient(client.app).get(f"/demands/{demand}").status_code == 404
    assert client.get(f"/demands/{demand}").status_code == 200
    post_form(client, f"/my/listings/demand/{demand}/state", {"to": "active"}, page="/my/listings")
    assert TestClient(client.app).get(f"/demands/{demand}").status_code == 200
    post_form(client, f"/my/listings/demand/{demand}/state", {"to": "closed"}, page="/my/listings")
    assert "已解决" in TestClient(client.app).get(f"/demands/{demand}").text
    refused = post_form(
        client, f"/my/listings/demand/{demand}/state", {"to": "active"}, page="/my/listings"
    )
    assert refused.status_code == 409
    assert "已解决" in refused.text
    with database.unit_of_work() as session:
        assert session.scalars(select(Demand.state)).one() == "closed"


def test_a_member_cannot_touch_another_organisations_listing(
    client: TestClient,
    database: Database,
    make_org: MakeOrganization,
    log_in_member: LogInMember,
) -> None:
    make_org(DEMAND_ORG)
    demand = add_listing(database, "demand")
    log_in_member(client, "湖州某公司", "huzhou")
    assert client.get(f"/my/listings/demand/{demand}/edit").status_code == 403
    moved = post_form(
        client, f"/my/listings/demand/{demand}/state", {"to": "withdrawn"}, page="/my/listings"
    )
    assert moved.status_code == 403
    edit = post_form(
        client, f"/my/listings/demand/{demand}/edit", {"title": "x"}, page="/my/listings"
    )
    assert edit.status_code == 403
    with database.unit_of_work() as session:
        assert session.scalars(select(Demand.state)).one() == "active"


def test_asking_for_an_introduction_from_a_match_lands_in_the_operators_queue(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
    log_in_member: LogInMember,
) -> None:
    log_in_member(client, DEMAND_ORG)
    demand = add_listing(database, "demand", description="寻求石墨烯散热膜导热方案")
    achievement = add_listing(database, "achievement")
    page = client.get(f"/demands/{demand}")
    assert "申请对接" in page.text
    asked = client.post(
        "/my/introductions",
        data={
            "a_kind": "demand",
            "a_id": str(demand),
            "b_kind": "achievement",
            "b_id": str(achievement),
            "back": f"/demands/{demand}#matches",
            "csrf_token": csrf_token(page.text),
        },
        follow_redirects=False,
    )
    assert asked.status_code == 303
    assert asked.headers["location"].startswith(f"/demands/{demand}?requested=")
    again = client.get(asked.headers["location"])
    assert "对接申请已提交" in again.text and "待受理" in again.text
    assert "已有 0 项成果响应" in again.text  # asking for an achievement is no response
    assert "申请对接</button>" not in again.text  # not asked twice
    mine = client.get("/my/introductions").text
    assert "待受理" in mine and "高导热石墨烯复合散热膜制备技术" in mine
    assert not FULL_MOBILE.search(mine)  # not entitled before an operator has contacted them
    with database.unit_of_work() as session:
        intro = session.scalars(select(Introduction)).one()
        assert intro.status == IntroductionStatus.requested
        assert (intro.party_a_kind, intro.party_a_id) == (PartyKind.demand, demand)
        assert (intro.party_b_kind, intro.party_b_id) == (PartyKind.achievement, achievement)

    operator = TestClient(client.app)
    login_as(operator, make_web_user("ops", Role.operator))
    board = operator.get("/workspace/introductions").text
    column = board.split('data-status="requested"')[1].split("</section>")[0]
    assert (
        f"intro-{intro.id}" in column and ">受理</button>" in column and ">婉拒</button>" in column
    )
    # The same request heads the operator's inbox (one queue), linked to its own page.
    inbox = operator.get("/workspace/leads").text.split('id="requests"')[1].split("</section>")[0]
    assert f'href="/workspace/introductions/{intro.id}"' in inbox


def test_i_can_solve_answers_a_demand_with_an_own_achievement(
    client: TestClient,
    database: Database,
    make_org: MakeOrganization,
    log_in_member: LogInMember,
) -> None:
    make_org(DEMAND_ORG)
    demand = add_listing(database, "demand")
    log_in_member(client, ACHIEVEMENT_ORG, "hangzhou")
    ours = add_listing(database, "achievement")
    page = client.get(f"/demands/{demand}")
    assert "我能解决" in page.text and "已有 0 项成果响应" in page.text
    assert f'<option value="{ours}">' in page.text
    answered = client.post(
        "/my/introductions",
        data={
            "a_kind": "demand",
            "a_id": str(demand),
            "b_kind": "achievement",
            "b_id": str(ours),
            "note": "我能解决",
            "back": f"/demands/{demand}#answer",
            "csrf_token": csrf_token(page.text),
        },
        follow_redirects=False,
    )
    assert answered.status_code == 303
    after = client.get(answered.headers["location"]).text
    assert "已有 1 项成果响应" in after and "待受理" in after
    assert f'<option value="{ours}">' not in after  # already offered
    # Everyone sees the count; only members see the form.
    visitor = TestClient(client.app).get(f"/demands/{demand}").text
    assert "已有 1 项成果响应" in visitor and 'name="b_id"' not in visitor


def test_contacts_after_login_as_the_policy_entitles_and_why_not_otherwise(
    client: TestClient,
    database: Database,
    log_in_member: LogInMember,
) -> None:
    log_in_member(client, DEMAND_ORG)
    demand = add_listing(database, "demand")
    achievement = add_listing(database, "achievement", contact_mobile="13955556666")
    visitor = TestClient(client.app).get(f"/achievements/{achievement}").text
    assert "139****6666" in visitor and "登录后" in visitor
    before = client.get(f"/achievements/{achievement}").text
    assert "139****6666" in before
    assert "登录后可查看完整联系方式" not in before and "申请对接" in before  # says why instead
    assert "13812345678" in client.get(f"/demands/{demand}").text  # its own
    march = datetime(2026, 3, 1, tzinfo=UTC)
    introduce(
        database,
        (PartyKind.demand, demand),
        (PartyKind.achievement, achievement),
        [(IntroductionStatus.contacted, march, {})],
        at=march,
    )
    after = client.get(f"/achievements/{achievement}").text
    assert "13955556666" in after and 'id="contact-why"' not in after


def test_the_post_form_starts_with_the_organisations_city_and_contact(
    client: TestClient,
    log_in_member: LogInMember,
) -> None:
    log_in_member(client, DEMAND_ORG)
    form = client.get("/post/demand").text
    assert 'id="f-city" name="city" type="text" value="嘉兴"' in form
    assert 'value="王建国"' in form and 'value="13900001111"' in form
    assert 'value="动力' not in client.get("/post/demand?title=").text


def test_a_member_withdraws_their_own_pending_request_from_my_introductions(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
    log_in_member: LogInMember,
) -> None:
    log_in_member(client, DEMAND_ORG)
    demand = add_listing(database, "demand")
    achievement = add_listing(database, "achievement")
    second = add_listing(database, "achievement", title="第二项成果")
    ids = []
    for b_id in (achievement, second):
        data = {"a_kind": "demand", "a_id": str(demand), "b_kind": "achievement"}
        asked = post_form(client, "/my/introductions", {**data, "b_id": str(b_id)}, page="/my")
        assert asked.status_code == 303
        ids.append(int(asked.headers["location"].rsplit("-", 1)[1]))
    first, other = ids

    # The counterpart's member sees the request but may not withdraw it.
    counterpart = TestClient(client.app)
    with database.unit_of_work() as session:
        university = OrganizationRepository(session).by_name(ACHIEVEMENT_ORG)
        assert university is not None
        university_id = university.id
    login_as(counterpart, make_web_user("university", Role.member, organization_id=university_id))
    theirs = counterpart.get("/my/introductions").text
    assert f"intro-{first}" in theirs and f'action="/my/introductions/{first}/cancel"' not in theirs
    refused = post_form(
        counterpart, f"/my/introductions/{first}/cancel", {}, page="/my/introductions"
    )
    assert refused.status_code == 403

    page = client.get("/my/introductions").text
    assert f'action="/my/introductions/{first}/cancel"' in page and "撤回申请" in page
    cancelled = post_form(client, f"/my/introductions/{first}/cancel", {}, page="/my/introductions")
    assert cancelled.status_code == 303
    after = client.get(cancelled.headers["location"]).text
    assert "申请已撤回" in after and f'action="/my/introductions/{first}/cancel"' not in after
    with database.unit_of_work() as session:
        intro = session.get(Introduction, first)
        assert intro is not None and intro.status == IntroductionStatus.closed
        assert intro.close_reason is not None and "撤回申请" in intro.close_reason

    # Once an operator has accepted a request, it is theirs to close.
    with database.unit_of_work() as session:
        IntroductionService(session, ADMIN).transition(other, IntroductionStatus.proposed)
    late = post_form(client, f"/my/introductions/{other}/cancel", {}, page="/my/introductions")
    assert late.status_code == 409


def _queue(client: TestClient, login_as: LoginAs, make_web_user: MakeWebUser) -> str:
    """The operators' queue of requests (the head of their inbox)."""
    operator = TestClient(client.app)
    login_as(operator, make_web_user("ops", Role.operator))
    return operator.get("/workspace/leads").text.split('id="requests"')[1].split("</section>")[0]


def test_a_site_visit_and_talks_land_in_the_queue_as_the_members_organisation(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
    log_in_member: LogInMember,
) -> None:
    # 预约考察 on a carrier and 我要洽谈 on an achievement by a member with no demand of their
    # own: a request of their organisation, not a lead, waiting in the operators' queue with
    # both parties and followed on 我的对接.
    carrier = add_listing(database, "carrier")
    achievement = add_listing(database, "achievement")
    assert "/leads/new?" in TestClient(client.app).get(f"/carriers/{carrier}").text  # visitors
    org_id = log_in_member(client, "湖州示例智造有限公司", "huzhou").organization_id
    page = client.get(f"/carriers/{carrier}").text
    assert "/leads/new?" not in page and 'name="purpose" value="预约考察"' in page
    assert f'name="a" value="organization:{org_id}"' in page
    visit = post_form(
        client,
        "/my/introductions",
        {
            "a": f"organization:{org_id}",
            "b_kind": "carrier",
            "b_id": str(carrier),
            "purpose": "预约考察",
            "note": "下周二上午,3人,需2000㎡",
            "back": f"/carriers/{carrier}#approach",
        },
        page=f"/carriers/{carrier}",
    )
    assert visit.status_code == 303
    assert visit.headers["location"].startswith(f"/carriers/{carrier}?requested=")
    after = client.get(visit.headers["location"]).text
    assert "待受理" in after and 'name="purpose"' not in after  # its state, not asked twice

    page = client.get(f"/achievements/{achievement}").text
    assert 'name="purpose" value="我要洽谈"' in page and "/leads/new?" not in page
    talk = post_form(
        client,
        "/my/introductions",
        {
            "a": f"organization:{org_id}",
            "b_kind": "achievement",
            "b_id": str(achievement),
            "purpose": "我要洽谈",
            "back": f"/achievements/{achievement}#approach",
        },
        page=f"/achievements/{achievement}",
    )
    assert talk.status_code == 303
    with database.unit_of_work() as session:
        intros = session.scalars(select(Introduction).order_by(Introduction.id)).all()
        assert [(i.party_a_kind, i.party_a_id) for i in intros] == [
            (PartyKind.organization, org_id)
        ] * 2
        assert [(i.party_b_kind, i.party_b_id) for i in intros] == [
            (PartyKind.carrier, carrier),
            (PartyKind.achievement, achievement),
        ]
        assert [i.note for i in intros] == ["预约考察:下周二上午,3人,需2000㎡", "我要洽谈"]
        assert {i.status for i in intros} == {IntroductionStatus.requested}
        ids = [i.id for i in intros]
    mine = client.get("/my/introductions").text
    for id_ in ids:
        assert f'id="intro-{id_}" data-status="requested"' in mine
    assert "松江综保区标准厂房3号楼" in mine and "预约考察:下周二上午" in mine
    client.get("/lang/en")  # the purpose in English, the words typed as typed
    assert "<dd>Book a visit: 下周二上午,3人,需2000㎡</dd>" in client.get("/my/introductions").text
    client.get("/lang/zh")
    queue = _queue(client, login_as, make_web_user)
    for id_ in ids:
        assert f'href="/workspace/introductions/{id_}"' in queue
    assert "预约考察:下周二上午" in queue  # what was asked for, for the operator
    operator = TestClient(client.app)
    login_as(operator, make_web_user("ops-en", Role.operator))
    operator.get("/lang/en")
    assert "Book a visit: 下周二上午" in operator.get("/workspace/leads").text


def test_every_other_kind_offers_an_introduction_and_an_organisation_match_is_asked_for(
    client: TestClient,
    database: Database,
    log_in_member: LogInMember,
) -> None:
    # Capital and an organisation's page offer 申请对接 to a member (with their own listings of
    # the matching kinds to choose from); on the member's own organisation page, the matched
    # carriers and capital can be asked for (an organisation was no requestable side before).
    org_id = log_in_member(client, ACHIEVEMENT_ORG, "hangzhou").organization_id
    own = add_listing(database, "achievement")
    fund = add_listing(database, "capital", industries="新材料、人工智能")
    carrier = add_listing(database, "carrier")
    page = client.get(f"/capital/{fund}").text
    assert 'name="purpose" value="申请对接"' in page
    assert f'value="organization:{org_id}"' in page and f'value="achievement:{own}"' in page
    asked = post_form(
        client,
        "/my/introductions",
        {"a": f"achievement:{own}", "b_kind": "capital", "b_id": str(fund), "purpose": "申请对接"},
        page=f"/capital/{fund}",
    )
    assert asked.status_code == 303
    assert f'value="achievement:{own}"' not in client.get(f"/capital/{fund}").text

    panel = client.get(f"/organizations/{org_id}?target=carrier").text.split('id="matches"')[1]
    assert f'data-kind="carrier" data-id="{carrier}"' in panel
    card = panel.split(f'data-kind="carrier" data-id="{carrier}"')[1].split("result match")[0]
    assert "申请对接</button>" in card
    asked = post_form(
        client,
        "/my/introductions",
        {
            "a_kind": "organization",
            "a_id": str(org_id),
            "b_kind": "carrier",
            "b_id": str(carrier),
            "back": f"/organizations/{org_id}?target=carrier#matches",
        },
        page=f"/organizations/{org_id}",
    )
    assert asked.status_code == 303
    again = client.get(asked.headers["location"]).text.split('id="matches"')[1]
    card = again.split(f'data-kind="carrier" data-id="{carrier}"')[1].split("result match")[0]
    assert "待受理" in card and "申请对接</button>" not in card
    with database.unit_of_work() as session:
        assert (
            session.scalars(select(Introduction.status)).all() == [IntroductionStatus.requested] * 2
        )


def test_my_introductions_dates_a_request_on_the_corridors_day(
    client: TestClient,
    database: Database,
    log_in_member: LogInMember,
) -> None:
    org_id = log_in_member(client, DEMAND_ORG).organization_id
    demand = add_listing(database, "demand")
    achievement = add_listing(database, "achievement")
    with database.unit_of_work() as session:
        user = session.scalars(select(User).where(User.organization_id == org_id)).one()
        member = Viewer(user_id=user.id, role=Role.member, organization_id=org_id)
        late = datetime(2026, 3, 1, 17, 5, tzinfo=UTC)  # 01:05 on 2 March in Beijing
        IntroductionService(session, member).request(
            (PartyKind.demand, demand), (PartyKind.achievement, achievement), at=late
        )
    page = client.get("/my/introductions").text
    assert "<dd>2026-03-02</dd>" in page and "2026-03-01" not in page


DERIVED = re.compile(r"\b[A-Z]{3}-[0-9A-F]{12}\b")


def test_derived_codes_are_left_to_operators(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
    log_in_member: LogInMember,
) -> None:
    # Issue 14: ORG-6576269F9176 / CAR-… in the match panel and in 我的发布 said nothing.
    log_in_member(client, DEMAND_ORG)
    demand = add_listing(database, "demand", description="寻求石墨烯散热膜导热方案")
    achievement = add_listing(database, "achievement")
    named = add_listing(database, "achievement", title="石墨烯导热膜", code="HZ-ACH-2026-01")
    with database.unit_of_work() as session:
        derived = session.get(Demand, demand)
        assert derived is not None and DERIVED.fullmatch(derived.code)
    mine = client.get("/my/listings").text.split("<main")[1]
    assert "电池包轻量化散热方案" in mine and not DERIVED.search(mine)
    panel = client.get(f"/demands/{demand}").text.split('id="matches"')[1]
    assert f'data-id="{achievement}"' in panel and f'data-id="{named}"' in panel
    assert not DERIVED.search(panel) and "HZ-ACH-2026-01" in panel  # a code of its own stays
    assert not DERIVED.search(client.get(f"/my/listings/demand/{demand}/edit").text)
    operator = TestClient(client.app)
    login_as(operator, make_web_user("ops", Role.operator))
    staff_panel = operator.get(f"/demands/{demand}").text.split('id="matches"')[1]
    assert DERIVED.search(staff_panel)  # operators look rows up by code
