"""Commands: import, export and template."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import rich.progress
import typer
from rich.table import Table as RichTable

from factorlink.cli.context import SYSTEM_VIEWER, console, fail, reports_errors, unit_of_work
from factorlink.config import get_settings
from factorlink.imports.kinds import ImportKind, spec_of
from factorlink.imports.readers import (
    FORMATS,
    ImportLimits,
    Table,
    limits_of,
    read_table,
    too_large,
)
from factorlink.imports.report import ImportRejected, ImportReport
from factorlink.imports.service import ImportService, Progress
from factorlink.imports.template import template_file
from factorlink.imports.writers import export_file, rejected_file

# Below this many rows an import is over before a bar would be worth drawing.
PROGRESS_MIN_ROWS = 500
MAX_SHOWN_ERRORS = 200

KIND_OPTION = typer.Option(..., "--kind", help="What the file lists.")


class ExportFormat(enum.StrEnum):
    """The formats an export may be written in."""

    xlsx = "xlsx"
    csv = "csv"
    jsonl = "jsonl"


def default_rejected_path(path: Path) -> Path:
    """NAME.rejected.EXT beside the input, in the input's format."""
    return path.with_name(f"{path.stem}.rejected{path.suffix}")


def rejected_format(path: Path) -> str:
    """The format a rejected-rows file is written in: the one its suffix names."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise fail(
            f"无法写入{path}:未导入行文件的扩展名须为.xlsx、.csv、.json或.jsonl",
            f"cannot write {path}: a rejected-rows file must end in .xlsx, .csv, .json or .jsonl",
        )
    return fmt


def _read(path: Path, limits: ImportLimits, max_bytes: int) -> Table:
    if not path.is_file():
        raise fail(f"文件不存在:{path}", f"no such file: {path}")
    if path.stat().st_size > max_bytes:
        raise too_large(path.name, max_bytes)
    return read_table(path.name, path.read_bytes(), limits)


@contextmanager
def _progress(rows: int) -> Iterator[Progress | None]:
    if rows < PROGRESS_MIN_ROWS or not console.is_terminal:
        yield None
        return
    bar = rich.progress.Progress(
        rich.progress.TextColumn("{task.description}"),
        rich.progress.BarColumn(),
        rich.progress.TaskProgressColumn(),
        rich.progress.TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    with bar:
        task = bar.add_task(f"导入{rows}行 importing", total=2 * rows)
        yield lambda n: bar.advance(task, n)


@reports_errors
def import_command(
    file: Path = typer.Argument(..., help="An .xlsx, .csv, .json or .jsonl file."),
    kind: ImportKind = KIND_OPTION,
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Load the valid rows; write the rejected ones to a file."
    ),
    rejected: Path | None = typer.Option(
        None,
        "--rejected",
        help="Where to write rejected rows (default NAME.rejected.EXT), in the format its "
        "suffix names: .xlsx, .csv, .json or .jsonl.",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and count; write nothing."),
) -> None:
    """Imports listings from a file: all-or-nothing unless --skip-invalid is given."""
    target = rejected or default_rejected_path(file)
    fmt = rejected_format(target)  # refused before anything is read or written
    settings = get_settings()
    limits = limits_of(settings)
    table = _read(file, limits, settings.import_max_bytes)
    try:
        with unit_of_work() as session, _progress(len(table.rows)) as advance:
            report = ImportService(session, SYSTEM_VIEWER, limits).run(
                kind, table, skip_invalid=skip_invalid, dry_run=dry_run, progress=advance
            )
            if report.rejected and not dry_run:
                # Written before the commit: if it cannot be written, nothing is loaded.
                _write(target, rejected_file(report, fmt))
                report.rejected_file = str(target)
    except ImportRejected as exc:
        print_report(exc.report)
        raise typer.Exit(code=1) from None
    print_report(report)


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise fail(
            f"无法写入{path}:{exc.strerror}", f"cannot write {path}: {exc.strerror}"
        ) from None


def print_report(report: ImportReport) -> None:
    """Prints the counts, the warnings and every error of an import."""
    label = spec_of(ImportKind(report.kind)).label
    if report.failed:
        console.print(
            f"[bold red]导入失败[/]:{report.rejected}行有误,未写入任何数据 "
            f"(import rejected: {report.rejected} invalid row(s), nothing written)",
            highlight=False,
        )
    else:
        prefix = "[试运行,未写入] " if report.dry_run else ""
        console.print(
            f"{prefix}{label} {report.file}: 新增 {report.created} · 更新 {report.updated} · "
            f"未变 {report.unchanged} · 未导入 {report.rejected} "
            f"(created/updated/unchanged/rejected)",
            highlight=False,
        )
    for notice in report.warnings:
        console.print(f"[yellow]提示[/]: {notice.reason} ({notice.reason_en})", highlight=False)
    if report.errors:
        console.print(_errors_table(report), highlight=False)
    omitted = report.omitted()
    if omitted is not None:
        console.print(f"[yellow]提示[/]: {omitted.reason} ({omitted.reason_en})", highlight=False)
    if report.rejected_file:
        console.print(f"未导入的行已写入 rejected rows written to: {report.rejected_file}")


def _errors_table(report: ImportReport) -> RichTable:
    table = RichTable(title=f"错误 errors — {report.file}", show_lines=False)
    for header in ("行 row", "列 column", "值 value", "原因", "reason"):
        table.add_column(header, overflow="fold")
    for error in report.errors[:MAX_SHOWN_ERRORS]:
        table.add_row(
            str(error.row or ""), error.column or "", error.value, error.reason, error.reason_en
        )
    hidden = len(report.errors) - MAX_SHOWN_ERRORS
    if hidden > 0:
        table.caption = f"另有{hidden}条错误未显示 ({hidden} more errors not shown)"
    return table


@reports_errors
def export_command(
    kind: ImportKind = KIND_OPTION,
    fmt: ExportFormat = typer.Option(ExportFormat.xlsx, "--format", help="xlsx, csv or jsonl."),
    out: Path | None = typer.Option(None, "--out", help="Output file (default KIND.FORMAT)."),
) -> None:
    """Exports every listing of a kind with the import headers, so it re-imports unchanged."""
    with unit_of_work() as session:
        records = ImportService(session, SYSTEM_VIEWER).export(kind)
    target = out or Path(f"{kind.value}.{fmt.value}")
    _write(target, export_file(spec_of(kind), records, fmt.value))
    console.print(f"已导出{len(records)}条 exported {len(records)} row(s) to {target}")


@reports_errors
def template_command(
    kind: ImportKind = KIND_OPTION,
    out: Path | None = typer.Option(
        None, "--out", help="Output file (default KIND-template.xlsx)."
    ),
) -> None:
    """Writes the .xlsx import template of a kind: headers, an example row, a column guide."""
    target = out or Path(f"{kind.value}-template.xlsx")
    _write(target, template_file(spec_of(kind)))
    console.print(f"模板已写入 template written to {target}")


def register(app: typer.Typer) -> None:
    """Adds the import, export and template commands."""
    app.command("import")(import_command)
    app.command("export")(export_command)
    app.command("template")(template_command)
