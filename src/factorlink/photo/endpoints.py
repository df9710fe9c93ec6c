"""HTTP endpoints of a carrier's photos under /carriers/{id}/photos, and the photo files under
/media/photos (outside the API: pages and clients load them as images)."""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile
from fastapi.responses import FileResponse

from factorlink.api.deps import AppSettings, CurrentViewer, DbSession, UserViewer
from factorlink.api.limits import takes_photos
from factorlink.errors import NotFound
from factorlink.kit.ids import IdPath
from factorlink.photo import images
from factorlink.photo.presenter import MEDIA_PREFIX, present_photos
from factorlink.photo.schemas import PhotoChangeIn, PhotoOrderIn, PhotoOut
from factorlink.photo.service import PhotoService, Upload, photo_store

router = APIRouter(prefix="/carriers/{id}/photos", tags=["carriers"])
media = APIRouter(prefix=MEDIA_PREFIX, include_in_schema=False)

# A file's name never names other content: a browser and any proxy may keep it for a year.
IMMUTABLE = "public, max-age=31536000, immutable"


def read_uploads(
    files: list[UploadFile], captions: list[str] | None, max_bytes: int
) -> list[Upload]:
    """The uploaded files as the service takes them: each read up to one byte past the cap
    (so an oversized one is told, not read whole), named as the user's computer named it."""
    uploads = []
    for number, file in enumerate(files, start=1):
        name = PurePath((file.filename or "").replace("\\", "/")).name or f"第{number}张"
        caption = captions[number - 1] if captions and len(captions) >= number else None
        uploads.append(Upload(name, file.file.read(max_bytes + 1), caption))
    return uploads


@router.get("", response_model=list[PhotoOut], summary="载体照片")
def list_photos(id: IdPath, session: DbSession, viewer: CurrentViewer) -> list[PhotoOut]:
    """The carrier's photos, the cover first; whoever may read the carrier may see them."""
    return present_photos(PhotoService(session, viewer).photos(id))


@router.post("", response_model=list[PhotoOut], status_code=201, summary="上传载体照片")
@takes_photos
def upload_photos(
    id: IdPath,
    session: DbSession,
    viewer: UserViewer,
    settings: AppSettings,
    files: Annotated[
        list[UploadFile],
        File(
            description=f"1 to {images.PER_UPLOAD} JPEG, PNG or WebP photos (told by content); "
            "each within FACTORLINK_PHOTO_MAX_BYTES and FACTORLINK_PHOTO_MAX_PIXELS."
        ),
    ],
    captions: Annotated[
        list[str] | None, Form(description="说明 of each file, in the files' order (optional).")
    ] = None,
) -> list[PhotoOut]:
    """Adds photos after the existing ones (the first ever becomes the cover); the carrier's
    organisation or staff in its city only. All or none: a refused file is named in `errors`
    and nothing is stored. EXIF (GPS included) is removed; the picture is turned upright."""
    uploads = read_uploads(files, captions, settings.photo_max_bytes)
    return present_photos(PhotoService(session, viewer, settings).add(id, uploads))


@router.patch("", response_model=list[PhotoOut], summary="调整载体照片顺序")
def reorder_photos(
    id: IdPath, body: PhotoOrderIn, session: DbSession, viewer: UserViewer
) -> list[PhotoOut]:
    """Puts the photos in the given order: every photo id once, the first becomes the cover."""
    return present_photos(PhotoService(session, viewer).reorder(id, body.order))


@router.patch("/{photo_id}", response_model=list[PhotoOut], summary="设为封面或修改照片说明")
def change_photo(
    id: IdPath, photo_id: IdPath, body: PhotoChangeIn, session: DbSession, viewer: UserViewer
) -> list[PhotoOut]:
    """`cover: true` makes the photo the cover (the others keep their order); `caption`
    changes its caption. Returns every photo in the new order."""
    photos = PhotoService(session, viewer).change(
        id,
        photo_id,
        cover=bool(body.cover),
        caption=body.caption,
        set_caption="caption" in body.model_fields_set,
    )
    return present_photos(photos)


@router.delete("/{photo_id}", status_code=204, summary="删除载体照片")
def delete_photo(id: IdPath, photo_id: IdPath, session: DbSession, viewer: UserViewer) -> Response:
    """Deletes a photo; the next one becomes the cover if it was. Its files go with it."""
    PhotoService(session, viewer).delete(id, photo_id)
    return Response(status_code=204)


@media.get("/{name}")
def photo_file(name: str, settings: AppSettings) -> Response:
    """A photo file by its content name (<sha256>.webp), cached for a year; any other name is
    a 404 that says nothing of where files live."""
    path = photo_store(settings).find(name)
    if path is None:
        raise NotFound("照片不存在", message_en="photo not found")
    return FileResponse(path, media_type=images.MEDIA_TYPE, headers={"Cache-Control": IMMUTABLE})
