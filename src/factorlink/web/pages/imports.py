"""Excel (and CSV/JSON) imports in the workspace: the row-by-row report, the rejected rows to
download, and the templates."""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from factorlink.api.deps import AppSettings, ImportLimiter
from factorlink.api.limits import needs_login, takes_upload
from factorlink.auth.viewer import Viewer
from factorlink.errors import FactorLinkError, InvalidInput, NotFound
from factorlink.imports.kinds import ImportKind, spec_of
from factorlink.imports.ratelimit import check_import_rate
from factorlink.imports.readers import limits_of, read_table, too_large
from factorlink.imports.report import ImportRejected, ImportReport
from factorlink.imports.service import ImportService
from factorlink.imports.template import template_file
from factorlink.imports.writers import XLSX, rejected_file
from factorlink.web.context import Web
from factorlink.web.downloads import Downloads
from factorlink.web.forms import CheckedForm, field_errors
from factorlink.web.i18n import register
from factorlink.web.pages.workspace import require_staff
from factorlink.web.render import render

router = APIRouter(prefix="/workspace/import")

# The kind select's first value: the file's headers tell the kind.
AUTO = "auto"

MEDIA_TYPES = {
    "xlsx": XLSX,
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
}


def _kinds() -> list[tuple[str, str]]:
    return [(k.value, spec_of(k).label) for k in ImportKind]


def _page(web: Web, status: int = 200, **context: object) -> Response:
    defaults: dict[str, object] = {
        "report": None,
        "rejected_key": None,
        "errors": {},
        "kind": AUTO,
        "dry": False,
    }
    return render(
        web,
        "workspace/import.html",
        status=status,
        kinds=_kinds(),
        kind_labels=dict(_kinds()),
        **(defaults | context),
    )


@router.get("")
def import_page(web: Web) -> Response:
    """The upload form and the template downloads."""
    require_staff(web)
    return _page(web)


async def _upload(form_file: object, max_bytes: int) -> tuple[str, bytes]:
    if not isinstance(form_file, UploadFile) or not form_file.filename:
        raise InvalidInput(
            "请选择要导入的文件",
            message_en="Choose a file to import",
            errors=[{"field": "file", "reason": "请选择要导入的文件", "reason_en": "no file"}],
        )
    data = await form_file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large(form_file.filename, max_bytes)
    return PurePath(form_file.filename).name, data


@router.post("")
@takes_upload  # the body may be as large as an import file (api.limits)
@needs_login  # and a visitor's is refused unread
async def run_import(
    web: Web,
    form: CheckedForm,
    downloads: Downloads,
    settings: AppSettings,
    limiter: ImportLimiter,
) -> Response:
    """Checks and loads a file (its kind chosen, or told by its headers); a bad row shows in
    the report and nothing is written. 仅检查 (dry_run) checks without writing."""
    require_staff(web)
    limits = limits_of(settings)
    skip = form.get("skip_invalid") == "yes"
    dry = form.get("dry_run") == "yes"
    chosen = str(form.get("kind") or AUTO)
    try:
        kind = None if chosen == AUTO else ImportKind(chosen)
    except ValueError:
        return _page(web, 422, errors={"kind": ("请选择导入类型", "Choose what the file lists")})
    try:
        check_import_rate(limiter, web.viewer)
        name, data = await _upload(form.get("file"), settings.import_max_bytes)

        def load(session: Session, viewer: Viewer) -> ImportReport:
            return ImportService(session, viewer, limits).run(
                kind, read_table(name, data, limits), skip_invalid=skip, dry_run=dry
            )

        # In a worker thread: a long file must not hold up every other request meanwhile.
        report = await run_in_threadpool(web.attempt, load)
    except ImportRejected as exc:
        report = exc.report
    except FactorLinkError as exc:
        page = _page(web, exc.status, errors=field_errors(exc), kind=chosen, dry=dry)
        page.headers.update(exc.headers)  # Retry-After of a 429
        return page
    key = None
    if report.rejected:
        owner = web.viewer.user_id or 0
        stem, _, ext = name.rpartition(".")
        media = MEDIA_TYPES.get(report.format, "application/octet-stream")
        key = downloads.put(
            owner, f"{stem or name}.rejected.{ext or report.format}", media, rejected_file(report)
        )
    return _page(web, 200, report=report, rejected_key=key, kind=chosen, dry=dry)


@router.get("/rejected/{key}")
def rejected(web: Web, key: str, downloads: Downloads) -> Response:
    """The rejected rows of one's own import: original cells, the reasons, row numbers."""
    require_staff(web)
    found = downloads.get(web.viewer.user_id or 0, key)
    if found is None:
        raise NotFound("文件已过期,请重新导入", message_en="This file has expired; import again")
    return _attachment(found.data, found.media_type, found.name, "rejected")


@router.get("/template")
def template(web: Web, kind: Annotated[ImportKind, Query()]) -> Response:
    """The .xlsx template of a kind, with its guide sheet."""
    require_staff(web)
    spec = spec_of(kind)
    return _attachment(
        template_file(spec), XLSX, f"{spec.label}导入模板.xlsx", f"{kind.value}-template"
    )


def _attachment(data: bytes, media_type: str, name: str, ascii_stem: str) -> Response:
    ext = name.rpartition(".")[2]
    disposition = f"attachment; filename=\"{ascii_stem}.{ext}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


register(
    {
        "按表头自动识别": "Tell from the headers",
        "已按表头识别为": "Told from the headers:",
        "仅检查(不写入)": "Check only (write nothing)",
        "检查未通过": "Check found errors",
        "检查通过": "Check passed",
        "行数据有误。这是试运行,未写入任何数据;请修改后再检查或导入。": (
            "row(s) have errors. This was a check: nothing was written; fix them and check "
            "or import again."
        ),
        "全部行均可导入。这是试运行,未写入任何数据。": (
            "Every row can be imported. This was a check: nothing was written."
        ),
        "将新增": "Would create",
        "将更新": "Would update",
        "不写入任何数据,只检查每一行并给出报告。": (
            "Writes nothing: checks every row and reports."
        ),
        "个人信息(联系人、手机号)按脱敏方式显示。": (
            "Personal data (contact, mobile) is shown masked."
        ),
    }
)
