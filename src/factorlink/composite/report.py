"""Writes a computed index: CSV files, one .xlsx workbook and a self-contained HTML report.

The HTML inlines ECharts (installed by `make assets`) and its data, so it opens offline.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from openpyxl import Workbook

from factorlink.composite import tables
from factorlink.composite.result import Result
from factorlink.kit.formulas import csv_cell, xlsx_cells

ECHARTS = (
    Path(__file__).resolve().parents[1] / "web" / "static" / "vendor" / "echarts" / "echarts.min.js"
)
_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(["html", "j2"]),
)


@dataclass(frozen=True)
class Written:
    """The files one export wrote."""

    files: tuple[Path, ...]


def _sheets(result: Result) -> list[tuple[str, str, Sequence[str], list[tuple[Any, ...]]]]:
    return [
        ("scores", "得分与排名", tables.SCORE_HEADERS, list(tables.score_rows(result))),
        ("growth", "增长", tables.GROWTH_HEADERS, list(tables.growth_rows(result))),
        (
            "uncertainty",
            "排名区间",
            tables.UNCERTAINTY_HEADERS,
            list(tables.uncertainty_rows(result)),
        ),
        ("indicators", "指标", tables.INDICATOR_HEADERS, list(tables.indicator_rows(result))),
    ]


def _csv(path: Path, headers: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    # UTF-8 with BOM: Excel in China opens it without garbling the Chinese headers.
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([csv_cell(h) for h in headers])
        writer.writerows([csv_cell("" if v is None else v) for v in row] for row in rows)


def _xlsx(
    path: Path | io.BytesIO, sheets: list[tuple[str, str, Sequence[str], list[tuple[Any, ...]]]]
) -> None:
    book = Workbook(write_only=True)
    for _, title, headers, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(xlsx_cells(sheet, headers))
        for row in rows:
            sheet.append(xlsx_cells(sheet, row))
    book.save(path)


# The tables a download may name (/index/download/<name>.csv), as the CSV files are named.
TABLES = ("scores", "growth", "uncertainty", "indicators")


def csv_bytes(result: Result, name: str) -> bytes:
    """One table as a CSV file (UTF-8 with BOM), as `write_all` writes it."""
    for table, _, headers, rows in _sheets(result):
        if table == name:
            buffer = io.StringIO(newline="")
            writer = csv.writer(buffer)
            writer.writerow([csv_cell(h) for h in headers])
            writer.writerows([csv_cell("" if v is None else v) for v in row] for row in rows)
            return buffer.getvalue().encode("utf-8-sig")
    raise KeyError(name)


def xlsx_bytes(result: Result) -> bytes:
    """Every table as one workbook, as `write_all` writes index.xlsx."""
    buffer = io.BytesIO()
    _xlsx(buffer, [s for s in _sheets(result) if s[3]])
    return buffer.getvalue()


def write_all(result: Result, out: Path, *, sample: bool = False) -> Written:
    """Writes scores/growth/uncertainty/indicators as CSV, index.xlsx and index.html into out."""
    out.mkdir(parents=True, exist_ok=True)
    sheets = _sheets(result)
    files = []
    for name, _, headers, rows in sheets:
        if rows:
            _csv(out / f"{name}.csv", headers, rows)
            files.append(out / f"{name}.csv")
    _xlsx(out / "index.xlsx", [s for s in sheets if s[3]])
    html = out / "index.html"
    html.write_text(render_html(result, sample=sample), encoding="utf-8")
    return Written((*files, out / "index.xlsx", html))


def _script_json(data: Any) -> Markup:
    # Inside <script>, "</" or "<!--" would change how the element parses: no "<" at all.
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return Markup(text)


def _echarts() -> Markup | None:
    if not ECHARTS.is_file():
        return None
    return Markup(ECHARTS.read_text(encoding="utf-8").replace("</script", "<\\/script"))


def _growth(result: Result, last: int) -> dict[str, Any] | None:
    g = result.growth
    if g is None:
        return None
    base = result.panel.years.index(g.base_year)
    rows = [
        {
            "name": node.name,
            "base": tables.num(g.overall[base, k]),
            "last": tables.num(g.overall[last, k]),
            "cumulative": _percent(g.overall_cumulative[last, k]),
            "cagr": _percent(g.overall_cagr[last, k]),
        }
        for k, node in enumerate(result.framework.aggregates)
        if result.framework.level(node.code) <= 1
    ]
    return {"base_year": g.base_year, "rows": rows}


def _percent(value: float) -> str:
    number = tables.num(value, 1)
    return "–" if number is None else f"{number:+.1f}%"


def chart_data(result: Result, year: int) -> dict[str, Any]:
    """What the charts draw: trends, the year's dimension scores, rank intervals."""
    fw, panel = result.framework, result.panel
    t = panel.years.index(year)
    dims = [fw.position(d.code) - len(fw.indicators) for d in fw.dimensions]
    u = result.uncertainty
    return {
        "years": list(panel.years),
        "names": list(panel.names),
        "index_name": fw.index.name,
        "dimensions": [d.name for d in fw.dimensions],
        "trend": [
            [tables.num(v) for v in result.scores[:, i, -1]] for i in range(len(panel.units))
        ],
        "latest": [
            [tables.num(result.scores[t, i, k]) for k in dims] for i in range(len(panel.units))
        ],
        "uncertainty": None
        if u is None
        else {
            "low": [tables.num(v, 1) for v in u.low],
            "high": [tables.num(v, 1) for v in u.high],
            "median": [tables.num(v, 1) for v in u.median],
            "nominal": [tables.whole(v) for v in u.nominal],
        },
    }


def render_html(result: Result, *, sample: bool = False) -> str:
    """The report as one HTML document with ECharts and the data inlined."""
    fw, panel = result.framework, result.panel
    year = tables.latest_year_with_scores(result)
    t = panel.years.index(year)
    dims = [fw.position(d.code) - len(fw.indicators) for d in fw.dimensions]
    table = [
        {
            "name": panel.names[i],
            "scores": [tables.num(result.scores[t, i, k]) for k in (*dims, -1)],
            "rank": tables.whole(result.ranks[t, i, -1]),
        }
        for i in range(len(panel.units))
    ]
    table.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0))
    u = result.uncertainty
    return _TEMPLATES.get_template("report.html.j2").render(
        title=result.name,
        framework=fw.name,
        years=panel.years,
        units=panel.units,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        sample=sample,
        echarts=_echarts(),
        growth=_growth(result, t),
        latest=year,
        columns=[d.name for d in fw.dimensions] + [fw.index.name],
        table=table,
        uncertainty=None if u is None else {"year": result.uncertainty_year, "runs": u.runs},
        data=_script_json(chart_data(result, year)),
    )
