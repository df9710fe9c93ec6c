"""Events over HTTP: the whole journey through /api/v1/events, scope and errors."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar
import pytest
from fastapi.testclient import TestClient

from factorlink.api.app import create_app
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.introduction.models import Introduction
from tests.event.builders import World, world
from tests.factories import Actor, MakeActor

URL = "/api/v1/events"


def event_json(**changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC).replace(microsecond=0)
    body = {
        "title": "G60新材料要素对接会",
        "city": "松江",
        "venue": "松江区科技园会议中心",
        "slot_minutes": 20,
        "registration_opens_at": (now - timedelta(days=1)).isoformat(),
        "registration_closes_at": (now + timedelta(days=1)).isoformat(),
        "tables": 2,
        "blocks": [
            {
                # Under way already, so its meetings can be marked.
                "starts_at": (now - timedelta(hours=2)).isoformat(),
                "ends_at": now.isoformat(),
            }
        ],
    }
    body.update(changes)
    return body


@pytest.fixture
def cast(database: Database, make_actor: MakeActor) -> tuple[World, Actor, Actor, Actor]:
    w = world(database)
    organiser = make_actor("operator", city_scope=["songjiang"])
    return (
        w,
        organiser,
        make_actor("member", organization_id=w.org_a),
        make_actor("member", organization_id=w.org_b),
    )


def test_only_operators_create_events_and_in_their_cities(
    client: TestClient, cast: tuple[World, Actor, Actor, Actor], make_actor: MakeActor
) -> None:
    _, organiser, a, _ = cast
    assert client.post(URL, json=event_json()).status_code == 401
    assert client.post(URL, json=event_json(), headers=a.headers).status_code == 403
    other = make_actor("operator", city_scope=["hangzhou"])
    assert client.post(URL, json=event_json(), headers=other.headers).status_code == 403
    bad = client.post(URL, json=event_json(blocks=[]), headers=organiser.headers)
    assert bad.status_code == 422
    response = client.post(URL, json=event_json(published=False), headers=organiser.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kind_label"] == "要素对接会" and body["city_name"] == "上海松江"
    assert [t["number"] for t in body["tables"]] == [1, 2]
    assert body["blocks"][0]["slots"] == [0, 1, 2, 3, 4, 5]
    assert body["registration_open"] and not body["published"]
    # Unpublished: visitors do not see it; its organiser does.
    assert client.get(f"{URL}/{body['id']}").status_code == 404
    assert client.get(URL).json()["total"] == 0
    assert client.get(f"{URL}/{body['id']}", headers=organiser.headers).status_code == 200
    published = client.post(f"{URL}/{body['id']}/publish", headers=organiser.headers)
    assert published.json()["published"]
    assert client.get(URL).json()["items"][0]["id"] == body["id"]


def test_the_journey_from_registration_to_an_introduction(
    client: TestClient, database: Database, cast: tuple[World, Actor, Actor, Actor]
) -> None:
    w, organiser, a, b = cast
    event = client.post(URL, json=event_json(), headers=organiser.headers).json()["id"]
    ra = client.post(
        f"{URL}/{event}/participants",
        json={
            "role": "enterprise",
            "listings": [f"demand:{w.demand}"],
            "contact_mobile": "13811112222",
        },
        headers=a.headers,
    )
    assert ra.status_code == 201, ra.text
    assert ra.json()["guest_link"] is None and ra.json()["contact"]["mobile"] == "13811112222"
    rb = client.post(
        f"{URL}/{event}/participants",
        json={"role": "institute", "listings": [f"achievement:{w.achievement}"]},
        headers=b.headers,
    )
    pa, pb = ra.json()["id"], rb.json()["id"]
    # Someone else's listing is refused, naming the field.
    refused = client.patch(
        f"{URL}/{event}/me", json={"listings": [f"achievement:{w.achievement}"]}, headers=a.headers
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "listings"

    suggestions = client.get(f"{URL}/{event}/suggestions", headers=a.headers).json()
    assert suggestions[0]["participant"]["id"] == pb
    assert "石墨烯" in suggestions[0]["reasons"][0]["terms"]
    assert suggestions[0]["participant"]["contact"]["masked"]

    sent = client.post(
        f"{URL}/{event}/requests",
        json={
            "recipient_id": pb,
            "message": "希望面谈中试合作",
            "sender_listing": suggestions[0]["sender_listing"],
            "recipient_listing": suggestions[0]["recipient_listing"],
        },
        headers=a.headers,
    )
    assert sent.status_code == 201, sent.text
    request = sent.json()
    assert request["status"] == "waiting" and request["allowed"] == ["cancel"]
    inbox = client.get(f"{URL}/{event}/requests", headers=b.headers).json()
    assert inbox[0]["allowed"] == ["accept", "decline"]
    seen = inbox[0]["sender"]["contact"]
    assert seen["masked"] and seen["mobile"] == "138****2222"
    accepted = client.post(
        f"{URL}/{event}/requests/{request['id']}",
        json={"action": "accept", "message": "欢迎"},
        headers=b.headers,
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted" and accepted.json()["reply"] == "欢迎"
    assert accepted.json()["sender"]["contact"]["mobile"] == "13811112222"  # agreed: in full

    assert client.post(f"{URL}/{event}/schedule", headers=a.headers).status_code == 403
    done = client.post(f"{URL}/{event}/schedule?wait=true&time_limit=2", headers=organiser.headers)
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "done" and done.json()["meetings"] == 1
    assert done.json()["progress"]["meetings"] == 1

    grid = client.get(f"{URL}/{event}/meetings", headers=organiser.headers).json()
    assert len(grid) == 1 and grid[0]["status"] == "scheduled"
    agenda = client.get(f"{URL}/{event}/agenda", headers=b.headers).json()
    assert agenda[0]["id"] == grid[0]["id"] and agenda[0]["table_number"] in (1, 2)

    ics = client.get(f"{URL}/{event}/agenda.ics", headers=a.headers)
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "attachment" in ics.headers["content-disposition"]
    (vevent,) = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    start = vevent.decoded("dtstart")
    assert isinstance(start, datetime) and str(start.tzinfo) == "Asia/Shanghai"

    checked = client.post(f"{URL}/{event}/participants/{pa}/check-in", headers=organiser.headers)
    assert checked.json()["checked_in_at"] is not None

    meeting = grid[0]["id"]
    for actor in (a, b):
        marked = client.post(
            f"{URL}/{event}/meetings/{meeting}/outcome",
            json={"held": True, "interested": True, "next_step": "安排中试"},
            headers=actor.headers,
        )
        assert marked.status_code == 200, marked.text
    intro_id = marked.json()["introduction_id"]
    assert intro_id is not None and marked.json()["status"] == "held"
    with database.unit_of_work() as s:
        assert s.get(Introduction, intro_id) is not None
    stats = client.get(f"{URL}/{event}/stats", headers=organiser.headers).json()
    assert (stats["meetings"], stats["held"], stats["introductions"]) == (1, 1, 1)


def test_guests_use_their_private_key(
    client: TestClient, cast: tuple[World, Actor, Actor, Actor]
) -> None:
    _, organiser, a, _ = cast
    event = client.post(URL, json=event_json(), headers=organiser.headers).json()["id"]
    guest = client.post(
        f"{URL}/{event}/participants",
        json={
            "role": "investor",
            "guest": True,
            "consent": True,
            "contact_name": "赵磊",
            "contact_mobile": "139 1234 0000",
            "organization_name": "长三角示例创投",
        },
    )
    assert guest.status_code == 201, guest.text
    link = guest.json()["guest_link"]
    assert link.startswith("/events/guest/")
    key = link.rsplit("/", 1)[1]
    me = client.get(f"{URL}/{event}/me", headers={"X-Event-Key": key})
    assert me.status_code == 200 and me.json()["contact"]["mobile"] == "13912340000"
    assert client.get(f"{URL}/{event}/me", headers={"X-Event-Key": "nope"}).status_code == 404
    assert client.get(f"{URL}/{event}/me").status_code == 401
    client.post(f"{URL}/{event}/participants", json={"role": "enterprise"}, headers=a.headers)
    everyone = client.get(f"{URL}/{event}/participants", headers={"X-Event-Key": key}).json()
    assert {p["organization_name"] for p in everyone} == {
        "长三角示例创投",
        "嘉兴示例新能源有限公司",
    }
    staff = client.get(f"{URL}/{event}/participants", headers=organiser.headers).json()
    assert all(not p["contact"]["masked"] for p in staff)


def test_the_schedule_button_runs_in_the_background_with_progress(
    client: TestClient, cast: tuple[World, Actor, Actor, Actor]
) -> None:
    _, organiser, a, b = cast
    event = client.post(
        URL, json=event_json(request_mode="opt_out"), headers=organiser.headers
    ).json()["id"]
    client.post(f"{URL}/{event}/participants", json={"role": "enterprise"}, headers=a.headers)
    pb = client.post(
        f"{URL}/{event}/participants", json={"role": "institute"}, headers=b.headers
    ).json()["id"]
    assert (
        client.post(f"{URL}/{event}/requests", json={"recipient_id": pb}, headers=a.headers).json()[
            "status"
        ]
        == "accepted"
    )
    started = client.post(f"{URL}/{event}/schedule?time_limit=1", headers=organiser.headers)
    assert started.status_code == 202
    assert started.json()["state"] in ("running", "done")
    deadline = time.monotonic() + 60
    state = started.json()
    while state["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.2)
        state = client.get(f"{URL}/{event}/schedule", headers=organiser.headers).json()
    assert state["state"] == "done" and state["meetings"] == 1
    assert state["progress"]["stage"] == "done" and state["finished_at"] is not None


def test_the_organiser_imports_participants_from_a_spreadsheet(
    client: TestClient, cast: tuple[World, Actor, Actor, Actor]
) -> None:
    _, organiser, a, _ = cast
    event = client.post(URL, json=event_json(), headers=organiser.headers).json()["id"]
    good = (
        "单位名称,姓名,手机号,身份,固定桌号,同意\n长三角示例创投,赵磊,13912340000,投资机构,1,是\n"
    )
    files = {"file": ("名单.csv", good.encode("utf-8"), "text/csv")}
    assert (
        client.post(
            f"{URL}/{event}/participants/import", files=files, headers=a.headers
        ).status_code
        == 403
    )
    done = client.post(f"{URL}/{event}/participants/import", files=files, headers=organiser.headers)
    assert done.status_code == 201, done.text
    (row,) = done.json()
    assert row["organization_name"] == "长三角示例创投" and row["table_number"] == 1
    bad = "单位名称,姓名,身份,同意\n某公司,张三,企业,否\n"
    refused = client.post(
        f"{URL}/{event}/participants/import",
        files={"file": ("名单.csv", bad.encode("utf-8"), "text/csv")},
        headers=organiser.headers,
    )
    assert refused.status_code == 422
    (error,) = refused.json()["errors"]
    assert (error["row"], error["column"]) == (2, "同意")


def test_guest_registrations_count_against_the_public_forms_limit(
    settings: Settings, database: Database, make_actor: MakeActor
) -> None:
    organiser = make_actor("admin")
    limited = settings.model_copy(update={"lead_rate_limit": 1})
    with TestClient(create_app(limited, database)) as client:
        event = client.post(URL, json=event_json(), headers=organiser.headers).json()["id"]
        guest = {
            "role": "investor",
            "guest": True,
            "consent": True,
            "contact_name": "赵磊",
            "organization_name": "长三角示例创投",
        }
        url = f"{URL}/{event}/participants"
        refused = client.post(url, json=guest)  # no mobile: refused, and not counted
        assert refused.status_code == 422
        assert client.post(url, json={**guest, "contact_mobile": "13912340000"}).status_code == 201
        again = client.post(url, json={**guest, "contact_mobile": "13912340001"})
        assert again.status_code == 429 and "Retry-After" in again.headers
        # A logged-in user registering for their organisation is not a public form.
        member = {"role": "enterprise", "organization_name": "主办方"}
        assert client.post(url, json=member, headers=organiser.headers).status_code == 201
