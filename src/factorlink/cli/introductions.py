"""Commands: introductions (对接) — introduce two parties, move them along, list them."""

from __future__ import annotations

import typer
from rich.table import Table

from factorlink.cli.context import SYSTEM_VIEWER, console, fail, reports_errors, unit_of_work
from factorlink.introduction.models import IntroductionStatus, PartyKind
from factorlink.introduction.presenter import present_detail, present_introduction
from factorlink.introduction.repository import IntroductionFilters, PartyRef
from factorlink.introduction.schemas import IntroductionDetailOut, IntroductionOut, PartyOut
from factorlink.introduction.service import IntroductionService
from factorlink.kit.ids import MAX_ID
from factorlink.kit.pagination import MAX_PAGE, PageParams

intro_app = typer.Typer(help="Introductions (对接) and their deal pipeline.", no_args_is_help=True)

KINDS = ", ".join(k.value for k in PartyKind)


def _party_arg(text: str, service: IntroductionService) -> PartyRef:
    kind_text, _, key = text.partition(":")
    try:
        kind = PartyKind(kind_text.strip())
    except ValueError:
        raise fail(
            f"对接方“{text}”应写作 类型:编号 或 类型:id,类型为 {KINDS}",
            f"party {text!r} must be KIND:ID or KIND:CODE with KIND one of {KINDS}",
        ) from None
    key = key.strip()
    if key.isascii() and key.isdigit():
        return kind, int(key)
    return service.ref_for_code(kind, key)


def _side(party: PartyOut | None) -> str:
    if party is None:
        return "(已删除 deleted)"
    return f"{party.kind_label} {party.code} {party.title} [{party.city_name or '-'}]"


def _print_detail(out: IntroductionDetailOut) -> None:
    console.print(
        f"对接 #{out.id} {out.status_label}({out.status.value})"
        + (f" 金额 {out.amount_wan:g} 万元" if out.amount_wan is not None else ""),
        highlight=False,
    )
    console.print(f"  A: {_side(out.party_a)}\n  B: {_side(out.party_b)}", highlight=False)
    for event in out.events:
        step = f"{event.from_status or '-'} → {event.to_status}"
        note = f"  {event.note}" if event.note else ""
        console.print(f"  {event.at:%Y-%m-%d %H:%M} {step}{note}", highlight=False)
    if out.allowed_next:
        console.print("  可选下一步 next: " + ", ".join(s.value for s in out.allowed_next))


@intro_app.command("add")
@reports_errors
def add(
    a: str = typer.Option(..., "--a", help="Party A, the one served: KIND:ID or KIND:CODE."),
    b: str = typer.Option(..., "--b", help="Party B: KIND:ID or KIND:CODE, e.g. achievement:40."),
    note: str | None = typer.Option(None, "--note", help="A note for the history."),
) -> None:
    """Introduces party A to party B, e.g. --a demand:12 --b achievement:40."""
    with unit_of_work() as session:
        service = IntroductionService(session, SYSTEM_VIEWER)
        intro = service.create(_party_arg(a, service), _party_arg(b, service), note)
        out = present_detail(intro, service.load_parties([intro]), service.contact)
    _print_detail(out)


@intro_app.command("move")
@reports_errors
def move(
    intro_id: int = typer.Argument(..., min=1, max=MAX_ID, help="The introduction's id."),
    to: IntroductionStatus = typer.Option(..., "--to", help="contacted|negotiating|signed|closed"),
    amount: float | None = typer.Option(None, "--amount", help="签约金额(万元), for signed."),
    reason: str | None = typer.Option(None, "--reason", help="关闭原因, for closed."),
    note: str | None = typer.Option(None, "--note", help="A note for the history."),
) -> None:
    """Moves an introduction one step along the pipeline."""
    with unit_of_work() as session:
        service = IntroductionService(session, SYSTEM_VIEWER)
        intro = service.transition(intro_id, to, amount_wan=amount, reason=reason, note=note)
        out = present_detail(intro, service.load_parties([intro]), service.contact)
    _print_detail(out)


@intro_app.command("show")
@reports_errors
def show(
    intro_id: int = typer.Argument(..., min=1, max=MAX_ID, help="The introduction's id."),
) -> None:
    """Prints an introduction with both parties and its history."""
    with unit_of_work() as session:
        service = IntroductionService(session, SYSTEM_VIEWER)
        intro = service.get(intro_id)
        out = present_detail(intro, service.load_parties([intro]), service.contact)
    _print_detail(out)


@intro_app.command("list")
@reports_errors
def list_(
    status: IntroductionStatus | None = typer.Option(None, "--status"),
    city: str | None = typer.Option(None, "--city", help="City code on either side."),
    industry: str | None = typer.Option(None, "--industry", help="Industry code, e.g. ai."),
    page: int = typer.Option(1, "--page", min=1, max=MAX_PAGE),
    page_size: int = typer.Option(50, "--page-size", min=1, max=200),
) -> None:
    """Lists introductions, newest first."""
    with unit_of_work() as session:
        service = IntroductionService(session, SYSTEM_VIEWER)
        filters = IntroductionFilters(status=status, city=city, industry=industry)
        rows, total = service.search(filters, PageParams(page, page_size))
        parties = service.load_parties(rows)
        items = [present_introduction(r, parties, service.contact) for r in rows]
    console.print(_list_table(items), highlight=False)
    console.print(f"共 {total} 条 total {total}", highlight=False)


def _list_table(items: list[IntroductionOut]) -> Table:
    table = Table("id", "状态 status", "A", "B", "城市 cities", "行业 industry", "金额 万元")
    for item in items:
        cities = f"{item.city_name or '-'} → {item.counterpart_city_name or '-'}"
        table.add_row(
            str(item.id),
            item.status_label,
            _side(item.party_a),
            _side(item.party_b),
            cities,
            item.industry_name or "",
            f"{item.amount_wan:g}" if item.amount_wan is not None else "",
        )
    return table


def register(app: typer.Typer) -> None:
    """Adds the `intro` command group."""
    app.add_typer(intro_app, name="intro")
