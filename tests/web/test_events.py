"""Event pages over HTTP: the organiser's form, registration (member and guest), suggestions,
requests, the schedule button with its progress, agenda and .ics, check-in and outcomes."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import icalendar
from fastapi.testclient import TestClient

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
from factorlink.event.models import EventParticipant
from factorlink.event.schemas import BlockIn
from factorlink.introduction.models import Introduction
from tests.event.builders import make_event, world
from tests.web.conftest import LoginAs, MakeWebUser, csrf_token

NOW = datetime.now(UTC).replace(microsecond=0)


def _event(database: Database) -> int:
    """An event whose registration is open and whose one block began an hour ago (so its
    meetings can be marked)."""
    block = BlockIn(starts_at=NOW - timedelta(hours=1), ends_at=NOW)
    return make_event(database, Viewer(user_id=0, role=Role.admin), now=NOW, blocks=[block])


def test_an_operator_creates_an_event_from_the_form(
    client: TestClient, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    login_as(client, make_web_user("songjiang-op", city_scope=["songjiang"]))
    page = client.get("/events/new")
    assert page.status_code == 200 and "新建对接会" in page.text
    form = {
        "csrf_token": csrf_token(page.text),
        "title": "松江新材料对接会",
        "kind": "matchmaking",
        "venue": "松江区科技园",
        "day": "2027-04-10",
        "slot_minutes": "20",
        "block1_start": "09:30",
        "block1_end": "11:30",
        "block2_start": "14:00",
        "block2_end": "15:00",
        "tables": "6",
        "request_mode": "opt_in",
        "opens": "2027-03-01T09:00",
        "closes": "2027-04-09T18:00",
    }
    bad = client.post("/events/new", data={**form, "block1_end": "09:00"})
    assert bad.status_code == 422 and "短于" in bad.text and 'value="松江新材料对接会"' in bad.text
    created = client.post("/events/new", data=form, follow_redirects=False)
    assert created.status_code == 303, created.text
    manage = client.get(created.headers["location"])
    assert "对接会已创建" in manage.text and "开始排期" in manage.text
    listed = client.get("/events")
    assert "松江新材料对接会" in listed.text and "上海松江" in listed.text
    public = client.get(created.headers["location"].replace("/manage?created=1", ""))
    assert "09:30–11:30" in public.text and "6 × 20" in public.text


def test_members_and_organiser_walk_the_journey(
    client: TestClient, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    w = world(database)
    event = _event(database)
    a = make_web_user("member-a", Role.member, organization_id=w.org_a, display_name="陈工")
    b = make_web_user("member-b", Role.member, organization_id=w.org_b, display_name="李教授")
    organiser = make_web_user("op", Role.operator, city_scope=["songjiang"])

    def register(user_role: str) -> None:
        page = client.get(f"/events/{event}")
        assert "报名参会" in page.text
        response = client.post(
            f"/events/{event}/register",
            data={
                "csrf_token": csrf_token(page.text),
                "role": user_role,
                "listings": re.findall(r'name="listings" value="([a-z]+:\d+)"', page.text),
            },
            follow_redirects=False,
        )
        assert response.status_code == 303 and response.headers["location"].endswith(
            "/me?registered=1"
        )

    login_as(client, a)
    register("enterprise")
    login_as(client, b)
    register("institute")
    login_as(client, a)
    home = client.get(f"/events/{event}/me")
    assert "推荐会面" in home.text and "示例大学" in home.text and "石墨烯" in home.text
    with database.unit_of_work() as s:
        pb = s.query(EventParticipant).filter_by(user_id=b.id).one().id
    sent = client.post(
        f"/events/{event}/me/requests",
        data={"csrf_token": csrf_token(home.text), "recipient_id": str(pb), "message": "想面谈"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    again = client.post(
        f"/events/{event}/me/requests",
        data={"csrf_token": csrf_token(home.text), "recipient_id": str(pb)},
    )
    assert again.status_code == 409 and "已有进行中的约见" in again.text

    login_as(client, b)
    home = client.get(f"/events/{event}/me")
    assert "想面谈" in home.text and 'value="accept"' in home.text
    request_id = re.search(r'id="accept-(\d+)"', home.text).group(1)  # type: ignore[union-attr]
    accepted = client.post(
        f"/events/{event}/me/requests/{request_id}",
        data={"csrf_token": csrf_token(home.text), "action": "accept", "message": "欢迎"},
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    assert client.get(f"/events/{event}/manage").status_code == 403  # a member is no organiser

    login_as(client, organiser)
    manage = client.get(f"/events/{event}/manage")
    started = client.post(
        f"/events/{event}/manage/schedule",
        data={"csrf_token": csrf_token(manage.text)},
        follow_redirects=False,
    )
    assert started.status_code == 303
    deadline = time.monotonic() + 60
    while True:
        manage = client.get(f"/events/{event}/manage")
        state = re.search(r'data-state="(\w+)"', manage.text).group(1)  # type: ignore[union-attr]
        if state != "running" or time.monotonic() > deadline:
            break
        assert 'http-equiv="refresh"' in manage.text  # the page follows the run by itself
        time.sleep(0.2)
    assert state == "done" and "1 场会面" in manage.text
    grid = client.get(f"/events/{event}/grid")
    assert "嘉兴示例新能源有限公司 × 示例大学" in grid.text
    cards = client.get(f"/events/{event}/cards")
    assert "号桌" in cards.text and "嘉兴示例新能源有限公司 × 示例大学" in cards.text
    for participant in re.findall(r'id="check-in-(\d+)"', manage.text):
        client.post(
            f"/events/{event}/manage/check-in/{participant}",
            data={"csrf_token": csrf_token(manage.text)},
        )
    assert client.get(f"/events/{event}/manage").text.count('state state-signed">已签到') == 2

    for user in (a, b):
        login_as(client, user)
        home = client.get(f"/events/{event}/me")
        assert "我的日程" in home.text and "号桌" in home.text
        ics = client.get(f"/events/{event}/me/agenda.ics")
        assert ics.headers["content-type"].startswith("text/calendar")
        (vevent,) = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
        assert "会面" in str(vevent["summary"])
        assert "打印" in home.text and client.get(f"/events/{event}/me/agenda").status_code == 200
        meeting = re.search(r'id="outcome-(\d+)"', home.text).group(1)  # type: ignore[union-attr]
        marked = client.post(
            f"/events/{event}/me/meetings/{meeting}/outcome",
            data={
                "csrf_token": csrf_token(home.text),
                "held": "yes",
                "interested": "yes",
                "next_step": "寄样",
            },
            follow_redirects=False,
        )
        assert marked.status_code == 303
    assert "已形成对接" in client.get(f"/events/{event}/me").text
    with database.unit_of_work() as s:
        assert s.query(Introduction).count() == 1
    login_as(client, organiser)
    stats = client.get(f"/events/{event}/manage").text
    assert re.search(r'id="stat-introductions">1<', stats)


def test_a_guest_registers_with_consent_and_gets_a_private_link(
    client: TestClient, database: Database
) -> None:
    event = _event(database)
    page = client.get(f"/events/{event}")
    assert "我同意主办方" in page.text and "以嘉宾身份报名" not in page.text
    fields = {
        "csrf_token": csrf_token(page.text),
        "role": "investor",
        "contact_name": "赵磊",
        "contact_mobile": "13912340000",
        "organization_name": "长三角示例创投",
    }
    refused = client.post(f"/events/{event}/register", data=fields)
    assert refused.status_code == 422 and "请勾选同意" in refused.text
    assert 'value="长三角示例创投"' in refused.text  # what was typed comes back
    done = client.post(
        f"/events/{event}/register", data={**fields, "consent": "yes"}, follow_redirects=False
    )
    assert done.status_code == 303
    link = done.headers["location"]
    assert link.startswith("/events/guest/") and "13912340000" not in link
    home = client.get(link)
    assert "请保存本页链接" in home.text and "13912340000" in home.text
    assert home.headers["referrer-policy"] == "no-referrer"
    assert client.get("/events/guest/not-a-key").status_code == 404


def test_visitors_are_sent_to_log_in_for_member_pages(
    client: TestClient, database: Database
) -> None:
    event = _event(database)
    response = client.get(f"/events/{event}/me", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert client.get(f"/events/{event}/manage", follow_redirects=False).status_code in (303, 401)
    assert client.get("/events/999").status_code == 404
    nav = client.get("/events").text
    assert 'href="/events" aria-current="page"' in nav


def test_the_organiser_imports_participants_on_the_page(
    client: TestClient, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> None:
    event = _event(database)
    login_as(client, make_web_user("op", Role.operator, city_scope=["songjiang"]))
    page = client.get(f"/events/{event}/manage")
    assert "导入参会人" in page.text
    token = csrf_token(page.text)
    bad = "单位名称,姓名,身份,同意\n某公司,张三,学生,是\n".encode()
    refused = client.post(
        f"/events/{event}/manage/import",
        data={"csrf_token": token},
        files={"file": ("名单.csv", bad, "text/csv")},
    )
    assert refused.status_code == 422 and "第2行“身份”" in refused.text
    good = "单位名称,姓名,身份,同意\n某公司,张三,企业,是\n".encode()
    done = client.post(
        f"/events/{event}/manage/import",
        data={"csrf_token": token},
        files={"file": ("名单.csv", good, "text/csv")},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "某公司" in client.get(done.headers["location"]).text
