"""Commands: leads — record one as an operator receives it, list the inbox, erase data."""

from __future__ import annotations

from datetime import timedelta

import typer
from rich.table import Table

from factorlink.cli.context import SYSTEM_VIEWER, console, reports_errors, unit_of_work
from factorlink.cli.matching import matches_table
from factorlink.config import get_settings
from factorlink.kit.ids import MAX_ID
from factorlink.kit.pagination import MAX_PAGE, PageParams
from factorlink.lead.models import LeadStatus, LeadType
from factorlink.lead.presenter import present_intake, present_lead
from factorlink.lead.repository import LeadFilters
from factorlink.lead.service import LeadService

lead_app = typer.Typer(help="Leads (线索): intake, inbox, erasure.", no_args_is_help=True)


@lead_app.command("add")
@reports_errors
def add(
    need: str = typer.Option(..., "--need", help="需求: what is needed."),
    lead_type: str = typer.Option(..., "--type", help="technology|space|capital (技术/空间/资本)."),
    contact: str = typer.Option(..., "--contact", help="联系人."),
    mobile: str = typer.Option(..., "--mobile", help="手机号."),
    consent: bool = typer.Option(
        False, "--consent", help="The sender agreed to be contacted (required)."
    ),
    purpose: str | None = typer.Option(None, "--purpose", help="用途."),
    tax: str | None = typer.Option(
        None,
        "--tax",
        help="税收 as written, e.g. 500万元/年 or 年纳税约500万 (万元 when a bare number).",
    ),
    company: str | None = typer.Option(None, "--company", help="公司."),
    city: str | None = typer.Option(None, "--city", help="所在城市, e.g. 松江."),
    prefer: list[str] = typer.Option(
        [], "--prefer", help="意向城市; repeat, or separate with 、，,;； or spaces."
    ),
    industry: str | None = typer.Option(None, "--industry", help="所属行业, e.g. 新材料."),
    limit: int = typer.Option(10, "--limit", min=1, max=50, help="How many matches to show."),
) -> None:
    """Records a lead received by phone or message and prints its id and best matches."""
    cells = {
        "need": need,
        "lead_type": lead_type,
        "contact_name": contact,
        "contact_mobile": mobile,
        "consent": consent,
        "purpose": purpose,
        "annual_tax_wan": tax,
        "company": company,
        "city": city,
        # One text: each --prefer may itself list cities ("宣城、芜湖、湖州"), and a text
        # cell splits on every separator people type.
        "preferred_cities": "、".join(prefer),
        "industry": industry,
    }
    with unit_of_work() as session:
        service = LeadService(session, SYSTEM_VIEWER)
        out = present_intake(service.submit_with_matches(cells, source="cli", limit=limit))
    console.print(f"已登记线索 lead #{out.id} ({out.lead_type_label})", highlight=False)
    if out.matches_note:
        console.print(out.matches_note, highlight=False)
    if out.matches:
        console.print(matches_table(out.matches), highlight=False)


@lead_app.command("list")
@reports_errors
def list_(
    status: LeadStatus | None = typer.Option(
        None, "--status", help="new|reviewing|introduced|closed"
    ),
    lead_type: LeadType | None = typer.Option(None, "--type", help="technology|space|capital"),
    city: str | None = typer.Option(None, "--city", help="City code, e.g. songjiang."),
    page: int = typer.Option(1, "--page", min=1, max=MAX_PAGE),
    page_size: int = typer.Option(50, "--page-size", min=1, max=200),
) -> None:
    """Lists the leads, newest first."""
    table = Table("id", "类型 type", "状态 status", "需求 need", "公司 company", "联系人 contact")
    table.add_column("城市 cities")
    table.add_column("时间 received")
    with unit_of_work() as session:
        service = LeadService(session, SYSTEM_VIEWER)
        filters = LeadFilters(status=status, lead_type=lead_type, city=city)
        rows, total = service.search(filters, PageParams(page, page_size))
        leads = [present_lead(row, service.contact(row)) for row in rows]
    for lead in leads:
        # The lead's own city with its district (湖州长兴县), then the other preferred cities.
        own = [f"{lead.city_name}{lead.district or ''}"] if lead.city_name else []
        others = [n for n in lead.preferred_city_names if n != lead.city_name]
        cities = "、".join(dict.fromkeys(own + others))
        table.add_row(
            str(lead.id),
            lead.lead_type_label,
            lead.status_label,
            lead.need[:40],
            lead.company or "",
            " ".join(x for x in (lead.contact_name, lead.contact_mobile) if x),
            cities,
            lead.created_at.strftime("%Y-%m-%d %H:%M"),
        )
    console.print(table, highlight=False)
    console.print(f"共 {total} 条 total {total}", highlight=False)


@lead_app.command("withdraw-consent")
@reports_errors
def withdraw_consent(
    lead_id: int = typer.Argument(..., min=1, max=MAX_ID, help="The lead's id."),
) -> None:
    """Records that the sender withdrew consent; their contact details are erased."""
    with unit_of_work() as session:
        LeadService(session, SYSTEM_VIEWER).withdraw_consent(lead_id)
    console.print(f"线索 #{lead_id}: 已撤回同意并删除个人信息 (consent withdrawn, data erased)")


@lead_app.command("erase")
@reports_errors
def erase(lead_id: int = typer.Argument(..., min=1, max=MAX_ID, help="The lead's id.")) -> None:
    """Erases the sender's name, mobile and company; the need stays for the statistics."""
    with unit_of_work() as session:
        LeadService(session, SYSTEM_VIEWER).erase_personal_data(lead_id)
    console.print(f"线索 #{lead_id}: 已删除个人信息 (personal data erased)")


@lead_app.command("expire")
@reports_errors
def expire() -> None:
    """Erases the personal data of the leads older than FACTORLINK_LEAD_RETENTION_DAYS (the
    period the lead form's consent names); run it daily (cron, a systemd timer)."""
    days = get_settings().lead_retention_days
    with unit_of_work() as session:
        count = LeadService(session, SYSTEM_VIEWER).erase_expired(timedelta(days=days))
    console.print(
        f"已删除 {count} 条超过 {days} 天的线索的个人信息 "
        f"(personal data of {count} leads older than {days} days erased)"
    )


def register(app: typer.Typer) -> None:
    """Adds the `lead` command group."""
    app.add_typer(lead_app, name="lead")
