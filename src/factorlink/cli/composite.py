"""Commands: the corridor innovation index (`factorlink index compute`)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import numpy as np
import typer
from rich.table import Table

from factorlink.cli.context import console, err_console, unit_of_work
from factorlink.composite import tables
from factorlink.composite.files import LoadedPipeline, load_pipeline, needs_database
from factorlink.composite.platform import add_platform_indicators
from factorlink.composite.report import write_all
from factorlink.composite.result import Result
from factorlink.composite.run import run_pipeline
from factorlink.errors import FactorLinkError

index_app = typer.Typer(help="创新指数 the composite innovation index.", no_args_is_help=True)


def _load(path: Path) -> LoadedPipeline:
    """Reads the pipeline; opens the database only when it asks for platform indicators."""
    if not needs_database(path):
        return load_pipeline(path)
    with unit_of_work() as session:
        return load_pipeline(path, lambda fw, obs: add_platform_indicators(session, fw, obs))


def _summary(result: Result) -> Table:
    year = tables.latest_year_with_scores(result)
    t = result.panel.years.index(year)
    table = Table(
        "排名 rank", "单位 unit", "得分 score", title=f"{result.framework.index.name} {year}"
    )
    growth = result.growth
    if growth is not None:
        table.add_column(f"较{growth.base_year}年 growth", justify="right")
    rank = np.nan_to_num(result.ranks[t, :, -1], nan=np.inf)
    for i in np.argsort(rank, kind="stable"):
        score = tables.num(result.scores[t, i, -1])
        place = "-" if np.isinf(rank[i]) else str(int(rank[i]))
        cells = [place, result.panel.names[i]]
        cells.append("-" if score is None else f"{score:.2f}")
        if growth is not None:
            change = tables.num(growth.cumulative[t, i, -1], 1)
            cells.append("-" if change is None else f"{change:+.1f}%")
        table.add_row(*cells)
    return table


def compute(
    pipeline: Path = typer.Option(..., "--pipeline", help="The pipeline file (YAML)."),
    out: Path = typer.Option(
        Path("artifacts/index"), "--out", help="Folder for the CSV, .xlsx and HTML outputs."
    ),
) -> None:
    """Computes an index from a pipeline file; writes scores, ranks, growth and a report."""
    loaded = _load(pipeline)
    result = run_pipeline(loaded.spec, loaded.framework, loaded.panel, loaded.name)
    written = write_all(result, out, sample=loaded.sample)
    console.print(_summary(result), highlight=False)
    for file in written.files:
        console.print(f"已写入 wrote {file}", highlight=False)


def _where(item: dict[str, Any]) -> str:
    parts = [str(item.get("file") or "")]
    if item.get("row") is not None:
        parts.append(f"row {item['row']}")
    parts.append(str(item.get("column") or item.get("field") or ""))
    return ", ".join(p for p in parts if p)


def reports_problems(func: Callable[..., None]) -> Callable[..., None]:
    """Prints every problem with its file, row and column in both languages, and exits 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            func(*args, **kwargs)
        except FactorLinkError as exc:
            err_console.print(f"[bold red]错误[/]: {exc.message}", highlight=False)
            if exc.message_en:
                err_console.print(f"[red]error[/]: {exc.message_en}", highlight=False)
            for item in exc.errors[:50]:
                reason = f"{item.get('reason', '')} ({item.get('reason_en', '')})"
                err_console.print(f"  - {_where(item)}: {reason}", highlight=False, markup=False)
            sys.exit(1)

    return wrapper


def register(app: typer.Typer) -> None:
    """Adds the `index` command group."""
    index_app.command("compute")(reports_problems(compute))
    app.add_typer(index_app, name="index")
