"""HTTP endpoints of the auctions: sessions and bidders (/auctions), lots and bids (/lots)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Header, Request, Response
from sse_starlette import EventSourceResponse

from factorlink.api.deps import (
    CurrentViewer,
    DbSession,
    Paging,
    StaffViewer,
    UserViewer,
    bearer_token,
    get_database,
)
from factorlink.api.schemas import PROBLEM_RESPONSES
from factorlink.auction import units
from factorlink.auction.bidding import BidRequest
from factorlink.auction.live import (
    broadcaster_of,
    clock_of,
    desk_of,
    lot_events,
    public_views_of,
)
from factorlink.auction.money import to_yuan
from factorlink.auction.presenter import (
    present_audit,
    present_bid,
    present_bidder,
    present_lot,
    present_session,
)
from factorlink.auction.schemas import (
    ApprovalIn,
    AuditOut,
    BidderOut,
    BidIn,
    BidOut,
    BidReceiptOut,
    LotIn,
    LotOut,
    SessionDetailOut,
    SessionIn,
    SessionOut,
)
from factorlink.auction.service import AuctionService
from factorlink.auth.viewer import Viewer
from factorlink.kit.ids import IdPath
from factorlink.kit.pagination import Page

sessions = APIRouter(prefix="/auctions", tags=["auctions"])
lots = APIRouter(prefix="/lots", tags=["auctions"])
router = APIRouter()

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=100,
        pattern=r"^[\x21-\x7e]+$",
        description="A key of your choice per bid (e.g. a UUID); a retry with it is answered "
        "as the first time and never bids twice.",
    ),
]


def _service(session: DbSession, viewer: Viewer, request: Request) -> AuctionService:
    return AuctionService(session, viewer, clock_of(request))


def _detail(service: AuctionService, session_id: int) -> SessionDetailOut:
    view = service.session_view(session_id)
    return SessionDetailOut(
        **present_session(view.auction, len(view.lots)),
        lots=[present_lot(v, staff=service.viewer.is_staff) for v in view.lots],
        registration=present_bidder(view.registration) if view.registration else None,
    )


@sessions.post("", response_model=SessionDetailOut, status_code=201, summary="新建拍卖会")
def create_session(
    body: SessionIn, session: DbSession, viewer: StaffViewer, request: Request
) -> Any:
    """Creates a draft auction session (schedule, increment bands, anti-sniping minutes)."""
    service = _service(session, viewer, request)
    return _detail(service, service.create_session(body).id)


@sessions.get("", response_model=Page[SessionOut], summary="拍卖会列表")
def list_sessions(
    session: DbSession, viewer: CurrentViewer, paging: Paging, request: Request
) -> Any:
    """Open and closed sessions (staff also see drafts), newest first."""
    service = _service(session, viewer, request)
    rows, total = service.list_sessions(paging)
    counts = service.lot_counts(rows)
    items = [present_session(r, counts.get(r.id, 0)) for r in rows]
    return {"items": items, "total": total, "page": paging.page, "page_size": paging.page_size}


@sessions.get("/{id}", response_model=SessionDetailOut, summary="拍卖会详情")
def get_session(id: IdPath, session: DbSession, viewer: CurrentViewer, request: Request) -> Any:
    """A session with its lots and the viewer's own registration."""
    return _detail(_service(session, viewer, request), id)


@sessions.post("/{id}/lots", response_model=LotOut, status_code=201, summary="添加拍品")
def add_lot(
    id: IdPath, body: LotIn, session: DbSession, viewer: StaffViewer, request: Request
) -> Any:
    """Adds an achievement as a lot of a draft session."""
    service = _service(session, viewer, request)
    lot = service.add_lot(id, body)
    return present_lot(service.lot_view(lot.id), staff=True)


@sessions.post("/{id}/open", response_model=SessionDetailOut, summary="开放拍卖会")
def open_session(id: IdPath, session: DbSession, viewer: StaffViewer, request: Request) -> Any:
    """Opens a draft session to registrations and bids."""
    service = _service(session, viewer, request)
    service.open_session(id)
    return _detail(service, id)


@sessions.post("/{id}/close", response_model=SessionDetailOut, summary="结束到期拍品")
def close_session(id: IdPath, viewer: StaffViewer, request: Request) -> Any:
    """Closes every lot of the session whose end has passed (sold lots are settled), and the
    session once none of its lots is open."""
    database, clock = get_database(request), clock_of(request)
    with database.unit_of_work() as session:
        lot_ids = AuctionService(session, viewer, clock).due_lot_ids(id)  # the viewer runs it
    for lot_id in lot_ids:
        if units.close_lot_if_due(database, lot_id, clock, viewer.user_id):
            broadcaster_of(request).publish(lot_id)
    if units.close_session_when_done(database, id):  # a session its last lot left open
        for lot_id in lot_ids:
            broadcaster_of(request).publish(lot_id)
    with database.unit_of_work() as session:
        return _detail(AuctionService(session, viewer, clock), id)


@sessions.post("/{id}/bidders", response_model=BidderOut, status_code=201, summary="报名竞买")
def register(id: IdPath, session: DbSession, viewer: UserViewer, request: Request) -> Any:
    """Registers the viewer (for their organisation); bids wait for an operator's approval."""
    return present_bidder(_service(session, viewer, request).register(id))


@sessions.get("/{id}/bidders", response_model=list[BidderOut], summary="竞买人列表")
def bidders(id: IdPath, session: DbSession, viewer: StaffViewer, request: Request) -> Any:
    """Every registration of the session (staff)."""
    return [present_bidder(b) for b in _service(session, viewer, request).registrations(id)]


@sessions.post("/{id}/bidders/{bidder_id}/approval", response_model=BidderOut, summary="审核竞买人")
def decide(
    id: IdPath,
    bidder_id: IdPath,
    body: ApprovalIn,
    session: DbSession,
    viewer: StaffViewer,
    request: Request,
) -> Any:
    """Approves a registration once the deposit is confirmed, or rejects it."""
    return present_bidder(_service(session, viewer, request).decide(id, bidder_id, body))


@lots.get("/{id}", response_model=LotOut, summary="拍品详情")
def get_lot(id: IdPath, request: Request) -> Any:
    """A lot as the viewer may see it: price, leader (竞买人 A…), end, own status."""
    database = get_database(request)
    viewer = units.resolve_viewer(database, bearer_token(request))
    return units.read_lot(database, viewer, id, clock_of(request))


async def place_bid(id: IdPath, body: BidIn, key: IdempotencyKey, request: Request) -> Response:
    """Bids a maximum (proxy bid), timed when received; answered once the bid is committed."""
    received_at = clock_of(request)()
    amount = to_yuan(body.amount_wan, "amount_wan")
    bid = BidRequest(bearer_token(request), id, amount, key, received_at)
    answer = await desk_of(request).place(bid)
    if answer.refusal is not None:
        raise answer.refusal
    # The receipt was serialised where it was made (BidReceiptOut, checked there), off the loop.
    assert answer.receipt is not None
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else None
    return Response(answer.body, 201, headers, media_type="application/json")


def install_bids(app: FastAPI, prefix: str) -> None:
    """Adds POST {prefix}/lots/{id}/bids to the app itself, before its other routes: the
    busiest request is matched first and directly, not through the nested routers (FastAPI
    matches each level of an included router again, which cost more than deciding the bid)."""
    app.add_api_route(
        f"{prefix}{lots.prefix}/{{id}}/bids",
        place_bid,
        methods=["POST"],
        response_model=BidReceiptOut,
        status_code=201,
        summary="出价",
        tags=["auctions"],
        responses=PROBLEM_RESPONSES,
    )
    app.router.routes.insert(0, app.router.routes.pop())


@lots.get("/{id}/bids", response_model=list[BidOut], summary="出价记录")
def list_bids(id: IdPath, session: DbSession, viewer: CurrentViewer, request: Request) -> Any:
    """Accepted bids, newest first: anonymised bidder, the price it made, the time (UTC)."""
    view, rows = _service(session, viewer, request).bids(id)
    own = view.bidder.id if view.bidder else None
    return [present_bid(b, own) for b in rows]


@lots.get("/{id}/audit", response_model=list[AuditOut], summary="审计日志")
def audit(id: IdPath, session: DbSession, viewer: StaffViewer, request: Request) -> Any:
    """Every bid attempt on the lot, accepted or refused with its reason, in UTC (staff)."""
    return [present_audit(e) for e in _service(session, viewer, request).audit(id)]


@lots.get("/{id}/events", summary="拍品实时动态 (Server-Sent Events)")
def events(id: IdPath, request: Request) -> EventSourceResponse:
    """`lot` events carrying the lot (as GET /lots/{id}) now and whenever it changes."""
    database, clock = get_database(request), clock_of(request)
    viewer = units.resolve_viewer(database, bearer_token(request))
    units.read_lot(database, viewer, id, clock)  # a 404 before the stream starts

    public = public_views_of(request)

    def render(stored: object) -> LotOut:
        # Everyone sees the same lot but for their own standing: read once per change.
        return public.render(id, stored, clock, viewer)

    feed = lot_events(
        broadcaster_of(request),
        id,
        probe=lambda: public.probe(id),
        render=render,
        clock=clock,
        kept_probe=lambda: public.kept_probe(id),
        kept_render=lambda stored: public.kept_render(id, stored, clock, viewer),
    )
    return EventSourceResponse(feed, ping=15)


router.include_router(sessions)
router.include_router(lots)
