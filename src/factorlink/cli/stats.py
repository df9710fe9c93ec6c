"""Commands: statistics of listings, leads, introductions and deals."""

from __future__ import annotations

import json

import typer
from rich.console import Group
from rich.table import Table

from factorlink.cli.context import SYSTEM_VIEWER, console, reports_errors, unit_of_work
from factorlink.stats.schemas import DealBucket, StatsOut
from factorlink.stats.service import StatsService


def _listings(report: StatsOut) -> Table:
    table = Table(title="挂牌数量 listings by city")
    table.add_column("城市 city")
    for kind in report.listings:
        table.add_column(kind.label, justify="right")
    cities = sorted({c.key or "" for k in report.listings for c in k.by_city})
    names = {c.key or "": c.label or "-" for k in report.listings for c in k.by_city}
    for city in cities:
        counts = [{c.key or "": c.count for c in k.by_city}.get(city, 0) for k in report.listings]
        table.add_row(names[city], *(str(n) for n in counts))
    table.add_row("合计 total", *(str(k.total) for k in report.listings))
    return table


def _counts(report: StatsOut) -> Table:
    table = Table(
        "分组 group", "值 value", "数量 count", title="线索与对接 leads and introductions"
    )
    for row in report.leads.by_type:
        table.add_row("线索类型 lead type", row.label, str(row.count))
    for row in report.leads.by_status:
        table.add_row("线索状态 lead status", row.label, str(row.count))
    for row in report.introductions.by_status:
        table.add_row("对接状态 introduction", row.label, str(row.count))
    intro = report.introductions
    table.add_row("对接合计 introductions", "", str(intro.total))
    table.add_row("跨城对接 cross-city", _percent(intro.cross_city_share), str(intro.cross_city))
    table.add_row("签约转化 conversion", _percent(intro.conversion), str(intro.signed))
    return table


def _deals(title: str, rows: list[DealBucket]) -> Table:
    table = Table(title, "笔数 deals", "金额 万元", title=f"签约 signed deals by {title}")
    for row in rows:
        table.add_row(row.label or "-", str(row.count), f"{row.amount_wan:,.2f}")
    return table


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share:.1%}"


def stats(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    from_month: str | None = typer.Option(None, "--from", help="First month, YYYY-MM."),
    to_month: str | None = typer.Option(None, "--to", help="Last month, YYYY-MM (inclusive)."),
    city: str | None = typer.Option(None, "--city", help="A city, e.g. 松江 or songjiang."),
) -> None:
    """Statistics by city, industry and month: listings, leads, introductions, signed deals."""
    with unit_of_work() as session:
        report = StatsService(session, SYSTEM_VIEWER).report(from_month, to_month, city)
    if as_json:
        typer.echo(json.dumps(report.model_dump(mode="json"), ensure_ascii=False))
        return
    deals = report.deals
    console.print(
        Group(
            _listings(report),
            _counts(report),
            _deals("城市 city", deals.by_city),
            _deals("行业 industry", deals.by_industry),
            _deals("月份 month", deals.by_month),
        ),
        highlight=False,
    )
    console.print(
        f"签约合计 signed: {deals.count} 笔, {deals.amount_wan:,.2f} 万元", highlight=False
    )


def register(app: typer.Typer) -> None:
    """Adds the `stats` command."""
    app.command("stats")(reports_errors(stats))
