"""Auction pages: the session list and lot page, registering by form, and two browsers bidding
live against each other on a real server."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy.orm import Session

from factorlink.achievement.models import Achievement
from factorlink.auction import units
from factorlink.auction.clock import system_clock
from factorlink.auction.schemas import ApprovalIn, BandIn, LotIn, SessionIn
from factorlink.auction.service import AuctionService
from factorlink.auth.models import AuthToken, Role, TokenKind, User
from factorlink.auth.tokens import digest, new_token
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
from factorlink.reference import get_region
from factorlink.web.english import install
from factorlink.web.i18n import LANG_COOKIE, translate
from factorlink.web.render import TEMPLATES
from tests.auction.crowd import counting, crowd
from tests.factories import Actor, MakeActor, MakeOrganization
from tests.introduction.builders import add_listing
from tests.web.browser import DESKTOP, PHONE, LiveServer
from tests.web.conftest import LoginAs, MakeWebUser, browser_login, csrf_token, shoot

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ADMIN = Viewer(user_id=0, role=Role.admin)


def open_lot(database: Database, *, reserve_wan: float | None = None) -> tuple[int, int]:
    """An open session with one lot (200万, 10万 steps); returns (session id, lot id)."""
    achievement = add_listing(database, "achievement")
    now = datetime.now(UTC)
    with database.unit_of_work() as session:
        service = AuctionService(session, ADMIN)
        auction = service.create_session(
            SessionIn(
                title="G60科拍会2027春季场",
                starts_at=now - timedelta(minutes=1),
                ends_at=now + timedelta(hours=1),
                bands=[BandIn(from_wan=0, step_wan=10)],
                deposit_wan=20,
            )
        )
        lot = service.add_lot(
            auction.id,
            LotIn(achievement_id=achievement, start_price_wan=200, reserve_price_wan=reserve_wan),
        )
        service.open_session(auction.id)
        return auction.id, lot.id


def approve(database: Database, session_id: int, user: User) -> None:
    with database.unit_of_work() as session:
        member = Viewer(user_id=user.id, role=Role.member, organization_id=user.organization_id)
        bidder = AuctionService(session, member).register(session_id)
        AuctionService(session, ADMIN).decide(session_id, bidder.id, ApprovalIn())


def test_member_registers_by_form_and_sees_the_lot(
    client: TestClient,
    database: Database,
    make_org: MakeOrganization,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
) -> None:
    session_id, lot_id = open_lot(database, reserve_wan=280)
    assert "G60科拍会2027春季场" in client.get("/auctions").text
    member = make_web_user("bidder1", Role.member, organization_id=make_org().id)
    login_as(client, member)
    page = client.get(f"/auctions/{session_id}").text
    registered = client.post(
        f"/auctions/{session_id}/register",
        data={"csrf_token": csrf_token(page), "accept_terms": "yes"},
        follow_redirects=False,
    )
    assert registered.status_code == 303
    assert 'data-status="pending"' in client.get(f"/auctions/{session_id}").text
    lot = client.get(f"/lots/{lot_id}")
    assert lot.status_code == 200
    assert "报名待审核" in lot.text and 'id="bid-form"' not in lot.text
    assert "280" not in lot.text  # the reserve stays hidden
    forged = client.post(f"/auctions/{session_id}/register", data={}, follow_redirects=False)
    assert forged.status_code == 403
    assert client.get("/lots/424242").status_code == 404


def test_session_pages_take_as_many_statements_for_20_lots_as_for_5(
    client: TestClient, database: Database, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    bidder = make_actor(Role.member, organization_id=make_org().id)

    def cookie(actor: Actor) -> dict[str, str]:
        token = actor.headers["Authorization"].removeprefix("Bearer ")
        return {"Cookie": f"factorlink_session={token}"}

    viewers = {"anonymous": {}, "bidder": cookie(bidder), "operator": cookie(make_actor("admin"))}

    def statements(path: str, headers: dict[str, str]) -> int:
        with counting(database.engine) as seen:
            page = client.get(path, headers=headers)
        assert page.status_code == 200, page.text
        return len(seen)

    small = crowd(database, system_clock, 5, bidder)
    listed_one = {v: statements("/auctions", h) for v, h in viewers.items()}
    large = crowd(database, system_clock, 20, bidder)
    listed_two = {v: statements("/auctions", h) for v, h in viewers.items()}
    assert listed_one == listed_two  # and as many for two sessions as for one
    for viewer, headers in viewers.items():
        five = statements(f"/auctions/{small}", headers)
        twenty = statements(f"/auctions/{large}", headers)
        assert five == twenty, f"{viewer}: {five} statements for 5 lots, {twenty} for 20"
    page = client.get(f"/auctions/{large}", headers=viewers["bidder"]).text
    assert page.count('href="/lots/') == 20 and 'data-status="approved"' in page


@pytest.fixture
def two_bidders(
    chromium: Browser, live_server: LiveServer
) -> Iterator[tuple[BrowserContext, BrowserContext]]:
    """A desktop and a phone, each its own browser profile."""
    desk = chromium.new_context(viewport=DESKTOP, base_url=live_server.url, locale="zh-CN")
    phone = chromium.new_context(
        viewport=PHONE, base_url=live_server.url, locale="zh-CN", is_mobile=True, has_touch=True
    )
    yield desk, phone
    desk.close()
    phone.close()


@pytest.mark.browser
def test_two_browsers_see_each_others_bids_within_a_second(
    two_bidders: tuple[BrowserContext, BrowserContext],
    database: Database,
    make_org: MakeOrganization,
    make_web_user: MakeWebUser,
) -> None:
    from playwright.sync_api import expect

    session_id, lot_id = open_lot(database)
    users = [
        make_web_user(name, Role.member, organization_id=make_org().id) for name in ("甲", "乙")
    ]
    pages: list[Page] = []
    for context, user in zip(two_bidders, users, strict=True):
        approve(database, session_id, user)
        page = context.new_page()
        browser_login(page, user)
        page.goto(f"/lots/{lot_id}")
        expect(page.locator("#countdown")).to_have_text(re.compile(r"^00:5\d:\d\d$"))
        pages.append(page)
    first, second = pages

    first.locator("#amount").fill("250")
    first.get_by_role("button", name="出价", exact=True).click()
    first.get_by_role("button", name="确认出价").click()
    expect(first.locator("#bid-message")).to_have_text("出价成功")
    started = time.monotonic()
    expect(second.locator("#price")).to_have_text("200", timeout=1000)
    assert time.monotonic() - started < 1.0
    expect(second.locator("#leader")).to_have_text("竞买人 A")
    expect(first.locator("#my-status")).to_have_text("领先中")

    second.locator("#amount").fill("300")
    second.get_by_role("button", name="出价", exact=True).click()
    second.get_by_role("button", name="确认出价").click()
    started = time.monotonic()
    expect(first.locator("#price")).to_have_text("260", timeout=1000)  # 250 + 10, proxy bid
    expect(first.locator("#leader")).to_have_text("竞买人 B", timeout=1000)
    expect(first.locator("#my-status")).to_have_text("已被超越", timeout=1000)
    assert time.monotonic() - started < 1.0
    expect(second.locator("#my-status")).to_have_text("领先中")
    expect(first.locator("#bids li")).to_have_count(2)
    expect(first.locator("#bids li").first).to_contain_text("竞买人 B")
    width = second.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the lot page fits a phone"
    shoot(second, "auction-lot-phone")
    shoot(first, "auction-lot-desktop")


# The operators' screens and each state of the lot page (issue 15)

T0 = datetime(2027, 3, 1, 1, 0, tzinfo=UTC)  # 09:00 北京时间
ANNOUNCEMENT = "受芜湖市科技局委托,定于2027年3月1日网络拍卖高导热散热膜技术。"
RULES = "竞买人须为依法设立的企业;成交后10个工作日内签署成交确认书。"
DEPOSIT = "保证金汇入:芜湖G60科创服务有限公司,开户行工商银行芜湖分行。"


@dataclass
class Clock:
    """The app's auction clock, moved by hand."""

    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(client: TestClient) -> Clock:
    clock = Clock()
    cast(FastAPI, client.app).state.auction_clock = clock
    return clock


def wuhu() -> str:
    match = get_region().resolve("芜湖")
    assert match is not None
    return match.city.code


def achievement_code(database: Database, achievement_id: int) -> str:
    with database.unit_of_work() as session:
        found = session.get(Achievement, achievement_id)
        assert found is not None
        return found.code


def post_form(client: TestClient, page: str, path: str, **data: str) -> Response:
    return client.post(
        path, data={"csrf_token": csrf_token(client.get(page).text), **data}, follow_redirects=False
    )


def text_of(html: str) -> str:
    """A page's visible text, tags dropped, for reading as a user would."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def operator_session(
    client: TestClient, database: Database, make_web_user: MakeWebUser, login_as: LoginAs
) -> tuple[int, int, User]:
    """An operator of 芜湖 creates a session in the web and adds a lot; (session, lot, user)."""
    achievement = add_listing(
        database,
        "achievement",
        city="芜湖",
        ip_forms="发明专利、软件著作权",
        abstract="面内导热系数≥1500 W/(m·K),已完成中试,联系13900001111。",
    )
    operator = make_web_user("wuhu-op", Role.operator, city_scope=[wuhu()])
    login_as(client, operator)
    created = post_form(
        client,
        "/auctions/new",
        "/auctions/new",
        title="芜湖科技成果拍卖会",
        starts_at="2027-03-01T09:00",
        ends_at="2027-03-01T11:00",
        extension_minutes="5",
        deposit_wan="20",
        bands="0:10",
        announcement=ANNOUNCEMENT,
        rules=RULES,
        deposit_instructions=DEPOSIT,
    )
    assert created.status_code == 303, created.text
    session_id = int(created.headers["location"].split("/")[2].split("?")[0])
    code = achievement_code(database, achievement)
    added = post_form(
        client,
        f"/auctions/{session_id}",
        f"/auctions/{session_id}/lots",
        achievement_code=code,
        start_price_wan="200",
        appraised_price_wan="260",
        reserve_price_wan="210",
    )
    assert added.status_code == 303, added.text
    with database.unit_of_work() as session:
        lot_id = AuctionService(session, ADMIN).session_view(session_id).lots[0].lot.id
    return session_id, lot_id, operator


def test_navigation_names_the_auctions(client: TestClient) -> None:
    page = client.get("/").text
    assert '<a href="/auctions">拍卖会</a>' in page


def test_an_operator_creates_a_session_in_beijing_time_and_adds_a_lot(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
    clock: Clock,
) -> None:
    session_id, lot_id, _ = operator_session(client, database, make_web_user, login_as)
    with database.unit_of_work() as session:
        auction = AuctionService(session, ADMIN).get_session(session_id)
        # Typed as 09:00 Beijing time, kept as 01:00 UTC.
        assert auction.starts_at == datetime(2027, 3, 1, 1, 0, tzinfo=UTC)
        assert auction.city == wuhu() and auction.rules == RULES
    page = client.get(f"/auctions/{session_id}")
    shown = text_of(page.text)
    assert "2027-03-01 09:00 北京时间" in shown and "UTC" not in shown
    assert ANNOUNCEMENT in shown and DEPOSIT in shown
    assert "添加拍品" in shown and "开放拍卖会" in shown  # a draft's operator screen
    # The lot form offers the achievements of the session's city not yet offered in it.
    here = achievement_code(
        database, add_listing(database, "achievement", city="芜湖", title="芜湖另一成果")
    )
    elsewhere = achievement_code(
        database, add_listing(database, "achievement", city="杭州", title="杭州的成果")
    )
    offered = re.findall(
        r'<option value="([^"]+)" label=', client.get(f"/auctions/{session_id}").text
    )
    with database.unit_of_work() as session:
        lot_code = AuctionService(session, ADMIN).lot_view(lot_id).lot.achievement_code
    assert here in offered and elsewhere not in offered and lot_code not in offered
    # A code that names nothing is refused on the field, with what was typed kept.
    refused = post_form(
        client,
        f"/auctions/{session_id}",
        f"/auctions/{session_id}/lots",
        achievement_code="ACH-NOPE",
        start_price_wan="100",
    )
    assert refused.status_code == 422
    assert 'id="err-achievement_code"' in refused.text and "该成果不存在" in refused.text
    assert 'value="ACH-NOPE"' in refused.text
    bad_time = post_form(
        client,
        "/auctions/new",
        "/auctions/new",
        title="时间写错",
        starts_at="2027-03-01T11:00",
        ends_at="2027-03-01T09:00",
    )
    assert bad_time.status_code == 422 and "结束时间须晚于开始时间" in bad_time.text
    opened = post_form(client, f"/auctions/{session_id}", f"/auctions/{session_id}/open")
    assert opened.status_code == 303
    now_open = client.get(f"/auctions/{session_id}?done=opened").text
    assert "拍卖会已开放报名和竞价" in now_open and "发布结果" in now_open
    assert "添加拍品" not in now_open
    assert client.get(f"/lots/{lot_id}").status_code == 200


def test_operators_of_other_cities_cannot_run_the_session(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
    clock: Clock,
) -> None:
    session_id, _, _ = operator_session(client, database, make_web_user, login_as)
    songjiang = get_region().resolve("松江")
    assert songjiang is not None
    other = make_web_user("songjiang-op", Role.operator, city_scope=[songjiang.city.code])
    client.cookies.clear()
    login_as(client, other)
    page = client.get(f"/auctions/{session_id}").text
    assert "开放拍卖会" not in page and "添加拍品" not in page  # sees, does not run
    opened = post_form(client, f"/auctions/{session_id}", f"/auctions/{session_id}/open")
    assert opened.status_code == 403
    # Nor make one in a city outside their scope.
    new = client.get("/auctions/new").text
    assert 'value="' + wuhu() + '"' not in new
    refused = post_form(
        client,
        "/auctions/new",
        "/auctions/new",
        title="越权",
        city=wuhu(),
        starts_at="2027-03-01T09:00",
        ends_at="2027-03-01T11:00",
    )
    assert refused.status_code == 403
    member = make_web_user("member-x", Role.member)
    client.cookies.clear()
    login_as(client, member)
    assert client.get("/auctions/new").status_code == 403


def register_by_form(
    client: TestClient, database: Database, session_id: int, user: User, login_as: LoginAs
) -> Response:
    client.cookies.clear()
    login_as(client, user)
    return post_form(
        client,
        f"/auctions/{session_id}",
        f"/auctions/{session_id}/register",
        accept_terms="yes",
    )


def test_registration_shows_the_terms_and_the_operator_approves_with_the_deposit(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    make_org: MakeOrganization,
    login_as: LoginAs,
    clock: Clock,
) -> None:
    session_id, _, operator = operator_session(client, database, make_web_user, login_as)
    post_form(client, f"/auctions/{session_id}", f"/auctions/{session_id}/open")
    org = make_org("芜湖示例电子有限公司")
    member = make_web_user("bidder-a", Role.member, organization_id=org.id)
    client.cookies.clear()
    login_as(client, member)
    page = client.get(f"/auctions/{session_id}").text
    shown = text_of(page)
    assert RULES in shown and DEPOSIT in shown and "保证金 20 万元" in shown
    assert 'name="accept_terms"' in page and "我已阅读并同意竞买公告和竞买须知" in shown
    unticked = post_form(client, f"/auctions/{session_id}", f"/auctions/{session_id}/register")
    assert unticked.status_code == 422 and "请先阅读并勾选同意竞买须知" in unticked.text
    assert register_by_form(client, database, session_id, member, login_as).status_code == 303
    assert "报名已提交" in client.get(f"/auctions/{session_id}?done=registered").text

    client.cookies.clear()
    login_as(client, operator)
    page = client.get(f"/auctions/{session_id}").text
    shown = text_of(page)
    assert "芜湖示例电子有限公司" in shown and "待审核" in shown and "同意竞买须知" in shown
    with database.unit_of_work() as session:
        bidder = AuctionService(session, ADMIN).registrations(session_id)[0]
        assert bidder.terms_accepted_at == T0
    decided = post_form(
        client,
        f"/auctions/{session_id}",
        f"/auctions/{session_id}/bidders/{bidder.id}",
        decision="approve",
        deposit_wan="20",
        note="流水号 2027030100042",
    )
    assert decided.status_code == 303
    page = client.get(f"/auctions/{session_id}?done=approved").text
    assert "已批准竞买" in page and 'data-status="approved"' in page
    assert "流水号 2027030100042" in page
    with database.unit_of_work() as session:
        bidder = AuctionService(session, ADMIN).registrations(session_id)[0]
        assert bidder.status == "approved" and bidder.deposit_yuan == 200_000
    client.cookies.clear()
    login_as(client, member)
    page = client.get(f"/auctions/{session_id}").text
    assert "已获准竞买" in page and "流水号" not in page  # the operator's note stays theirs


def approved_bidders(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    make_org: MakeOrganization,
    login_as: LoginAs,
) -> tuple[int, int, User, list[User]]:
    """An open session of the operator's, with two approved bidders."""
    session_id, lot_id, operator = operator_session(client, database, make_web_user, login_as)
    post_form(client, f"/auctions/{session_id}", f"/auctions/{session_id}/open")
    users = [
        make_web_user(name, Role.member, organization_id=make_org(org).id)
        for name, org in (("bidder-a", "甲科技有限公司"), ("bidder-b", "乙科技有限公司"))
    ]
    for user in users:
        register_by_form(client, database, session_id, user, login_as)
    with database.unit_of_work() as session:
        service = AuctionService(session, ADMIN)
        for bidder in service.registrations(session_id):
            service.decide(session_id, bidder.id, ApprovalIn(deposit_wan=20))
    return session_id, lot_id, operator, users


def test_the_lot_page_before_the_first_bid(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    make_org: MakeOrganization,
    login_as: LoginAs,
    clock: Clock,
) -> None:
    _, lot_id, _, _ = approved_bidders(client, database, make_web_user, make_org, login_as)
    client.cookies.clear()
    page = client.get(f"/lots/{lot_id}").text
    shown = text_of(page)
    assert 'id="price-label">起拍价<' in page and 'id="price">200<' in page
    assert "当前价 —" not in shown
    assert re.search(r'href="/achievements/\d+" id="achievement-link"', page)
    assert "发明专利、软件著作权" in shown  # the IP
    assert "139****1111" in shown and "13900001111" not in shown  # the abstract, masked
    assert "评估价 260 万元" in shown and "加价幅度 10 万元" in shown
    assert "结束前5分钟内出价改变价格或领先者的,结束时间延至该出价后5分钟" in shown
    assert re.search(r'id="registered">2<', page)  # both registrations
    assert ANNOUNCEMENT in shown and RULES in shown
    assert "2027-03-01 11:00:00 北京时间" in shown and "UTC" not in shown
    assert "210" not in shown  # the reserve stays hidden
    assert 'id="won" hidden' in page
    anonymous = client.post(f"/lots/{lot_id}/bid", data={"amount_wan": "300"})
    assert anonymous.status_code == 401  # refused unread: bids are for logged-in bidders
    client.cookies.set(LANG_COOKIE, "en")
    english = text_of(client.get(f"/lots/{lot_id}").text)
    assert "2027-03-01 11:00:00 Beijing time" in english and "Starting price" in english


def test_a_bid_without_javascript_is_confirmed_first_and_warned_above_twice_the_price(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    make_org: MakeOrganization,
    login_as: LoginAs,
    clock: Clock,
) -> None:
    _, lot_id, _, users = approved_bidders(client, database, make_web_user, make_org, login_as)
    client.cookies.clear()
    login_as(client, users[0])
    lot = client.get(f"/lots/{lot_id}").text
    assert f'action="/lots/{lot_id}/bid"' in lot  # the form works without JavaScript
    confirm = post_form(client, f"/lots/{lot_id}", f"/lots/{lot_id}/bid", amount_wan="3100")
    assert confirm.status_code == 200
    shown = text_of(confirm.text)
    assert "3100 万元" in shown and "31,000,000 元" in shown and "起拍价 200 万元" in shown
    assert "注意:出价超过当前价的2倍" in shown
    with database.unit_of_work() as session:
        assert AuctionService(session, ADMIN).bids(lot_id)[1] == []  # nothing bid yet
    modest = post_form(client, f"/lots/{lot_id}", f"/lots/{lot_id}/bid", amount_wan="310")
    assert "注意:出价超过当前价的2倍" not in modest.text and "3,100,000" in modest.text
    key = re.search(r'name="key" value="([0-9a-f]{32})"', modest.text)
    assert key is not None
    token = csrf_token(modest.text)
    form = {"csrf_token": token, "amount_wan": "310", "key": key[1]}
    placed = client.post(f"/lots/{lot_id}/bid/confirm", data=form, follow_redirects=False)
    assert placed.status_code == 303 and placed.headers["location"] == f"/lots/{lot_id}?placed=1"
    again = client.post(f"/lots/{lot_id}/bid/confirm", data=form, follow_redirects=False)
    assert again.status_code == 303  # the same confirmation resent: the same bid, not two
    with database.unit_of_work() as session:
        assert len(AuctionService(session, ADMIN).bids(lot_id)[1]) == 1
    page = client.get(f"/lots/{lot_id}?placed=1").text
    assert "出价已受理" in page and 'id="price-label">当前价<' in page
    low = post_form(client, f"/lots/{lot_id}", f"/lots/{lot_id}/bid", amount_wan="-1")
    assert low.status_code == 422


def test_a_closed_lot_names_the_price_and_buyer_and_tells_the_winner_what_is_next(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    make_org: MakeOrganization,
    login_as: LoginAs,
    clock: Clock,
) -> None:
    session_id, lot_id, operator, (first, second) = approved_bidders(
        client, database, make_web_user, make_org, login_as
    )
    database_bid(database, first, lot_id, 250, clock)
    database_bid(database, second, lot_id, 300, clock)
    clock.now = T0 + timedelta(hours=3)  # past the end
    client.cookies.clear()
    login_as(client, second)
    page = client.get(f"/lots/{lot_id}?placed=1").text
    shown = text_of(page)
    assert 'data-status="closed"' in page  # the live dot goes with it (CSS)
    assert "成交价 260 万元 · 买受人 竞买人 B" in shown
    assert 'id="price-label">成交价<' in page and 'id="leader-label">买受人<' in page
    assert "当前价" not in shown and ">领先者<" not in page
    assert "出价已受理" not in shown  # no stale message on a closed lot
    assert 'id="bid-form"' not in page
    assert 'id="won" hidden' not in page and "签署成交确认书" in shown
    client.cookies.clear()
    login_as(client, first)
    page = client.get(f"/lots/{lot_id}").text
    assert 'id="lost-sold" hidden' not in page and 'id="won" hidden' in page
    assert "未竞得" in page
    client.cookies.clear()
    assert 'id="won" hidden' in client.get(f"/lots/{lot_id}").text  # visitors: no next steps

    login_as(client, operator)
    published = post_form(client, f"/auctions/{session_id}", f"/auctions/{session_id}/publish")
    assert published.status_code == 303
    client.cookies.clear()
    page = client.get(f"/auctions/{session_id}").text
    shown = text_of(page)
    assert "结果公告" in shown and "发布于 2027-03-01 12:00 北京时间" in shown
    assert "成交价 260 万元" in shown and "乙科技有限公司" not in shown  # visitors: the label


def test_an_unsold_lot_says_so_and_results_wait_for_every_lot(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    make_org: MakeOrganization,
    login_as: LoginAs,
    clock: Clock,
) -> None:
    session_id, lot_id, operator, (first, _) = approved_bidders(
        client, database, make_web_user, make_org, login_as
    )
    database_bid(database, first, lot_id, 205, clock)  # below the reserve of 210
    client.cookies.clear()
    login_as(client, operator)
    assert re.search(
        r'button primary" disabled>发布结果<', client.get(f"/auctions/{session_id}").text
    )
    early = post_form(client, f"/auctions/{session_id}", f"/auctions/{session_id}/publish")
    assert early.status_code == 409 and "尚有拍品未结束" in early.text
    clock.now = T0 + timedelta(hours=3)
    assert (
        post_form(client, f"/auctions/{session_id}", f"/auctions/{session_id}/publish").status_code
        == 303
    )
    client.cookies.clear()
    login_as(client, first)
    page = client.get(f"/lots/{lot_id}").text
    shown = text_of(page)
    assert "流拍" in shown and 'id="price-label">最高出价<' in page
    assert 'id="lost-unsold" hidden' not in page


def issue_token(session: Session, user: User) -> str:
    """An API token of the user's, for bidding as they would through the API."""
    token = new_token()
    session.add(AuthToken(digest=digest(token), user_id=user.id, kind=TokenKind.api, name="t"))
    return token


def database_bid(database: Database, user: User, lot_id: int, wan: float, clock: Clock) -> None:
    """A bid through the locked bid path, as the API places it."""
    with database.unit_of_work() as session:
        token = issue_token(session, user)
    answer = units.place_bid(
        database, token, lot_id, int(wan * 10_000), f"k-{user.id}-{wan}", clock
    )
    assert answer.refusal is None, answer.refusal


def test_every_text_of_the_auction_pages_has_its_english() -> None:
    install()
    texts: set[str] = set()
    for path in (TEMPLATES / "auction").glob("*.html"):
        source = path.read_text(encoding="utf-8")
        for tag in re.findall(r"\{\{.*?\}\}|\{%.*?%\}", source, flags=re.S):
            texts |= set(re.findall(r"""["']([^"']*[\u4e00-\u9fff][^"']*)["']""", tag))
    assert len(texts) > 50
    assert sorted(t for t in texts if translate(t, "en") == t) == []


def test_a_lot_closed_without_a_bid_shows_no_price(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
    clock: Clock,
) -> None:
    session_id, lot_id, _ = operator_session(client, database, make_web_user, login_as)
    post_form(client, f"/auctions/{session_id}", f"/auctions/{session_id}/open")
    clock.now = T0 + timedelta(hours=3)
    client.cookies.clear()
    page = client.get(f"/lots/{lot_id}").text
    assert 'id="price">—<' in page and 'id="price-label">最高出价<' in page
    assert "流拍" in text_of(page) and 'id="lost-unsold" hidden' in page  # visitors: no note
