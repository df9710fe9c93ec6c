"""Commands: industry news (资讯) — extract one saved page, evaluate the extractor."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import typer
from rich.table import Table

from factorlink.cli.context import console, fail, unit_of_work
from factorlink.config import get_settings
from factorlink.news.collect import Crawler, Limits
from factorlink.news.evaluation.datasets import DatasetError
from factorlink.news.evaluation.run import evaluate
from factorlink.news.extract import ExtractError, extract_page
from factorlink.news.mhtml import MhtmlError
from factorlink.news.service import IngestReport, NewsService
from factorlink.reference.loader import industries_of, region_of

news_app = typer.Typer(
    help="Industry news (资讯): ingest, extract saved pages, evaluate the extractor.",
    no_args_is_help=True,
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


def _print_report(report: IngestReport) -> None:
    table = Table(title=f"新增 {len(report.added)} 篇 added")
    for column in ("编号 id", "报道 story", "日期 date", "标题 title", "城市 cities"):
        table.add_column(column)
    for article in report.added:
        cities = "、".join(t.label for t in article.tags if t.kind == "city")
        table.add_row(
            str(article.id),
            str(article.story_id),
            article.published.isoformat() if article.published else "-",
            article.title,
            cities,
        )
    console.print(table)
    console.print(f"已有未变 unchanged: {len(report.unchanged)}", highlight=False)
    for where, why in report.skipped:
        console.print(f"跳过 skipped: {where}: {why}", highlight=False)


@news_app.command("ingest")
def ingest(
    sources: list[str] = typer.Argument(
        ..., help="Folders or files of saved pages; addresses of feeds, sitemaps or list pages."
    ),
    allow: list[str] = typer.Option(
        [], "--allow", help="A host to collect from besides FACTORLINK_NEWS_HOSTS (repeatable)."
    ),
    max_pages: int | None = typer.Option(
        None,
        "--max-pages",
        min=1,
        help="Pages to fetch at most (default FACTORLINK_NEWS_MAX_PAGES).",
    ),
) -> None:
    """Stores the articles of saved pages or of allow-listed sites once each, joins copies
    into stories and tags them; prints what was added, what was unchanged, what was skipped."""
    settings = get_settings()
    urls = [s for s in sources if s.startswith(("http://", "https://"))]
    paths = [Path(s) for s in sources if s not in urls]
    hosts = {h for h in settings.news_hosts.split(",") if h.strip()} | set(allow)
    limits = Limits(
        max_pages=max_pages or settings.news_max_pages,
        max_page_bytes=settings.news_max_page_bytes,
        min_interval=settings.news_rate_seconds,
    )
    with unit_of_work() as session:
        service = NewsService(
            session, region_of(settings), industries_of(settings), settings.news_max_page_bytes
        )
        report = service.ingest_paths(paths)
        if urls:
            with httpx.Client(timeout=limits.timeout, follow_redirects=False) as client:
                crawler = Crawler(client, hosts, limits, service.repository.validators)
                fetched = service.ingest_urls(urls, crawler)
            report.added += fetched.added
            report.unchanged += fetched.unchanged
            report.skipped += fetched.skipped
        _print_report(report)


@news_app.command("relink")
def relink() -> None:
    """Links every stored article again to the listings and organisations it is about (after
    listings were imported or changed)."""
    settings = get_settings()
    with unit_of_work() as session:
        service = NewsService(session, region_of(settings), industries_of(settings))
        count = service.relink()
    console.print(f"已重新关联 relinked: {count}", highlight=False)
