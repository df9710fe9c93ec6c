"""Commands: industry news (资讯) — extract one saved page, evaluate the extractor."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from factorlink.cli.context import console, fail
from factorlink.news.evaluation.datasets import DatasetError
from factorlink.news.evaluation.run import evaluate
from factorlink.news.extract import ExtractError, extract_page
from factorlink.news.mhtml import MhtmlError

news_app = typer.Typer(
    help="Industry news (资讯): extract saved pages, evaluate the extractor.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Adds the `news` command group."""
    app.add_typer(news_app, name="news")


@news_app.command("extract")
def extract(
    file: Path = typer.Argument(
        ..., help="A saved page: .html, .htm, .mhtml or the spider's .txt."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Prints the title, date, source, author and main text read from one saved page."""
    if not file.is_file():
        raise fail(f"文件不存在:{file}", f"no such file: {file}")
    try:
        article = extract_page(file.name, file.read_bytes())
    except ExtractError as exc:
        raise fail(exc.message, exc.message_en) from None
    except MhtmlError as exc:
        raise fail(
            f"{file}: 无法读取 MHTML 文件({exc})", f"{file}: cannot read the MHTML ({exc})"
        ) from None
    if as_json:
        typer.echo(json.dumps(article.as_json(), ensure_ascii=False, indent=2))
        return
    table = Table(show_header=False)
    table.add_column("字段 field")
    table.add_column("值 value")
    table.add_row("标题 title", article.title)
    table.add_row("日期 date", article.date.isoformat() if article.date else "-")
    table.add_row("来源 source", article.source or "-")
    table.add_row("作者 author", article.author or "-")
    if article.related:
        table.add_row("相关文章 related", "\n".join(article.related))
    console.print(table)
    console.print(article.body, highlight=False)


@news_app.command("eval")
def evaluate_command(
    folder: Path = typer.Argument(
        ..., help="A data set: cwced (original/ cleaned/ date/) or magic-html (html/ truth.jsonl)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Mean and median body F1 (character bigrams), date accuracy and pages per second."""
    try:
        result = evaluate(folder)
    except DatasetError as exc:
        raise fail(exc.message, exc.message_en) from None
    summary = result.summary
    if as_json:
        payload = {
            "pages": summary.pages,
            "f1_mean": round(summary.f1_mean, 4),
            "f1_median": round(summary.f1_median, 4),
            "date_accuracy": (
                round(summary.date_accuracy, 4) if summary.date_accuracy is not None else None
            ),
        }
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    table = Table(title=f"正文与日期抽取评测 extraction on {folder}")
    for column in ("页数 pages", "F1 均值 mean", "F1 中位数 median", "日期准确率 date accuracy",
                   "有日期页 dated pages", "页/秒 pages/s"):  # fmt: skip
        table.add_column(column)

    def share(value: float | None) -> str:
        return f"{value:.1%}" if value is not None else "-"

    table.add_row(
        str(summary.pages),
        f"{summary.f1_mean:.4f}",
        f"{summary.f1_median:.4f}",
        share(summary.date_accuracy),
        f"{share(summary.dated_accuracy)} of {summary.dated_pages}",
        f"{result.pages_per_second:.1f}",
    )
    console.print(table)
