"""Auction pages: the sessions, a session's lots, and the live lot page with its bid form.

The lot page is rendered with the lot as the viewer sees it; static/js/auction.js then follows
its event stream (GET /api/v1/lots/{id}/events) and posts bids to the API with an
Idempotency-Key, so the page updates within a second of anyone's bid.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import RedirectResponse, Response

from factorlink.api.deps import DbSession, get_database
from factorlink.auction import units
from factorlink.auction.live import clock_of
from factorlink.auction.presenter import (
    present_bid,
    present_bidder,
    present_lot,
    present_session,
)
from factorlink.auction.service import AuctionService
from factorlink.errors import FactorLinkError
from factorlink.kit.ids import IdPath
from factorlink.kit.pagination import PageParams
from factorlink.web.context import Web
from factorlink.web.forms import CheckedForm
from factorlink.web.i18n import register
from factorlink.web.render import render

router = APIRouter()
HISTORY = 10  # bids shown on the lot page, newest first


@router.get("/auctions")
def sessions(web: Web, session: DbSession) -> Response:
    """The auction sessions (拍卖会), newest first."""
    service = AuctionService(session, web.viewer, clock_of(web.request))
    rows, _ = service.list_sessions(PageParams(page=1, page_size=50))
    counts = service.lot_counts(rows)
    items = [present_session(r, counts.get(r.id, 0)) for r in rows]
    return render(web, "auction/index.html", sessions=items)


@router.get("/auctions/{id}")
def session_page(web: Web, id: IdPath, session: DbSession) -> Response:
    """A session: its lots and the viewer's registration."""
    service = AuctionService(session, web.viewer, clock_of(web.request))
    view = service.session_view(id)
    return render(
        web,
        "auction/session.html",
        auction=present_session(view.auction, len(view.lots)),
        lots=[present_lot(v, staff=web.viewer.is_staff) for v in view.lots],
        registration=present_bidder(view.registration) if view.registration else None,
        error=web.request.query_params.get("error"),
    )


@router.post("/auctions/{id}/register")
def register_page(web: Web, id: IdPath, form: CheckedForm) -> Response:
    """Registers the viewer to bid; an operator approves once the deposit is confirmed."""
    try:
        web.attempt(lambda s, viewer: AuctionService(s, viewer).register(id))
    except FactorLinkError as exc:
        return RedirectResponse(f"/auctions/{id}?error={exc.code}", status_code=303)
    return RedirectResponse(f"/auctions/{id}", status_code=303)


@router.get("/lots/{id}")
def lot_page(web: Web, id: IdPath) -> Response:
    """A lot, live: price, leader, countdown, extensions, own status, bids and the bid form."""
    database, clock = get_database(web.request), clock_of(web.request)
    lot = units.read_lot(database, web.viewer, id, clock)
    with database.unit_of_work() as session:
        view, rows = AuctionService(session, web.viewer, clock).bids(id)
        own = view.bidder.id if view.bidder else None
        bids = [present_bid(b, own) for b in rows[:HISTORY]]
    return render(web, "auction/lot.html", lot=lot, lot_json=lot.model_dump_json(), bids=bids)


register(
    {
        "拍卖会": "Auctions",
        "科技成果拍卖会": "Technology auctions",
        "暂无拍卖会": "No auction sessions yet",
        "开始": "Starts",
        "结束": "Ends",
        "拍品": "Lots",
        "件拍品": "lots",
        "草稿": "Draft",
        "进行中": "Open",
        "已结束": "Closed",
        "即将开始": "Upcoming",
        "结算中": "Closing",
        "起拍价": "Starting price",
        "当前价": "Current price",
        "成交价": "Hammer price",
        "领先": "Leading",
        "领先者": "Leader",
        "出价次数": "Bids",
        "延时": "Extensions",
        "剩余时间": "Time left",
        "结束时间": "Ends at",
        "我的状态": "My status",
        "我的最高出价": "My maximum",
        "领先中": "You lead",
        "已被超越": "Outbid",
        "已竞得": "You won",
        "未竞得": "Not won",
        "尚未出价": "No bid yet",
        "出价(万元)": "Bid (10k CNY)",
        "最低可出": "Minimum",
        "加价幅度": "Increment",
        "出价": "Bid",
        "最高出价(万元),系统代您按最小幅度加价": (
            "Your maximum (10k CNY); the system bids for you in minimum steps"
        ),
        "报名竞买": "Register to bid",
        "报名待审核(保证金确认后可出价)": (
            "Registration pending (bids open once the deposit is confirmed)"
        ),
        "已获准竞买": "Approved to bid",
        "报名未通过": "Registration rejected",
        "登录并报名后可出价": "Log in and register to bid",
        "保证金": "Deposit",
        "万元": "10k CNY",
        "溢价": "Premium",
        "流拍": "Unsold",
        "竞得人": "Winner",
        "挂牌(首个报价即成交)": "Single offer (the first bid buys)",
        "出价成功": "Bid accepted",
        "网络中断,正在重试": "Connection lost, retrying",
        "实时": "Live",
        "出价记录": "Bids",
        "暂无出价": "No bids yet",
        "我": "me",
        "报名失败": "Registration failed",
    }
)
