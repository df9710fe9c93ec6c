"""Commands: auctions (拍卖会) — sessions, lots, bidders, opening, closing and results."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.table import Table

from factorlink.auction import units
from factorlink.auction.clock import system_clock
from factorlink.auction.money import wan_text
from factorlink.auction.presenter import lot_status, present_bidder
from factorlink.auction.schemas import ApprovalIn, BandIn, LotIn, SessionIn
from factorlink.auction.service import AuctionService, LotView
from factorlink.auth.repository import UserRepository
from factorlink.auth.service import viewer_of
from factorlink.cli.context import (
    SYSTEM_VIEWER,
    beijing_time,
    console,
    fail,
    reports_errors,
    unit_of_work,
)
from factorlink.config import get_settings
from factorlink.db.session import Database
from factorlink.kit.ids import MAX_ID

auction_app = typer.Typer(
    help="Achievement auctions (拍卖会): sessions, lots, bidders, closing.", no_args_is_help=True
)
SessionId = typer.Argument(..., min=1, max=MAX_ID, help="The session's id.")


def _bands(text: str) -> list[BandIn]:
    bands = []
    for part in text.split(","):
        floor, _, step = part.partition(":")
        try:
            bands.append(BandIn(from_wan=float(floor), step_wan=float(step)))
        except ValueError:
            raise fail(
                f"加价幅度表“{text}”无效,应如 0:1,50:2,100:5(起点万元:幅度万元)",
                f"--bands {text!r} must look like 0:1,50:2,100:5 (from 万元:step 万元)",
            ) from None
    return bands


@contextmanager
def _database() -> Iterator[Database]:
    database = Database(get_settings())
    try:
        yield database
    finally:
        database.dispose()


@auction_app.command("create")
@reports_errors
def create(
    title: str = typer.Option(
        ..., "--title", help="The session's title, e.g. G60科拍会2027春季场."
    ),
    starts: str = typer.Option(..., "--starts", help="Start, e.g. 2027-03-01T09:30 (UTC+8)."),
    ends: str = typer.Option(..., "--ends", help="End of bidding, e.g. 2027-03-01T11:30."),
    extension: int = typer.Option(5, "--extension", min=1, max=60, help="Anti-sniping minutes."),
    deposit: float = typer.Option(0, "--deposit", min=0, help="Deposit (万元) per bidder."),
    bands: str | None = typer.Option(None, "--bands", help="Increment bands, e.g. 0:1,50:2,100:5."),
    city: str | None = typer.Option(None, "--city", help="The city it is run in, e.g. 松江."),
) -> None:
    """Creates a draft auction session."""
    body = SessionIn(
        title=title,
        starts_at=beijing_time(starts, "--starts"),
        ends_at=beijing_time(ends, "--ends"),
        extension_minutes=extension,
        deposit_wan=deposit,
        bands=_bands(bands) if bands else None,
        city=city,
    )
    with unit_of_work() as session:
        auction = AuctionService(session, SYSTEM_VIEWER).create_session(body)
        console.print(f"拍卖会 session #{auction.id} {auction.title} (draft)", highlight=False)


@auction_app.command("add-lot")
@reports_errors
def add_lot(
    session_id: int = SessionId,
    achievement: str = typer.Option(..., "--achievement", help="The achievement's code or id."),
    start: float = typer.Option(..., "--start", help="Starting price (万元)."),
    reserve: float | None = typer.Option(None, "--reserve", help="Hidden reserve (万元)."),
    deposit: float | None = typer.Option(None, "--deposit", help="Deposit (万元); session's."),
    single_offer: bool = typer.Option(False, "--single-offer", help="Sells to the first bid."),
    opens: str | None = typer.Option(None, "--opens", help="Bidding opens (session start)."),
    closes: str | None = typer.Option(None, "--closes", help="Bidding ends (session end)."),
) -> None:
    """Adds an achievement as a lot of a draft session."""
    by_id = achievement.isascii() and achievement.isdigit()
    body = LotIn(
        achievement_id=int(achievement) if by_id else None,
        achievement_code=None if by_id else achievement,
        start_price_wan=start,
        reserve_price_wan=reserve,
        deposit_wan=deposit,
        single_offer=single_offer,
        opens_at=beijing_time(opens, "--opens") if opens else None,
        closes_at=beijing_time(closes, "--closes") if closes else None,
    )
    with unit_of_work() as session:
        lot = AuctionService(session, SYSTEM_VIEWER).add_lot(session_id, body)
        console.print(f"拍品 lot #{lot.id}: 第{lot.number}号 {lot.title}", highlight=False)


@auction_app.command("register")
@reports_errors
def register_bidder(
    session_id: int = SessionId,
    user: str = typer.Option(..., "--user", help="The bidder's user name."),
) -> None:
    """Registers a user (for their organisation) as a bidder of a session."""
    with unit_of_work() as session:
        record = UserRepository(session).by_username(user)
        if record is None:
            raise fail(f"用户“{user}”不存在", f"no user named {user!r}")
        bidder = AuctionService(session, viewer_of(record)).register(session_id)
        console.print(f"竞买人 bidder #{bidder.id} ({bidder.status.value})", highlight=False)


@auction_app.command("approve")
@reports_errors
def approve(
    session_id: int = SessionId,
    bidder_id: int = typer.Argument(..., min=1, max=MAX_ID, help="The registration's id."),
    reject: bool = typer.Option(False, "--reject", help="Reject instead of approving."),
    deposit: float | None = typer.Option(None, "--deposit", help="Deposit received (万元)."),
) -> None:
    """Approves a bidder once the deposit is confirmed (or rejects them)."""
    with unit_of_work() as session:
        body = ApprovalIn(approve=not reject, deposit_wan=deposit)
        bidder = AuctionService(session, SYSTEM_VIEWER).decide(session_id, bidder_id, body)
        console.print(f"竞买人 bidder #{bidder.id}: {bidder.status.value}", highlight=False)


@auction_app.command("bidders")
@reports_errors
def bidders(session_id: int = SessionId) -> None:
    """Lists the registrations of a session."""
    with unit_of_work() as session:
        rows = [
            present_bidder(b)
            for b in AuctionService(session, SYSTEM_VIEWER).registrations(session_id)
        ]
    table = Table("id", "user", "org", "状态 status", "保证金 万元")
    for b in rows:
        deposit = f"{b.deposit_wan:g}" if b.deposit_wan is not None else ""
        table.add_row(
            str(b.id), str(b.user_id), str(b.organization_id or ""), b.status.value, deposit
        )
    console.print(table, highlight=False)


@auction_app.command("open")
@reports_errors
def open_(session_id: int = SessionId) -> None:
    """Opens a draft session to registrations and bids."""
    with unit_of_work() as session:
        auction = AuctionService(session, SYSTEM_VIEWER).open_session(session_id)
        console.print(f"拍卖会 session #{auction.id}: open", highlight=False)


@auction_app.command("close")
@reports_errors
def close(
    session_id: int | None = typer.Argument(None, min=1, max=MAX_ID, help="One session (all)."),
) -> None:
    """Closes every lot whose end has passed (sold lots become signed introductions), and
    every open session none of whose lots is open any more."""
    with _database() as database:
        with database.unit_of_work() as session:
            service = AuctionService(session, SYSTEM_VIEWER)
            lot_ids = service.due_lot_ids(session_id)
            session_ids = [session_id] if session_id is not None else service.open_session_ids()
        closed = [i for i in lot_ids if units.close_lot_if_due(database, i, system_clock, None)]
        finished = [i for i in session_ids if units.close_session_when_done(database, i)]
    console.print(f"已结束 closed {len(closed)} 件拍品 lots", highlight=False)
    for finished_id in finished:
        console.print(f"拍卖会 session #{finished_id}: closed", highlight=False)


@auction_app.command("results")
@reports_errors
def results(session_id: int = SessionId) -> None:
    """Prints each lot of a session: status, hammer price, winner, premium over the start."""
    with unit_of_work() as session:
        service = AuctionService(session, SYSTEM_VIEWER)
        views = service.lot_views(service.get_session(session_id))
        table = Table(
            "号 no.",
            "拍品 lot",
            "状态 status",
            "起拍 start",
            "成交 hammer",
            "竞得 winner",
            "溢价 premium",
        )
        for view in views:
            table.add_row(*_result_row(view))
    console.print(table, highlight=False)


def _result_row(view: LotView) -> tuple[str, ...]:
    lot, result = view.lot, view.result
    hammer = winner = premium = ""
    if result is not None and result.sold and result.hammer_yuan is not None:
        hammer, winner = wan_text(result.hammer_yuan), result.winner_label or ""
        if view.winner_organization:
            winner = f"{winner} {view.winner_organization}"
        premium = wan_text(result.premium_yuan or 0)
    elif result is not None:
        hammer = "流拍 unsold"
    return (
        str(lot.number),
        f"{lot.achievement_code} {lot.title}",
        lot_status(view),
        wan_text(lot.start_yuan),
        hammer,
        winner,
        premium,
    )


def register(app: typer.Typer) -> None:
    """Adds the `auction` command group."""
    app.add_typer(auction_app, name="auction")
