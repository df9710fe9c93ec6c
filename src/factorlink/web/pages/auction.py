"""Auction pages: the sessions, a session's lots, and the live lot page with its bid form; and
the operators' screens — a new session, its lots, opening it, approving bidders with their
deposits and publishing the results (结果公告).

Every time is shown in Beijing time (the `beijing` filter); operators type Beijing time too.
The lot page is rendered with the lot as the viewer sees it; static/js/auction.js then follows
its event stream (GET /api/v1/lots/{id}/events), asks the bidder to confirm each bid (the
amount in 万元 and in 元, a warning above twice the current price) and posts it to the API with
an Idempotency-Key. Without JavaScript the bid form posts here: a confirmation page, then the
bid, keyed by the confirmation page so a resent form never bids twice.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from factorlink.api.cookies import SESSION_COOKIE
from factorlink.api.deps import DbSession, get_database
from factorlink.api.limits import needs_login
from factorlink.auction import units
from factorlink.auction.live import broadcaster_of, clock_of
from factorlink.auction.models import SessionStatus
from factorlink.auction.money import to_yuan, wan_text
from factorlink.auction.presenter import (
    present_bid,
    present_bidder,
    present_lot,
    present_session,
)
from factorlink.auction.schemas import ApprovalIn, BandIn, BidIn, LotIn, LotOut, SessionIn
from factorlink.auction.service import AuctionService
from factorlink.auth import access
from factorlink.errors import FactorLinkError, InvalidInput, PermissionDenied
from factorlink.kit.ids import IdPath
from factorlink.kit.pagination import PageParams
from factorlink.kit.timezones import BEIJING
from factorlink.privacy.masking import mask_mobiles_in
from factorlink.reference import get_region
from factorlink.web.context import Web, WebRequest
from factorlink.web.forms import CheckedForm, FieldErrors, field_errors, parse_model, text_fields
from factorlink.web.i18n import register
from factorlink.web.render import render

router = APIRouter()
HISTORY = 10  # bids shown on the lot page, newest first
# A bid more than this many times the current price asks to be looked at again.
WARN_FACTOR = 2
SESSION_FIELDS = (
    "title",
    "city",
    "starts_at",
    "ends_at",
    "extension_minutes",
    "deposit_wan",
    "bands",
    "announcement",
    "rules",
    "deposit_instructions",
)
LOT_FIELDS = (
    "achievement_code",
    "start_price_wan",
    "reserve_price_wan",
    "appraised_price_wan",
    "deposit_wan",
    "opens_at",
    "closes_at",
)
KEY = re.compile(r"^[0-9a-f]{32}$")


# Reading forms: Beijing time in, UTC out


def beijing_input(text: str | None) -> str | None:
    """A time typed in a datetime-local field (Beijing time) as ISO 8601 in UTC; anything else
    is passed on as typed, for the schema to refuse by name."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return text
    if value.tzinfo is None:
        value = value.replace(tzinfo=BEIJING)
    return value.astimezone(UTC).isoformat()


def beijing_field(value: datetime | None) -> str:
    """A stored time as a datetime-local field shows it (Beijing time)."""
    return value.astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M") if value else ""


def bands_input(text: str | None) -> list[BandIn] | None:
    """An increment table typed as "0:1,50:2,100:5" (from 万元:step 万元); blank, the default."""
    if not text:
        return None
    bands = []
    for part in re.split(r"[,,\s]+", text.strip()):
        floor, _, step = part.replace(":", ":").partition(":")
        try:
            bands.append(BandIn(from_wan=float(floor), step_wan=float(step)))
        except ValueError:
            raise InvalidInput(
                "表单填写有误",
                message_en="Please correct the form",
                errors=[
                    {
                        "field": "bands",
                        "reason": f"加价幅度表“{text}”无效,应如 0:1,50:2,100:5(起点万元:幅度万元)",
                        "reason_en": "bands must look like 0:1,50:2,100:5 (from 万元:step 万元)",
                    }
                ],
            ) from None
    return bands


def session_form(values: dict[str, str]) -> SessionIn:
    """A new session as the form gives it, checked with the API's schema."""
    data: dict[str, Any] = {k: v for k, v in values.items() if k not in ("bands",)}
    data["starts_at"] = beijing_input(values.get("starts_at"))
    data["ends_at"] = beijing_input(values.get("ends_at"))
    data["bands"] = bands_input(values.get("bands"))
    return parse_model(SessionIn, data)


def lot_form(values: dict[str, str]) -> LotIn:
    """A new lot as the form gives it, checked with the API's schema."""
    data: dict[str, Any] = dict(values)
    data["opens_at"] = beijing_input(values.get("opens_at"))
    data["closes_at"] = beijing_input(values.get("closes_at"))
    return parse_model(LotIn, data)


def _errors_or_raise(exc: FactorLinkError) -> FieldErrors:
    """A refusal the form shows by its fields; a page-level one (403, 404) as itself."""
    if exc.status in (401, 403, 404):
        raise exc
    return field_errors(exc)


# Sessions


@router.get("/auctions")
def sessions(web: Web, session: DbSession) -> Response:
    """The auction sessions (拍卖会), newest first; operators also see drafts and a new one."""
    service = AuctionService(session, web.viewer, clock_of(web.request))
    rows, _ = service.list_sessions(PageParams(page=1, page_size=50))
    counts = service.lot_counts(rows)
    items = [present_session(r, counts.get(r.id, 0)) for r in rows]
    return render(web, "auction/index.html", sessions=items)


def _new_page(
    web: WebRequest, values: dict[str, str], errors: FieldErrors, status: int = 200
) -> Response:
    cities = [(c.code, c.name) for c in get_region().cities]
    if web.viewer.is_operator and web.viewer.city_scope:
        cities = [(code, name) for code, name in cities if code in web.viewer.city_scope]
    return render(web, "auction/new.html", status, values=values, errors=errors, cities=cities)


@router.get("/auctions/new")
def new_session(web: Web) -> Response:
    """The form of a new session (operators): schedule, deposit, announcement and rules."""
    access.require_staff(web.viewer)
    values = {"extension_minutes": "5", "deposit_wan": "0"}
    if web.viewer.is_operator and len(web.viewer.city_scope) == 1:
        values["city"] = web.viewer.city_scope[0]
    return _new_page(web, values, {})


@router.post("/auctions/new")
@needs_login
def create_session(web: Web, form: CheckedForm) -> Response:
    """Creates a draft session and opens its page, where lots are added."""
    access.require_staff(web.viewer)
    values = text_fields(form, SESSION_FIELDS)
    try:
        created = web.attempt(
            lambda s, viewer: (
                AuctionService(s, viewer, clock_of(web.request))
                .create_session(session_form(values))
                .id
            )
        )
    except FactorLinkError as exc:
        return _new_page(web, values, _errors_or_raise(exc), status=exc.status)
    return RedirectResponse(f"/auctions/{created}?done=created", status_code=303)


def _session_page(
    web: WebRequest,
    id: int,
    *,
    lot_values: dict[str, str] | None = None,
    lot_errors: FieldErrors | None = None,
    error: tuple[str, str] | None = None,
    status: int = 200,
) -> Response:
    with get_database(web.request).unit_of_work() as session:
        service = AuctionService(session, web.viewer, clock_of(web.request))
        view = service.session_view(id)
        runs = web.viewer.is_staff and web.viewer.operates_in(view.auction.city)
        registrations = service.named_registrations(id) if runs else []
        registered = service.registered_count(view.auction)
        draft = runs and view.auction.status == SessionStatus.draft
        candidates = service.lot_candidates(view.auction) if draft else []
        auction = present_session(view.auction, len(view.lots))
        lots = [present_lot(v, staff=web.viewer.is_staff) for v in view.lots]
        registration = present_bidder(view.registration) if view.registration else None
        due = any(lot.status != "closed" for lot in lots)
        # Results can be published once every lot's end has passed (publishing closes them).
        publishable = all(lot.status in ("closing", "closed") for lot in lots)
    values = lot_values if lot_values is not None else {}
    if not values and "achievement" in web.request.query_params:
        values = {"achievement_code": web.request.query_params["achievement"][:64]}
    return render(
        web,
        "auction/session.html",
        status,
        auction=auction,
        lots=lots,
        registration=registration,
        runs=runs,
        registrations=registrations,
        registered=registered,
        candidates=candidates,
        lots_open=due,
        publishable=publishable,
        lot_values=values,
        lot_errors=lot_errors or {},
        error=error,
        done=web.request.query_params.get("done"),
    )


@router.get("/auctions/{id}")
def session_page(web: Web, id: IdPath) -> Response:
    """A session: its announcement, rules and lots, the viewer's registration; for the operator
    who runs it, the lots to add, the registrations to decide and the results to publish."""
    return _session_page(web, id)


def _operator_step(web: WebRequest, id: int, work: Any, done: str) -> Response:
    """Runs an operator's change on a session and comes back to its page, saying what happened
    or what stood in the way."""
    access.require_staff(web.viewer)
    try:
        web.attempt(work)
    except FactorLinkError as exc:
        if exc.status in (401, 403, 404):
            raise
        return _session_page(
            web, id, error=(exc.message, exc.message_en or exc.message), status=exc.status
        )
    return RedirectResponse(f"/auctions/{id}?done={done}", status_code=303)


@router.post("/auctions/{id}/lots")
@needs_login
def add_lot(web: Web, id: IdPath, form: CheckedForm) -> Response:
    """Adds an achievement (by its code) as a lot of a draft session."""
    access.require_staff(web.viewer)
    values = text_fields(form, LOT_FIELDS)
    try:
        web.attempt(
            lambda s, viewer: AuctionService(s, viewer, clock_of(web.request)).add_lot(
                id, lot_form(values)
            )
        )
    except FactorLinkError as exc:
        errors = _errors_or_raise(exc)
        if "achievement_id" in errors:
            errors["achievement_code"] = errors.pop("achievement_id")
        return _session_page(web, id, lot_values=values, lot_errors=errors, status=exc.status)
    return RedirectResponse(f"/auctions/{id}?done=lot#lots", status_code=303)


@router.post("/auctions/{id}/open")
@needs_login
def open_session(web: Web, id: IdPath, form: CheckedForm) -> Response:
    """Opens a draft session to registrations and, within each lot's window, to bids."""
    clock = clock_of(web.request)
    return _operator_step(
        web, id, lambda s, viewer: AuctionService(s, viewer, clock).open_session(id), "opened"
    )


@router.post("/auctions/{id}/bidders/{bidder_id}")
@needs_login
def decide(web: Web, id: IdPath, bidder_id: IdPath, form: CheckedForm) -> Response:
    """Approves a registration with the deposit received, or rejects it."""
    values = text_fields(form, ("decision", "deposit_wan", "note"))
    clock = clock_of(web.request)

    def work(s: Any, viewer: Any) -> None:
        body = parse_model(
            ApprovalIn,
            {
                "approve": values.get("decision") != "reject",
                "deposit_wan": values.get("deposit_wan"),
                "note": values.get("note"),
            },
        )
        AuctionService(s, viewer, clock).decide(id, bidder_id, body)

    done = "rejected" if values.get("decision") == "reject" else "approved"
    return _operator_step(web, id, work, done)


@router.post("/auctions/{id}/publish")
@needs_login
def publish(web: Web, id: IdPath, form: CheckedForm) -> Response:
    """Closes the lots whose end has passed and publishes the session's results."""
    access.require_staff(web.viewer)
    database, clock = get_database(web.request), clock_of(web.request)
    with database.unit_of_work() as session:
        lot_ids = AuctionService(session, web.viewer, clock).due_lot_ids(id)  # the viewer runs it
    for lot_id in lot_ids:
        if units.close_lot_if_due(database, lot_id, clock, web.viewer.user_id):
            broadcaster_of(web.request).publish(lot_id)
    return _operator_step(
        web,
        id,
        lambda s, viewer: AuctionService(s, viewer, clock).publish_results(id),
        "published",
    )


@router.post("/auctions/{id}/register")
@needs_login
def register_page(web: Web, id: IdPath, form: CheckedForm) -> Response:
    """Registers the viewer to bid once they accept the terms; an operator approves once the
    deposit has arrived."""
    access.require_user(web.viewer)
    if form.get("accept_terms") != "yes":
        message = ("请先阅读并勾选同意竞买须知", "Read and accept the bidding terms first")
        return _session_page(web, id, error=message, status=422)
    clock = clock_of(web.request)
    try:
        web.attempt(
            lambda s, viewer: AuctionService(s, viewer, clock).register(id, terms_accepted=True)
        )
    except FactorLinkError as exc:
        if exc.status in (401, 404):
            raise
        return _session_page(
            web, id, error=(exc.message, exc.message_en or exc.message), status=exc.status
        )
    return RedirectResponse(f"/auctions/{id}?done=registered", status_code=303)


# Lots


def _lot_page(
    web: WebRequest,
    id: int,
    *,
    message: tuple[str, str, bool] | None = None,
    status: int = 200,
) -> Response:
    database, clock = get_database(web.request), clock_of(web.request)
    lot = units.read_lot(database, web.viewer, id, clock)
    with database.unit_of_work() as session:
        service = AuctionService(session, web.viewer, clock)
        view, rows = service.bids(id)
        own = view.bidder.id if view.bidder else None
        bids = [present_bid(b, own) for b in rows[:HISTORY]]
        achievement = service.achievement_of(view.lot)
        registered = service.registered_count(view.auction)
        auction = present_session(view.auction, 0)
        facts = None
        if achievement is not None:
            abstract = achievement.abstract
            facts = {
                "id": achievement.id,
                "abstract": abstract if web.viewer.is_staff else mask_mobiles_in(abstract),
                "ip_forms": list(achievement.ip_forms),
                "trl": achievement.trl,
            }
    if message is None and web.request.query_params.get("placed") and lot.status != "closed":
        message = ("出价已受理", "Bid accepted", True)
    return render(
        web,
        "auction/lot.html",
        status,
        lot=lot,
        lot_json=lot.model_dump_json(),
        bids=bids,
        auction=auction,
        achievement=facts,
        registered=registered,
        message=message,
        next_steps=_next_steps(lot),
        price_label=price_label(lot),
        price_shown=shown_price(lot),
        bands=increment_rows(auction["bands"]),
    )


def price_label(lot: LotOut) -> str:
    """What the big figure of a lot is: 起拍价 before the first bid, then 当前价, and 成交价
    once sold (an unsold lot shows its last price as 最高出价)."""
    if lot.result is not None:
        return "成交价" if lot.result.sold else "最高出价"
    return "当前价" if lot.price_wan is not None else "起拍价"


def shown_price(lot: LotOut) -> float | None:
    """The big figure itself: the price, the starting price before the first bid, and nothing
    for a lot that closed without a bid."""
    if lot.price_wan is not None:
        return lot.price_wan
    return None if lot.result is not None else lot.start_price_wan


def _next_steps(lot: LotOut) -> str | None:
    """Which of the closing notes the viewer reads: the winner's, a bidder who lost, or none."""
    if lot.result is None or lot.mine is None:
        return None
    if lot.mine.status == "won":
        return "won"
    if lot.mine.status in ("lost", "outbid"):
        return "lost"
    return None


@router.get("/lots/{id}")
def lot_page(web: Web, id: IdPath) -> Response:
    """A lot, live: price, leader, countdown, extensions, own status, bids and the bid form;
    the achievement it offers and the session's terms."""
    return _lot_page(web, id)


def _bid_amount(form: FormData) -> float:
    raw = form.get("amount_wan")
    return parse_model(BidIn, {"amount_wan": raw if isinstance(raw, str) else None}).amount_wan


@router.post("/lots/{id}/bid")
@needs_login
def confirm_bid(web: Web, id: IdPath, form: CheckedForm) -> Response:
    """The bid form without JavaScript: a page that shows the amount (万元 and 元), warns when
    it is more than twice the current price, and asks to confirm."""
    access.require_user(web.viewer)
    try:
        amount = _bid_amount(form)
        yuan = to_yuan(amount, "amount_wan")
    except FactorLinkError as exc:
        return _lot_page(web, id, message=(*_reason(exc), False), status=exc.status)
    lot = units.read_lot(get_database(web.request), web.viewer, id, clock_of(web.request))
    current = lot.price_wan if lot.price_wan is not None else lot.start_price_wan
    return render(
        web,
        "auction/confirm.html",
        lot=lot,
        amount_wan=amount,
        amount_text=wan_text(yuan),
        amount_yuan=yuan,
        current_wan=current,
        current_label=price_label(lot),
        warn=amount > WARN_FACTOR * current,
        key=secrets.token_hex(16),
    )


@router.post("/lots/{id}/bid/confirm")
@needs_login
def place_bid(web: Web, id: IdPath, form: CheckedForm) -> Response:
    """Places a confirmed bid (without JavaScript), keyed by its confirmation page."""
    access.require_user(web.viewer)
    key = form.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        raise PermissionDenied("页面已过期,请重新出价", message_en="expired; bid again")
    try:
        yuan = to_yuan(_bid_amount(form), "amount_wan")
    except FactorLinkError as exc:
        return _lot_page(web, id, message=(*_reason(exc), False), status=exc.status)
    database, clock = get_database(web.request), clock_of(web.request)
    token = web.request.cookies.get(SESSION_COOKIE)
    answer = units.place_bid(database, token, id, yuan, key, clock)
    if answer.accepted:
        broadcaster_of(web.request).publish(id)
    if answer.refusal is not None:
        refusal = answer.refusal
        return _lot_page(web, id, message=(*_reason(refusal), False), status=refusal.status)
    return RedirectResponse(f"/lots/{id}?placed=1", status_code=303)


def _reason(exc: FactorLinkError) -> tuple[str, str]:
    """A refusal as the bidder reads it: the field's reason when there is one."""
    for error in exc.errors:
        if error.get("reason"):
            zh = str(error["reason"])
            return zh, str(error.get("reason_en") or zh)
    return exc.message, exc.message_en or exc.message


def increment_rows(bands: list[dict[str, float]]) -> list[tuple[float, float | None, float]]:
    """A session's increment table as rows: from, up to (None: and above), step (万元)."""
    rows = []
    for i, band in enumerate(bands):
        upto = bands[i + 1]["from_wan"] if i + 1 < len(bands) else None
        rows.append((band["from_wan"], upto, band["step_wan"]))
    return rows


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
        "最高出价": "Highest bid",
        "领先": "Leading",
        "领先者": "Leader",
        "买受人": "Buyer",
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
        "元": "CNY",
        "溢价": "Premium",
        "流拍": "Unsold",
        "竞得人": "Winner",
        "挂牌(首个报价即成交)": "Single offer (the first bid buys)",
        "出价成功": "Bid accepted",
        "出价已受理": "Bid accepted",
        "网络中断,正在重试": "Connection lost, retrying",
        "实时": "Live",
        "出价记录": "Bids",
        "暂无出价": "No bids yet",
        "我": "me",
        "报名失败": "Registration failed",
        "北京时间": "Beijing time",
        "新建拍卖会": "New auction session",
        "拍卖会名称": "Title",
        "所在城市": "City",
        "开始时间(北京时间)": "Starts (Beijing time)",
        "结束时间(北京时间)": "Ends (Beijing time)",
        "延时周期(分钟)": "Extension (minutes)",
        "结束前这么多分钟内有出价改变价格或领先者,结束时间顺延这么多分钟": (
            "A bid in these last minutes that changes the price or the leader moves the end "
            "this much later"
        ),
        "保证金(万元)": "Deposit (10k CNY)",
        "加价幅度表": "Increment table",
        "如 0:1,50:2,100:5(起点万元:幅度万元);留空用默认表": (
            "e.g. 0:1,50:2,100:5 (from 10k CNY : step 10k CNY); blank for the default table"
        ),
        "竞买公告": "Auction announcement",
        "竞买须知": "Bidding terms",
        "保证金缴纳说明": "How to pay the deposit",
        "创建草稿": "Create draft",
        "拍卖会已创建,请添加拍品后开放": "Session created: add lots, then open it",
        "拍品已添加": "Lot added",
        "拍卖会已开放报名和竞价": "The session is open to registrations and bids",
        "已批准竞买": "Bidder approved",
        "已拒绝报名": "Registration rejected",
        "结果已发布": "Results published",
        "报名已提交,保证金到账经审核后即可出价": (
            "Registered: you may bid once the deposit has arrived and is approved"
        ),
        "运营": "Operator",
        "添加拍品": "Add a lot",
        "成果编号": "Achievement code",
        "起拍价(万元)": "Starting price (10k CNY)",
        "保留价(万元)": "Reserve (10k CNY)",
        "不公开;未达保留价流拍": "Not shown; below it the lot does not sell",
        "评估价(万元)": "Appraised value (10k CNY)",
        "本拍品保证金(万元)": "Deposit for this lot (10k CNY)",
        "留空同本场": "Blank: the session's",
        "竞价开始(北京时间)": "Bidding opens (Beijing time)",
        "竞价结束(北京时间)": "Bidding closes (Beijing time)",
        "留空同本场时间": "Blank: the session's schedule",
        "开放拍卖会": "Open the session",
        "开放后拍品和条件不可更改": "Once open, lots and terms are fixed",
        "竞买人": "Bidders",
        "暂无报名": "No registrations yet",
        "机构": "Organisation",
        "账号": "Account",
        "状态": "Status",
        "待审核": "Pending",
        "已批准": "Approved",
        "已拒绝": "Rejected",
        "已收保证金(万元)": "Deposit received (10k CNY)",
        "备注": "Note",
        "如 到账流水号": "e.g. the transfer's reference",
        "批准": "Approve",
        "拒绝": "Reject",
        "同意竞买须知": "Accepted the terms",
        "发布结果": "Publish the results",
        "结束到期拍品并发布成交结果": (
            "Closes the lots whose end has passed and publishes the results"
        ),
        "结果公告": "Results",
        "发布于": "Published",
        "报名人数": "Registered bidders",
        "我已阅读并同意竞买公告和竞买须知": "I have read and accept the announcement and the terms",
        "请先阅读并勾选同意竞买须知": "Read and accept the bidding terms first",
        "操作未完成": "Not done",
        "成果详情": "Achievement",
        "知识产权": "Intellectual property",
        "评估价": "Appraised value",
        "延时规则": "Extension rule",
        "结束前{n}分钟内出价改变价格或领先者的,结束时间延至该出价后{n}分钟,可多次延时": (
            "A bid in the last {n} minutes that changes the price or the leader moves the end "
            "to {n} minutes after it, as often as it happens"
        ),
        "成果简介": "Summary",
        "技术成熟度": "Readiness (TRL)",
        "未设": "None",
        "及以上": "and above",
        "起点(万元)": "From (10k CNY)",
        "至(万元)": "Up to (10k CNY)",
        "幅度(万元)": "Step (10k CNY)",
        "确认出价": "Confirm the bid",
        "返回修改": "Change it",
        "请确认出价": "Please confirm your bid",
        "您的最高出价": "Your maximum",
        "出价一经确认不可撤回;系统按最小幅度代您加价,成交价不超过您的最高出价。": (
            "A confirmed bid cannot be withdrawn; the system bids for you in minimum steps, "
            "never above your maximum."
        ),
        "注意:出价超过当前价的2倍": "Note: the bid is more than twice the current price",
        "请核对是否多输了一位数。": "Check that you did not type a digit too many.",
        "您已竞得本拍品": "You won this lot",
        "接下来": "What happens next",
        "平台运营人员将与您联系,签署成交确认书;": (
            "The platform's operator will contact you to sign the confirmation of sale;"
        ),
        "按竞买须知约定的期限支付成交价款,保证金可抵作价款;": (
            "pay the hammer price within the time the terms set; the deposit counts towards it;"
        ),
        "价款付清后办理成果转让(许可)手续,对接记录见平台。": (
            "once paid, the transfer (or licence) is completed; the deal is on the platform."
        ),
        "本拍品由其他竞买人竞得,未竞得者的保证金按竞买须知退还。": (
            "Another bidder won this lot; deposits of those who did not win are returned as "
            "the terms say."
        ),
        "本拍品流拍,保证金按竞买须知退还。": (
            "The lot did not sell; deposits are returned as the terms say."
        ),
        "拍卖会尚未开放": "The session is not open yet",
        "竞价时间": "Bidding window",
        "拍品信息": "About the lot",
        "保留价": "Reserve",
        "暂无拍品": "No lots yet",
        "全部城市": "Whole region",
        "距开始": "Opens in",
        "全部拍品结束后可发布结果": "The results can be published once every lot has ended",
        "输入编号或从本场城市的成果中选择": (
            "Type the code, or pick one of the achievements of the session's city"
        ),
    }
)
