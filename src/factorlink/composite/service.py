"""The index for the web interface: the active pipeline, computed once per file version.

The active pipeline is an operator's upload (`install_data`, kept in the data directory)
if there is one, else `FACTORLINK_INDEX_PIPELINE`, else the packaged sample. Open to every
viewer: the index holds aggregates only, no personal data.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any

from sqlalchemy.orm import Session

from factorlink.auth.viewer import Viewer
from factorlink.composite import report, tables
from factorlink.composite.files import PACKAGE_DATA, LoadedPipeline, load_pipeline, read_yaml
from factorlink.composite.framework import Aggregate, Framework, Indicator
from factorlink.composite.result import Result
from factorlink.composite.run import run_pipeline
from factorlink.composite.schemas import (
    DimensionOut,
    FrameworkOut,
    IndicatorOut,
    IndicatorValueOut,
    IntervalOut,
    OverallOut,
    ProfileYearOut,
    ScoreOut,
    UnitProfileOut,
    UnitResultOut,
    YearResultsOut,
)
from factorlink.config import Settings, current_settings
from factorlink.errors import InvalidInput, NotFound, PermissionDenied
from factorlink.kit.filters import filter_error, resolve_city
from factorlink.kit.table import CellError

DEFAULT_PIPELINE = PACKAGE_DATA / "pipeline.yaml"


# An operator's upload: data/<version>/ holds the file and its pipeline; ACTIVE names the
# version in use (replaced in one step, so a reader sees the old version or the new one).
UPLOADS = "composite"
ACTIVE = "ACTIVE"
UPLOAD_FORMATS = ("csv", "xlsx")


@lru_cache(maxsize=4)
def _computed(path: Path, mtime: float) -> tuple[LoadedPipeline, Result]:
    loaded = load_pipeline(path)
    return loaded, run_pipeline(loaded.spec, loaded.framework, loaded.panel, loaded.name)


def computed(path: Path = DEFAULT_PIPELINE) -> tuple[LoadedPipeline, Result]:
    """The pipeline's result, recomputed only when the file changes."""
    return _computed(path, path.stat().st_mtime)


@lru_cache(maxsize=16)
def _download(path: Path, mtime: float, name: str) -> bytes:
    _, result = _computed(path, mtime)
    if name == "index.xlsx":
        return report.xlsx_bytes(result)
    return report.csv_bytes(result, name.removesuffix(".csv"))


def download(path: Path, name: str) -> bytes:
    """A download of the pipeline's result (index.xlsx or <table>.csv), built once per file
    version: a workbook takes most of a second to write."""
    return _download(path, path.stat().st_mtime, name)


def uploads_dir(settings: Settings) -> Path:
    """Where operators' index data files are kept."""
    return settings.data_dir / UPLOADS


@dataclass(frozen=True)
class Upload:
    """The operator's data file in use: its name, when and by whom it was uploaded."""

    pipeline: Path
    file: str
    uploaded_at: str
    by_user_id: int | None


def active_upload(settings: Settings) -> Upload | None:
    """The upload in use, if any."""
    base = uploads_dir(settings)
    try:
        version = (base / ACTIVE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    folder = base / version
    pipeline = folder / "pipeline.yaml"
    if not version or "/" in version or not pipeline.is_file():
        return None
    meta = json.loads((folder / "upload.json").read_text(encoding="utf-8"))
    return Upload(pipeline, str(meta["file"]), str(meta["uploaded_at"]), meta.get("by"))


def active_pipeline(settings: Settings | None = None) -> Path:
    """The pipeline the web and API show: an upload, else the setting, else the sample."""
    settings = settings or current_settings()
    upload = active_upload(settings)
    if upload is not None:
        return upload.pipeline
    return settings.index_pipeline or DEFAULT_PIPELINE


def _refuse_upload(name: str, reason: str, reason_en: str) -> InvalidInput:
    return InvalidInput(
        f"“{name}”:{reason}",
        message_en=f"{name}: {reason_en}",
        errors=[{"file": name, "field": "file", "reason": reason, "reason_en": reason_en}],
    )


def install_data(settings: Settings, viewer: Viewer, name: str, data: bytes) -> LoadedPipeline:
    """Makes an operator's data file (the sample's layout: 城市, 年份, one column per indicator
    code) the index's data: checked by computing the whole index first, then switched to in
    one step. A file that fails leaves the index as it was."""
    _require_staff(viewer)
    name = PurePath(name).name or "data.csv"
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix not in UPLOAD_FORMATS:
        raise _refuse_upload(name, "文件格式应为.xlsx或.csv", "the file must be .xlsx or .csv")
    base = uploads_dir(settings)
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(4)
    folder = base / version
    folder.mkdir(parents=True)
    try:
        (folder / f"data.{suffix}").write_bytes(data)
        config: dict[str, Any] = dict(read_yaml(DEFAULT_PIPELINE))
        config["name"] = "长三角G60科创走廊创新指数"
        config["sample"] = False
        config["data"] = {"path": f"data.{suffix}", "ignore": ["备注"]}
        text = "# 运营人员上传的指数数据 — index data uploaded by an operator.\n"
        text += json.dumps(config, ensure_ascii=False, indent=2)  # JSON is YAML
        (folder / "pipeline.yaml").write_text(text, encoding="utf-8")
        try:
            loaded, _ = computed(folder / "pipeline.yaml")
        except InvalidInput as exc:
            items = exc.errors or []
            reasons = [_where(e) + str(e.get("reason", "")) for e in items] or [exc.message]
            reasons_en = [_where_en(e) + str(e.get("reason_en", "")) for e in items] or [
                exc.message_en or exc.message
            ]
            raise _refuse_upload(name, ";".join(reasons), "; ".join(reasons_en)) from None
        meta = {
            "file": name,
            "uploaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "by": viewer.user_id,
        }
        (folder / "upload.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
        pointer = base / f".{ACTIVE}.{version}"
        pointer.write_text(version, encoding="utf-8")
        os.replace(pointer, base / ACTIVE)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _remove_others(base, keep=version)
    return loaded


def _where(item: dict[str, Any]) -> str:
    parts = []
    if item.get("row") is not None:
        parts.append(f"第{item['row']}行")
    if item.get("column"):
        parts.append(f"“{item['column']}”列")
    return ",".join(parts) + ":" if parts else ""


def _where_en(item: dict[str, Any]) -> str:
    parts = []
    if item.get("row") is not None:
        parts.append(f"row {item['row']}")
    if item.get("column"):
        parts.append(f"column {item['column']}")
    return ", ".join(parts) + ": " if parts else ""


def remove_data(settings: Settings, viewer: Viewer) -> None:
    """Goes back from an upload to the setting's pipeline (or the sample)."""
    _require_staff(viewer)
    base = uploads_dir(settings)
    (base / ACTIVE).unlink(missing_ok=True)
    _remove_others(base, keep=None)


def _remove_others(base: Path, keep: str | None) -> None:
    for child in base.iterdir():
        if child.is_dir() and child.name != keep:
            shutil.rmtree(child, ignore_errors=True)


def may_change_data(viewer: Viewer) -> bool:
    """The index covers the whole corridor: an admin, or an operator not limited to some
    cities, may change its data; an operator of some cities may not."""
    return viewer.is_admin or (viewer.is_operator and not viewer.city_scope)


def _require_staff(viewer: Viewer) -> None:
    if not may_change_data(viewer):
        raise PermissionDenied(
            "指数覆盖全走廊,仅管理员或不限城市的运营人员可更换指数数据",
            message_en="The index covers the whole corridor: only admins and operators of "
            "every city may change its data",
        )


def _indicator(i: Indicator) -> IndicatorOut:
    return IndicatorOut(
        code=i.code,
        name=i.name,
        name_en=i.name_en,
        direction=i.direction,
        weight=i.weight,
        unit=i.unit,
        denominator=i.denominator,
        source=i.source,
    )


def _dimension(fw: Framework, node: Aggregate) -> DimensionOut:
    aggregates = {a.code: a for a in fw.aggregates}
    indicators = {i.code: i for i in fw.indicators}
    return DimensionOut(
        code=node.code,
        name=node.name,
        name_en=node.name_en,
        weight=node.weight,
        dimensions=[_dimension(fw, aggregates[c]) for c in node.children if c in aggregates],
        indicators=[_indicator(indicators[c]) for c in node.children if c in indicators],
    )


class IndexService:
    """Frameworks, yearly results and unit profiles of the corridor innovation index."""

    def __init__(self, session: Session, viewer: Viewer, pipeline: Path | None = None) -> None:
        self.session = session
        self.viewer = viewer
        self.pipeline = pipeline or active_pipeline()

    def computed(self) -> tuple[LoadedPipeline, Result]:
        """The loaded pipeline and its result."""
        return computed(self.pipeline)

    def download(self, name: str) -> bytes:
        """index.xlsx, or one table as CSV (`report.TABLES`)."""
        return download(self.pipeline, name)

    def frameworks(self) -> list[FrameworkOut]:
        """The frameworks the platform computes (today: the corridor index)."""
        loaded, result = computed(self.pipeline)
        fw = loaded.framework
        return [
            FrameworkOut(
                code=fw.code,
                name=fw.name,
                name_en=fw.name_en,
                pipeline=loaded.name,
                sample=loaded.sample,
                years=list(loaded.panel.years),
                base_year=result.growth.base_year if result.growth else None,
                dimensions=[_dimension(fw, d) for d in fw.dimensions],
            )
        ]

    def _year(self, result: Result, year: int | None) -> int:
        if year is None:
            return tables.latest_year_with_scores(result)
        if year not in result.panel.years:
            raise NotFound(
                f"指数没有{year}年的结果", message_en=f"the index has no results for {year}"
            )
        return year

    def _score(self, result: Result, t: int, u: int, node: Aggregate) -> ScoreOut:
        k = result.framework.aggregates.index(node)
        g = result.growth
        return ScoreOut(
            code=node.code,
            name=node.name,
            score=tables.num(result.scores[t, u, k]),
            rank=tables.whole(result.ranks[t, u, k]),
            growth_percent=None if g is None else tables.num(g.cumulative[t, u, k], 1),
            cagr_percent=None if g is None else tables.num(g.cagr[t, u, k], 1),
        )

    def _unit(self, result: Result, t: int, u: int) -> UnitResultOut:
        fw = result.framework
        return UnitResultOut(
            unit=result.panel.units[u],
            name=result.panel.names[u],
            index=self._score(result, t, u, fw.index),
            dimensions=[self._score(result, t, u, d) for d in fw.dimensions],
        )

    def results(self, year: int | None = None) -> YearResultsOut:
        """Every unit's index and dimension scores in a year (the latest by default), best first."""
        loaded, result = computed(self.pipeline)
        year = self._year(result, year)
        t = result.panel.years.index(year)
        units = [self._unit(result, t, u) for u in range(len(result.panel.units))]
        units.sort(key=lambda r: (r.index.rank is None, r.index.rank or 0))
        return YearResultsOut(
            framework=result.framework.code,
            year=year,
            years=list(result.panel.years),
            base_year=result.growth.base_year if result.growth else None,
            sample=loaded.sample,
            units=units,
            overall=self._overall(result, t),
        )

    def _overall(self, result: Result, t: int) -> list[OverallOut]:
        g = result.growth
        if g is None:
            return []
        fw = result.framework
        return [
            OverallOut(
                code=node.code,
                name=node.name,
                score=tables.num(g.overall[t, k]),
                growth_percent=tables.num(g.overall_cumulative[t, k], 1),
                cagr_percent=tables.num(g.overall_cagr[t, k], 1),
            )
            for k, node in enumerate(fw.aggregates)
            if fw.level(node.code) <= 1
        ]

    def profile(self, city: str) -> UnitProfileOut:
        """A city's scores and ranks over the years, its rank interval and latest indicators."""
        loaded, result = computed(self.pipeline)
        u = self._unit_index(result, city)
        fw, panel = result.framework, result.panel
        year = tables.latest_year_with_scores(result)
        t = panel.years.index(year)
        return UnitProfileOut(
            framework=fw.code,
            unit=panel.units[u],
            name=panel.names[u],
            sample=loaded.sample,
            years=[
                ProfileYearOut(
                    year=y,
                    index=self._score(result, i, u, fw.index),
                    dimensions=[self._score(result, i, u, d) for d in fw.dimensions],
                )
                for i, y in enumerate(panel.years)
            ],
            interval=self._interval(result, u),
            indicators_year=year,
            indicators=[
                IndicatorValueOut(
                    code=ind.code,
                    name=ind.name,
                    unit=ind.unit,
                    raw=tables.num(panel.values[t, u, m], 4),
                    value=tables.num(result.treated[t, u, m], 4),
                    normalised=tables.num(result.normalised[t, u, m]),
                )
                for m, ind in enumerate(fw.indicators)
            ],
        )

    def _unit_index(self, result: Result, city: str) -> int:
        if city in result.panel.units:  # a unit's own code (a city's, or another index's)
            return result.panel.units.index(city)
        errors: list[CellError] = []
        code = resolve_city(city, errors)
        if errors:
            raise filter_error(errors)
        if code not in result.panel.units:
            raise NotFound(f"指数中没有城市“{city}”", message_en=f"the index has no city {city!r}")
        return result.panel.units.index(code)

    @staticmethod
    def _interval(result: Result, u: int) -> IntervalOut | None:
        unc = result.uncertainty
        if unc is None or result.uncertainty_year is None:
            return None
        return IntervalOut(
            year=result.uncertainty_year,
            runs=unc.runs,
            nominal=tables.whole(unc.nominal[u]),
            median=tables.num(unc.median[u], 1),
            low=tables.num(unc.low[u], 1),
            high=tables.num(unc.high[u], 1),
        )
