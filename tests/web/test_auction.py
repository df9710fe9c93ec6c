"""Auction pages: the session list and lot page, registering by form, and two browsers bidding
live against each other on a real server."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from factorlink.auction.clock import system_clock
from factorlink.auction.schemas import ApprovalIn, BandIn, LotIn, SessionIn
from factorlink.auction.service import AuctionService
from factorlink.auth.models import Role, User
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
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
        data={"csrf_token": csrf_token(page)},
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
    expect(first.locator("#bid-message")).to_have_text("出价成功")
    started = time.monotonic()
    expect(second.locator("#price")).to_have_text("200", timeout=1000)
    assert time.monotonic() - started < 1.0
    expect(second.locator("#leader")).to_have_text("竞买人 A")
    expect(first.locator("#my-status")).to_have_text("领先中")

    second.locator("#amount").fill("300")
    second.get_by_role("button", name="出价", exact=True).click()
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
