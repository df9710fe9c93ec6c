"""The rules of a carrier's photos: who may see and change them, what an upload may hold, and
one order with the cover first.

Seeing follows the carrier (whoever may read it); changing follows editing it (its
organisation's members, staff in its city: `ListingService.check_can_write`). An upload is all
or nothing: every file is judged first, each refusal naming its file, and only then are files
written and rows added, in the caller's unit of work (photo/storage.py undoes the files if it
rolls back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from factorlink.api.limits import size_label
from factorlink.auth.viewer import Viewer
from factorlink.carrier.models import Carrier
from factorlink.carrier.service import CarrierService
from factorlink.config import Settings, current_settings
from factorlink.errors import Conflict, InvalidInput, NotFound
from factorlink.photo import images
from factorlink.photo.models import CarrierPhoto
from factorlink.photo.repository import PhotoRepository, hashes_in_use
from factorlink.photo.storage import PhotoStore, digest
from factorlink.validation.parsers import clean

CAPTION_MAX = 60


@dataclass(frozen=True)
class Upload:
    """One uploaded file as the edge read it: its name (for messages), bytes and caption."""

    name: str
    data: bytes
    caption: str | None = None


@dataclass(frozen=True)
class _Judged:
    upload: Upload
    photo: images.Photo
    source_sha256: str
    caption: str | None


def photo_store(settings: Settings) -> PhotoStore:
    """The photo files of these settings' data directory."""
    return PhotoStore(settings.photo_dir, hashes_in_use)


def _refusal(message: str, message_en: str, errors: list[dict[str, str]]) -> InvalidInput:
    return InvalidInput(message, message_en=message_en, errors=errors)


def _file_error(name: str, reason: str, reason_en: str) -> dict[str, str]:
    return {
        "field": "files",
        "file": name,
        "reason": f"照片“{name}”{reason}",
        "reason_en": f"{name}: {reason_en}",
    }


def release_photos(session: Session, carrier_id: int, photos: Sequence[CarrierPhoto]) -> None:
    """A deleted carrier's photos: their rows go (the database's cascade may have taken them
    already), their files once the unit of work commits."""
    session.execute(delete(CarrierPhoto).where(CarrierPhoto.carrier_id == carrier_id))
    if photos:
        hashes = {h for p in photos for h in (p.display_sha256, p.thumb_sha256)}
        photo_store(current_settings()).release(session, hashes)


class PhotoService:
    """A carrier's photos, for one viewer."""

    def __init__(self, session: Session, viewer: Viewer, settings: Settings | None = None) -> None:
        self.session = session
        self.viewer = viewer
        self.settings = settings or current_settings()
        self.carriers = CarrierService(session, viewer)
        self.repository = PhotoRepository(session)
        self.store = photo_store(self.settings)

    def photos(self, carrier_id: int) -> Sequence[CarrierPhoto]:
        """The photos of a carrier the viewer may see, the cover first."""
        self.carriers.get(carrier_id)
        return self.repository.of(carrier_id)

    def may_change(self, carrier: Carrier) -> bool:
        """Whether the viewer may change this carrier's photos."""
        return self.carriers.may_write(carrier)

    def add(self, carrier_id: int, uploads: Sequence[Upload]) -> list[CarrierPhoto]:
        """Adds photos after the ones there are; all of them, or none and an InvalidInput
        naming each refused file."""
        self._own(carrier_id)
        existing = list(self.repository.of(carrier_id))
        self._check_count(len(existing), len(uploads))
        judged = self._judge(uploads, {p.source_sha256 for p in existing})
        added = []
        for offset, item in enumerate(judged):
            photo = item.photo
            row = CarrierPhoto(
                carrier_id=carrier_id,
                position=len(existing) + offset,
                caption=item.caption,
                display_sha256=self.store.put(self.session, photo.display.data),
                thumb_sha256=self.store.put(self.session, photo.thumb.data),
                source_sha256=item.source_sha256,
                width=photo.display.width,
                height=photo.display.height,
                created_by_id=self.viewer.user_id,
            )
            self.session.add(row)
            added.append(row)
        try:
            self.session.flush()
        except IntegrityError:
            # The same photo sent twice at once (a double tap): the other request stored it.
            raise Conflict(
                "照片已上传过(可能是重复提交),请刷新页面查看",
                message_en="these photos were just stored by another request; reload",
            ) from None
        return [*existing, *added]

    def reorder(self, carrier_id: int, order: Sequence[int]) -> list[CarrierPhoto]:
        """Puts the photos in the given order (every photo of the carrier, once each); the
        first becomes the cover."""
        self._own(carrier_id)
        photos = {p.id: p for p in self.repository.of(carrier_id)}
        if sorted(order) != sorted(photos):
            raise _refusal(
                "照片顺序有误:须列出该载体的全部照片,每张一次",
                "order must list every photo of the carrier exactly once",
                [
                    {
                        "field": "order",
                        "reason": "须列出该载体的全部照片,每张一次",
                        "reason_en": f"expected the ids {sorted(photos)} in some order",
                    }
                ],
            )
        return self._place([photos[i] for i in order])

    def change(
        self,
        carrier_id: int,
        photo_id: int,
        *,
        cover: bool = False,
        caption: str | None = None,
        set_caption: bool = False,
    ) -> list[CarrierPhoto]:
        """Makes a photo the cover and/or changes its caption (blank clears it)."""
        self._own(carrier_id)
        photos = list(self.repository.of(carrier_id))
        photo = self._one(photos, photo_id)
        if set_caption:
            photo.caption = self._caption(caption, None)
        if cover:
            photos.remove(photo)
            photos.insert(0, photo)
        return self._place(photos)

    def move(self, carrier_id: int, photo_id: int, by: int) -> list[CarrierPhoto]:
        """Moves a photo earlier (by < 0) or later in the order, within its ends."""
        self._own(carrier_id)
        photos = list(self.repository.of(carrier_id))
        photo = self._one(photos, photo_id)
        index = photos.index(photo)
        photos.remove(photo)
        photos.insert(max(0, min(len(photos), index + by)), photo)
        return self._place(photos)

    def delete(self, carrier_id: int, photo_id: int) -> list[CarrierPhoto]:
        """Deletes a photo; its files go once the unit of work commits (if no other photo
        shows the same picture)."""
        self._own(carrier_id)
        photos = list(self.repository.of(carrier_id))
        photo = self._one(photos, photo_id)
        photos.remove(photo)
        self.repository.delete(photo)
        self.store.release(self.session, {photo.display_sha256, photo.thumb_sha256})
        return self._place(photos)

    def _own(self, carrier_id: int) -> Carrier:
        carrier = self.carriers.get(carrier_id)
        self.carriers.check_can_write(carrier)
        return carrier

    def _one(self, photos: Sequence[CarrierPhoto], photo_id: int) -> CarrierPhoto:
        for photo in photos:
            if photo.id == photo_id:
                return photo
        raise NotFound(f"照片{photo_id}不存在", message_en=f"photo {photo_id} not found")

    def _place(self, photos: list[CarrierPhoto]) -> list[CarrierPhoto]:
        for position, photo in enumerate(photos):
            photo.position = position
        self.session.flush()
        return photos

    def _check_count(self, existing: int, new: int) -> None:
        most = self.settings.photo_max_count
        if new == 0:
            raise _refusal(
                "请选择要上传的照片",
                "choose the photos to upload",
                [{"field": "files", "reason": "请选择要上传的照片", "reason_en": "no file"}],
            )
        if new > images.PER_UPLOAD:
            reason = f"一次最多上传{images.PER_UPLOAD}张照片,本次{new}张"
            raise _refusal(
                reason,
                f"at most {images.PER_UPLOAD} photos per upload, {new} given",
                [{"field": "files", "reason": reason, "reason_en": "too many files"}],
            )
        if existing + new > most:
            reason = f"每个载体最多{most}张照片,已有{existing}张,本次上传{new}张"
            raise _refusal(
                reason,
                f"at most {most} photos per carrier: {existing} stored, {new} uploaded",
                [{"field": "files", "reason": reason, "reason_en": "too many photos"}],
            )

    def _judge(self, uploads: Sequence[Upload], stored: set[str]) -> list[_Judged]:
        judged: list[_Judged] = []
        errors: list[dict[str, str]] = []
        seen = set(stored)
        for upload in uploads:
            error = self._judge_one(upload, seen, judged)
            if error is not None:
                errors.append(error)
        if errors:
            names = "、".join(f"“{e['file']}”" for e in errors)
            raise _refusal(
                f"以下照片未能上传:{names};请更正后重新上传(本次照片均未保存)",
                "photos refused (none was stored): " + "; ".join(e["reason_en"] for e in errors),
                errors,
            )
        return judged

    def _judge_one(
        self, upload: Upload, seen: set[str], judged: list[_Judged]
    ) -> dict[str, str] | None:
        name, data = upload.name, upload.data
        if not data:
            return _file_error(name, "是空文件", "the file is empty")
        most = self.settings.photo_max_bytes
        if len(data) > most:
            return _file_error(name, f"超过{size_label(most)}", f"larger than {size_label(most)}")
        source = digest(data)
        if source in seen:
            return _file_error(name, "已上传过(同一张照片)", "this photo is already there")
        try:
            caption = self._caption(upload.caption, name)
            photo = images.process(data, max_pixels=self.settings.photo_max_pixels)
        except images.PhotoRefused as refused:
            return _file_error(name, refused.reason, refused.reason_en)
        seen.add(source)
        judged.append(_Judged(upload, photo, source, caption))
        return None

    def _caption(self, text: str | None, name: str | None) -> str | None:
        caption = clean(text)
        if len(caption) > CAPTION_MAX:
            if name is not None:  # an upload's: reported with its file
                raise images.PhotoRefused(
                    f"的说明超过{CAPTION_MAX}个字", f"caption longer than {CAPTION_MAX} characters"
                )
            reason = f"照片说明不能超过{CAPTION_MAX}个字"
            raise _refusal(
                reason,
                f"caption longer than {CAPTION_MAX} characters",
                [{"field": "caption", "reason": reason, "reason_en": "caption too long"}],
            )
        return caption or None
