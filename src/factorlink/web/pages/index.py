"""The innovation index in the web: the ranking per year with each dimension, a page per city
(radar, trend, rank with its uncertainty interval), the framework and methodology, downloads
(.xlsx, .csv), and the operator's page that points the index at real data (/index/data)."""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated, Any
from urllib.parse import quote

import numpy as np
from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from factorlink.api.deps import AppSettings, DbSession
from factorlink.api.limits import needs_login, takes_upload
from factorlink.composite import report, tables
from factorlink.composite.files import LoadedPipeline
from factorlink.composite.result import Result
from factorlink.composite.service import (
    DEFAULT_PIPELINE,
    IndexService,
    active_upload,
    install_data,
    may_change_data,
    remove_data,
)
from factorlink.composite.spec import NormaliseChoice, PipelineSpec
from factorlink.config import Settings
from factorlink.errors import FactorLinkError, InvalidInput, NotFound
from factorlink.imports.readers import too_large
from factorlink.web.context import Web
from factorlink.web.forms import CheckedForm, field_errors
from factorlink.web.i18n import register
from factorlink.web.pages.workspace import require_staff
from factorlink.web.render import render

router = APIRouter(prefix="/index")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_LABELS = {
    "scores": "得分与排名",
    "growth": "增长",
    "uncertainty": "排名区间",
    "indicators": "指标",
}


def _common(loaded: LoadedPipeline, result: Result) -> dict[str, Any]:
    return {
        "name": loaded.name,
        "sample": loaded.sample,
        "framework": result.framework,
        "downloads": [(f"{n}.csv", TABLE_LABELS[n]) for n in report.TABLES],
    }


def _years_with_scores(result: Result) -> list[int]:
    latest = tables.latest_year_with_scores(result)
    return [y for y in result.panel.years if y <= latest]


@router.get("")
def ranking(
    web: Web,
    session: DbSession,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> Response:
    """Every unit's index and dimension scores in a year (the latest by default), best first."""
    service = IndexService(session, web.viewer)
    loaded, result = service.computed()
    results = service.results(year)
    chart = {
        "names": [u.name for u in results.units],
        "scores": [u.index.score for u in results.units],
        "dimensions": [d.name for d in result.framework.dimensions],
        "by_dimension": [[d.score for d in u.dimensions] for u in results.units],
        "index_name": result.framework.index.name,
    }
    return render(
        web,
        "index/ranking.html",
        results=results,
        years=_years_with_scores(result),
        chart=chart,
        **_common(loaded, result),
    )


@router.get("/cities/{unit}")
def city(
    web: Web,
    session: DbSession,
    unit: Annotated[str, PathParam(max_length=50)],
) -> Response:
    """One unit: radar of its dimensions against the average, trend, rank and its interval."""
    service = IndexService(session, web.viewer)
    loaded, result = service.computed()
    profile = service.profile(unit)
    if profile.unit != unit:  # 松江 or 上海市松江区: one address per city
        return RedirectResponse(f"/index/cities/{quote(profile.unit)}", status_code=308)
    latest = next(y for y in profile.years if y.year == profile.indicators_year)
    t = result.panel.years.index(latest.year)
    dims = [
        result.framework.position(d.code) - len(result.framework.indicators)
        for d in result.framework.dimensions
    ]
    average = [tables.num(_mean(result.scores[t, :, k])) for k in dims]
    chart = {
        "dimensions": [d.name for d in result.framework.dimensions],
        "unit": profile.name,
        "values": [d.score for d in latest.dimensions],
        "average": average,
        "average_name": web.t("全部单位平均"),
        "years": [y.year for y in profile.years],
        "trend": [y.index.score for y in profile.years],
        "ranks": [y.index.rank for y in profile.years],
        "index_name": result.framework.index.name,
        "units": len(result.panel.units),
    }
    return render(
        web,
        "index/city.html",
        profile=profile,
        latest=latest,
        chart=chart,
        units=len(result.panel.units),
        **_common(loaded, result),
    )


def _mean(values: Any) -> float:
    kept = values[~np.isnan(values)]
    return float(kept.mean()) if kept.size else float("nan")


def _normalise_text(choice: NormaliseChoice) -> tuple[str, str]:
    spec = choice.spec
    if spec.method == "distance_to_reference":
        year = choice.reference_year
        return (
            f"以{year}年各单位平均值为100,计算各指标相对水平(各年同一尺度,指数随指标增长而增长)",
            f"each indicator relative to the units' mean in {year} (= 100), every year on one "
            "scale, so the index grows as the indicators do",
        )
    if spec.method == "minmax":
        return (
            f"最小—最大标准化到{spec.low:g}–{spec.high:g}",
            f"min-max scaled to {spec.low:g}–{spec.high:g}",
        )
    if spec.method == "rank":
        return ("按排名标准化", "ranks")
    return (f"标准化方法:{spec.method}", f"normalised: {spec.method}")


def method_steps(spec: PipelineSpec) -> list[tuple[str, str]]:
    """The pipeline's steps in words (Chinese, English), in the order they run."""
    steps: list[tuple[str, str]] = []
    for name, options in spec.pre:
        if name == "denominate":
            steps.append(
                (
                    "按框架指定的规模指标(常住人口、地区生产总值等)折算为人均或地均值",
                    "divide by the size measure the framework names (population, GDP, …)",
                )
            )
        elif name == "impute":
            method = getattr(options, "method", "")
            if method == "previous_year":
                steps.append(("缺失值取该单位上一年的值", "a gap takes the unit's previous year"))
            else:
                steps.append((f"缺失值补齐:{method}", f"gaps imputed: {method}"))
        elif name == "screen":
            share = float(options)
            steps.append(
                (
                    f"数据完整度低于{share:.0%}的单位不参与排名",
                    f"units with less than {share:.0%} of the data are not ranked",
                )
            )
        elif name == "treat":
            steps.append(
                (
                    "极端值处理:偏度或峰度过大的指标逐点缩尾,仍不满足时取对数",
                    "outliers: winsorised point by point where skew or kurtosis is too high, "
                    "else logged",
                )
            )
    steps.append(_normalise_text(spec.normalise))
    method = spec.aggregate.method
    steps.append(
        (
            ("加权算术平均" if method == "arithmetic" else "加权几何平均")
            + "逐级合成:指标 → 维度 → 总指数,权重见上表",
            f"weighted {method} mean up the levels: indicators → dimensions → index, "
            "weights as listed above",
        )
    )
    if spec.growth_base is not None:
        steps.append(
            (
                f"增长率以{spec.growth_base}年为基期(累计增长与年均增长)",
                f"growth against {spec.growth_base} (cumulative and compound annual)",
            )
        )
    sens = spec.sensitivity
    if sens is not None:
        alternatives = [_normalise_text(c)[0] for c in sens.normalise]
        alternatives_en = [_normalise_text(c)[1] for c in sens.normalise]
        steps.append(
            (
                f"不确定性分析:{sens.runs}次蒙特卡洛模拟,权重随机扰动±{sens.noise:.0%},"
                f"标准化方法在{'、'.join(alternatives) or '当前方法'}之间、合成方法在"
                f"{'、'.join('算术' if a == 'arithmetic' else '几何' for a in sens.aggregate)}"
                "平均之间随机选择;排名区间为模拟排名的5%–95%分位",
                f"uncertainty: {sens.runs} Monte Carlo runs, weights perturbed by "
                f"±{sens.noise:.0%}, normalisation drawn from {'; '.join(alternatives_en)}, "
                f"aggregation from {', '.join(sens.aggregate)}; the rank interval is the "
                "5th–95th percentile of the simulated ranks",
            )
        )
    return steps


@router.get("/method")
def method(web: Web, session: DbSession) -> Response:
    """The framework (dimensions, indicators, weights, sources) and the methodology."""
    service = IndexService(session, web.viewer)
    loaded, result = service.computed()
    return render(
        web,
        "index/method.html",
        frameworks=service.frameworks(),
        steps=method_steps(loaded.spec),
        years=list(result.panel.years),
        units=list(zip(result.panel.units, result.panel.names, strict=True)),
        **_common(loaded, result),
    )


@router.get("/download/{name}")
def download(
    web: Web, session: DbSession, name: Annotated[str, PathParam(max_length=40)]
) -> Response:
    """index.xlsx (every table) or one table as CSV: scores, growth, uncertainty, indicators."""
    service = IndexService(session, web.viewer)
    loaded, _ = service.computed()
    stem, _, ext = name.partition(".")
    if name == "index.xlsx":
        media = XLSX
    elif ext == "csv" and stem in report.TABLES:
        media = "text/csv; charset=utf-8"
    else:
        raise NotFound("没有这个下载文件", message_en=f"no download named {name!r}")
    data = service.download(name)
    label = "创新指数" + ("(样例数据)" if loaded.sample else "")
    shown = f"{label}-{TABLE_LABELS.get(stem, '全部')}.{ext}"
    disposition = f"attachment; filename=\"index-{name}\"; filename*=UTF-8''{quote(shown)}"
    return Response(data, media_type=media, headers={"Content-Disposition": disposition})


def _source(settings: Settings) -> dict[str, Any]:
    upload = active_upload(settings)
    if upload is not None:
        return {"kind": "upload", "file": upload.file, "at": upload.uploaded_at}
    if settings.index_pipeline is not None:
        return {"kind": "setting", "file": str(settings.index_pipeline)}
    return {"kind": "sample", "file": DEFAULT_PIPELINE.name}


def _data_page(
    web: Web, settings: Settings, session: Session, status: int = 200, **context: Any
) -> Response:
    loaded, result = IndexService(session, web.viewer).computed()
    columns = [
        "城市",
        "年份",
        *[d.code for d in result.framework.denominators],
        *[i.code for i in result.framework.indicators],
    ]
    defaults: dict[str, Any] = {"errors": {}, "done": None, "may": may_change_data(web.viewer)}
    return render(
        web,
        "index/data.html",
        status=status,
        source=_source(settings),
        columns=columns,
        **(defaults | context),
        **_common(loaded, result),
    )


@router.get("/data")
def data_page(web: Web, settings: AppSettings, session: DbSession) -> Response:
    """Operators: where the index's figures come from, and the upload of real data."""
    require_staff(web)
    return _data_page(web, settings, session)


@router.post("/data")
@takes_upload  # the body may be as large as an import file (api.limits)
@needs_login
async def upload_data(
    web: Web, form: CheckedForm, settings: AppSettings, session: DbSession
) -> Response:
    """Checks an uploaded data file by computing the index with it, then uses it."""
    require_staff(web)
    file = form.get("file")
    try:
        if not isinstance(file, UploadFile) or not file.filename:
            raise InvalidInput(
                "请选择数据文件",
                message_en="Choose a data file",
                errors=[{"field": "file", "reason": "请选择数据文件", "reason_en": "no file"}],
            )
        data = await file.read(settings.import_max_bytes + 1)
        if len(data) > settings.import_max_bytes:
            raise too_large(file.filename, settings.import_max_bytes)
        name = PurePath(file.filename).name
        loaded = install_data(settings, web.viewer, name, data)
    except FactorLinkError as exc:
        return _data_page(web, settings, session, exc.status, errors=field_errors(exc))
    return _data_page(web, settings, session, done=(name, len(loaded.panel.units)))


@router.post("/data/remove")
def remove(web: Web, form: CheckedForm, settings: AppSettings, session: DbSession) -> Response:
    """Back to the setting's pipeline, or the sample."""
    require_staff(web)
    try:
        remove_data(settings, web.viewer)
    except FactorLinkError as exc:
        return _data_page(web, settings, session, exc.status, errors=field_errors(exc))
    return RedirectResponse("/index/data", status_code=303)


register(
    {
        "创新指数": "Innovation index",
        "排名": "Ranking",
        "总指数": "Index",
        "指标体系与方法": "Framework and method",
        "下载": "Downloads",
        "数据来源": "Data source",
        "样例数据": "Sample data",
        "本页数字均为虚构,仅用于演示指数方法,请勿引用。": (
            "Every figure on this page is fictional, to show the method; do not quote it."
        ),
        "年份": "Year",
        "全部单位平均": "Average of all units",
        "较": "Since ",
        "年累计增长": ", cumulative growth",
        "年均增长": "Annual growth",
        "年排名": " ranking",
        "各单位总指数": "Index of each unit",
        "单位": "Unit",
        "累计增长": "Cumulative growth",
        "括号内为该维度的排名。点击单位查看雷达图、趋势与排名区间。": (
            "The rank on each dimension is in brackets. Open a unit for its radar, trend and "
            "rank interval."
        ),
        "全部结果": "All results",
        "得分与排名": "Scores and ranks",
        "增长": "Growth",
        "排名区间": "Rank interval",
        "指标": "Indicators",
        "排名区间(90%)": "Rank interval (90%)",
        "在": "In",
        "次模拟中(权重、标准化与合成方法随机变化),": (
            "simulations (weights, normalisation and aggregation varied at random), the median "
            "rank in"
        ),
        "年排名的中位数为第": " is",
        "名;90%的模拟排名在第": "; 90% of the simulated ranks lie between",
        "名之间。": ".",
        "名义排名": "Nominal rank",
        "各维度得分": "Dimension scores",
        "各维度得分与全部单位平均": "Dimension scores against the average of all units",
        "维度": "Dimension",
        "得分": "Score",
        "历年趋势": "Trend",
        "历年总指数": "The index over the years",
        "原始值": "Raw value",
        "计算值": "Value used",
        "标准化得分": "Normalised",
        "覆盖": "Covers",
        "个单位": "units",
        "年": "",
        "基期": "base year",
        "方向为“−”的指标越低越好。": "Indicators marked − are better when lower.",
        "权重": "Weight",
        "方向": "Direction",
        "折算": "Per",
        "来源": "Source",
        "项指标": "indicators",
        "计算方法": "Method",
        "计算引擎与欧盟联合研究中心 COINr 的方法一致,并以其公开示例结果校验。": (
            "The engine follows the methods of COINr (European Commission JRC) and is checked "
            "against its published example results."
        ),
        "当前数据": "Data in use",
        "运营人员上传的文件": "File uploaded by an operator",
        "配置项 FACTORLINK_INDEX_PIPELINE 指定的流水线": (
            "The pipeline named by FACTORLINK_INDEX_PIPELINE"
        ),
        "内置样例数据(虚构)": "The packaged sample data (fictional)",
        "停用上传的文件": "Stop using the uploaded file",
        "上传真实数据": "Upload real data",
        "已启用": "Now in use:",
        "个单位的指数已重新计算。": "units' index recomputed.",
        "文件为 .xlsx 或 .csv,每行一个城市一年,列为:": (
            "An .xlsx or .csv file, one row per city and year, with the columns:"
        ),
        "城市可写名称或代码(松江、songjiang);指标代码见“指标体系与方法”。上传后先完整计算一遍指数,有误则不启用并指出文件、行和列。": (  # noqa: E501
            "A city by name or code (松江, songjiang); indicator codes are listed under "
            "Framework and method. The index is computed in full first: a file with errors is "
            "not used, and the file, row and column are named."
        ),
        "数据文件": "Data file",
        "上传并启用": "Upload and use",
        "指数覆盖全走廊,仅管理员或不限城市的运营人员可更换数据。": (
            "The index covers the whole corridor: only admins and operators of every city may "
            "change its data."
        ),
    }
)
