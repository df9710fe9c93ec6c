"""A carrier's photos on its edit page (我的发布 → 编辑): upload several, set the cover, move
one earlier or later, change a caption, delete. Plain forms that work without JavaScript; each
change goes back to the edit page, a refusal shows there next to the photos."""

from __future__ import annotations

from pathlib import PurePath

from fastapi import APIRouter
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile
from starlette.responses import RedirectResponse, Response

from factorlink.api.deps import DbSession
from factorlink.api.limits import needs_login, takes_photos
from factorlink.auth.viewer import Viewer
from factorlink.config import current_settings
from factorlink.errors import FactorLinkError, InvalidInput
from factorlink.kit.ids import IdPath
from factorlink.photo.service import PhotoService, Upload
from factorlink.web.catalog import KINDS
from factorlink.web.context import Web
from factorlink.web.forms import CheckedForm, FieldErrors, field_errors, text_fields
from factorlink.web.i18n import register
from factorlink.web.pages.members import edit_page

router = APIRouter(prefix="/my/listings/carrier/{id}/photos")

# What each button of a photo does, and what the edit page then says.
ACTIONS = ("cover", "up", "down", "caption", "delete")

register(
    {
        "照片": "Photos",
        "上传照片": "Upload photos",
        "选择照片": "Choose photos",
        "照片说明(可选)": "Caption (optional)",
        "说明(可选,用于本次上传的每张照片)": "Caption (optional, for each photo of this upload)",
        "设为封面": "Make cover",
        "前移": "Move up",
        "后移": "Move down",
        "保存说明": "Save caption",
        "删除": "Delete",
        "确定删除这张照片?": "Delete this photo?",
        "封面": "Cover",
        "还没有照片。第一张上传的照片将作为封面。": (
            "No photos yet. The first one you upload becomes the cover."
        ),
        "第一张为封面,显示在载体卡片和详情页顶部。": (
            "The first photo is the cover, shown on the carrier's card and atop its page."
        ),
        "支持 JPEG、PNG、WebP;每张不超过 %s,一次最多 %d 张,每个载体最多 %d 张。": (
            "JPEG, PNG or WebP; each up to %s, %d at a time, %d per carrier."
        ),
        "照片中的拍摄地点(GPS)等信息会被去除。": (
            "Location (GPS) and other data inside the photos are removed."
        ),
        "照片已上传": "Photos uploaded",
        "封面已更新": "Cover changed",
        "顺序已更新": "Order changed",
        "说明已保存": "Caption saved",
        "照片已删除": "Photo deleted",
    }
)


def _uploads(form: FormData) -> list[Upload]:
    caption = text_fields(form, ("caption",)).get("caption")
    limit = current_settings().photo_max_bytes
    uploads = []
    for number, item in enumerate(form.getlist("files"), start=1):
        # A form sent with no file chosen carries one empty, nameless part.
        if not isinstance(item, UploadFile) or (not item.filename and not item.size):
            continue
        name = PurePath((item.filename or "").replace("\\", "/")).name or f"第{number}张"
        uploads.append(Upload(name, item.file.read(limit + 1), caption))
    return uploads


def _refused(web: Web, session: Session, id_: int, exc: FactorLinkError) -> Response:
    """The edit page again with the refusal beside the photos; who may not edit is refused as
    everywhere else."""
    if exc.status in (401, 403, 404):
        raise exc
    errors: FieldErrors = field_errors(exc)
    if isinstance(exc, InvalidInput) and exc.errors:
        errors = {"": (exc.message, exc.message_en or exc.message)}
        for n, e in enumerate(exc.errors):
            errors[f"photo-{n}"] = (e.get("reason", ""), e.get("reason_en", ""))
    return edit_page(web, session, KINDS["carrier"], id_, photo_errors=errors, status=exc.status)


def _back(id_: int, done: str) -> Response:
    return RedirectResponse(f"/my/listings/carrier/{id_}/edit?photos={done}#photos", 303)


@router.post("")
@takes_photos  # the body may hold several photos (api.limits)
@needs_login  # and a visitor's is refused unread
def upload(web: Web, session: DbSession, id: IdPath, form: CheckedForm) -> Response:
    """Uploads the chosen photos (all or none), after the ones there are."""
    uploads = _uploads(form)

    def add(s: Session, viewer: Viewer) -> None:
        PhotoService(s, viewer).add(id, uploads)

    try:
        web.attempt(add)
    except FactorLinkError as exc:
        return _refused(web, session, id, exc)
    return _back(id, "added")


@router.post("/{photo_id}")
def change(
    web: Web, session: DbSession, id: IdPath, photo_id: IdPath, form: CheckedForm
) -> Response:
    """One photo's button: 设为封面, 前移, 后移, 保存说明 or 删除."""
    fields = text_fields(form, ("do", "caption"))
    action = fields.get("do", "")

    def apply(s: Session, viewer: Viewer) -> None:
        service = PhotoService(s, viewer)
        if action == "cover":
            service.change(id, photo_id, cover=True)
        elif action in ("up", "down"):
            service.move(id, photo_id, -1 if action == "up" else 1)
        elif action == "caption":
            service.change(id, photo_id, caption=fields.get("caption"), set_caption=True)
        elif action == "delete":
            service.delete(id, photo_id)
        else:
            raise InvalidInput("请选择要进行的操作", message_en=f"unknown action {action!r}")

    try:
        web.attempt(apply)
    except FactorLinkError as exc:
        return _refused(web, session, id, exc)
    done = {"cover": "cover", "up": "moved", "down": "moved", "caption": "caption"}
    return _back(id, done.get(action, "deleted"))
