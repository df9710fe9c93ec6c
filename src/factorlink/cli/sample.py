"""Commands: the sample data set."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from factorlink.cli.context import SYSTEM_VIEWER, console, err_console, reports_errors, unit_of_work
from factorlink.cli.imports import print_report
from factorlink.config import get_settings
from factorlink.imports.kinds import spec_of
from factorlink.imports.report import ImportRejected
from factorlink.sample.loader import DATA_DIR, LISTING_FILES, load_sample
from factorlink.sample.vectors import install as install_vectors

sample_app = typer.Typer(help="The sample data set (marked as sample).", no_args_is_help=True)


@sample_app.command("load")
@reports_errors
def load(
    data_dir: Path = typer.Option(
        DATA_DIR, "--from", help="A directory of sample files (default: the packaged set)."
    ),
) -> None:
    """Loads the sample listings, leads and introductions, all-or-nothing; again changes nothing.
    With an encoder configured, the sample's shipped passage vectors go into the vector store
    first, so its matches are complete at once (no minutes of background encoding)."""
    vectors = install_vectors(get_settings(), data_dir)
    try:
        with unit_of_work() as session:
            reports, activity = load_sample(session, SYSTEM_VIEWER, data_dir)
    except ImportRejected as exc:
        print_report(exc.report)
        raise typer.Exit(code=1) from None
    table = Table(title="样例数据 sample data")
    for header in ("类型 kind", "新增 created", "更新 updated", "未变 unchanged"):
        table.add_column(header)
    for kind, report in reports.items():
        label = f"{spec_of(kind).label} {kind.value}"
        table.add_row(label, str(report.created), str(report.updated), str(report.unchanged))
    table.add_row("线索 lead", str(activity.leads_added), "0", str(activity.leads_existing))
    table.add_row(
        "对接 introduction",
        str(activity.introductions_added),
        "0",
        str(activity.introductions_existing),
    )
    console.print(table)
    if vectors is not None and vectors.note:
        err_console.print(
            f"[yellow]提示[/]: 未使用样例语义向量 shipped passage vectors not used: {vectors.note}",
            highlight=False,
        )
    elif vectors is not None:
        console.print(
            f"语义向量 passage vectors: {vectors.shipped} 条随样例提供 shipped, "
            f"{vectors.added} 条新增 added to the vector store",
            highlight=False,
        )
    missing = [name for kind, name in LISTING_FILES.items() if kind not in reports]
    if missing:
        err_console.print(
            f"[yellow]提示[/]: 未找到样例文件 sample files not found in {data_dir}: "
            + ", ".join(missing),
            highlight=False,
        )


def register(app: typer.Typer) -> None:
    """Adds the `sample` command group."""
    app.add_typer(sample_app, name="sample")
