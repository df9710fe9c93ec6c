"""HTTP endpoints for imports: a file upload in, the report out; and the templates."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Response, UploadFile

from factorlink.api.deps import AppSettings, DbSession, ImportLimiter, StaffViewer
from factorlink.imports.kinds import ImportKind, spec_of
from factorlink.imports.ratelimit import check_import_rate
from factorlink.imports.readers import limits_of, read_table, too_large
from factorlink.imports.schemas import ImportReportOut
from factorlink.imports.service import ImportService
from factorlink.imports.template import template_file
from factorlink.imports.writers import XLSX

router = APIRouter(prefix="/imports", tags=["imports"])

KindQuery = Annotated[ImportKind, Query(description="organization, achievement, demand, …")]


@router.post("", response_model=ImportReportOut, summary="导入清单文件")
def import_file(
    file: UploadFile,
    session: DbSession,
    viewer: StaffViewer,
    settings: AppSettings,
    limiter: ImportLimiter,
    kind: Annotated[
        ImportKind | None,
        Query(description="organization, achievement, demand, …; left out, the headers tell"),
    ] = None,
    skip_invalid: Annotated[
        bool, Query(description="load the valid rows, reject the rest")
    ] = False,
    dry_run: Annotated[bool, Query(description="check and count, write nothing")] = False,
) -> Any:
    check_import_rate(limiter, viewer)
    name = file.filename or f"upload.{kind.value if kind else 'csv'}"
    data = file.file.read(settings.import_max_bytes + 1)
    if len(data) > settings.import_max_bytes:
        raise too_large(name, settings.import_max_bytes)
    limits = limits_of(settings)
    report = ImportService(session, viewer, limits).run(
        kind, read_table(name, data, limits), skip_invalid=skip_invalid, dry_run=dry_run
    )
    return report.to_dict()


@router.get(
    "/template",
    summary="下载导入模板",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "the .xlsx template"}},
)
def template(kind: KindQuery) -> Response:
    spec = spec_of(kind)
    filename = f"{spec.label}导入模板.xlsx"
    disposition = (
        f"attachment; filename=\"{kind.value}-template.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return Response(
        template_file(spec), media_type=XLSX, headers={"Content-Disposition": disposition}
    )
