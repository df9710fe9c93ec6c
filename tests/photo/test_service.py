"""A carrier's photos through PhotoService: judged by content, stored without EXIF, in one
order with the cover first, and all or nothing: a failure leaves neither a row nor a file."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select, text

from factorlink.auth.models import Role
from factorlink.auth.viewer import ANONYMOUS, Viewer
from factorlink.carrier.service import CarrierService
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.errors import Conflict, InvalidInput, NotAuthenticated, PermissionDenied
from factorlink.photo import images
from factorlink.photo.models import CarrierPhoto
from factorlink.photo.service import PhotoService, Upload, photo_store
from factorlink.photo.storage import digest
from tests.factories import MakeActor, MakeOrganization
from tests.photo import pictures

CARRIER = {"name": "松江综保区标准厂房3号楼", "kind": "厂房", "city": "松江", "area": "6000㎡"}


@pytest.fixture
def owner(make_actor: MakeActor, make_org: MakeOrganization) -> Viewer:
    org = make_org("上海松江示例园区有限公司")
    actor = make_actor(Role.member, organization_id=org.id)
    return Viewer(user_id=actor.user_id, role=Role.member, organization_id=org.id)


@pytest.fixture
def carrier_id(database: Database, owner: Viewer) -> int:
    with database.unit_of_work() as session:
        return CarrierService(session, owner).create(CARRIER).id


def files(settings: Settings) -> list[Path]:
    """Every file under the photo folder (temporary ones included)."""
    root = settings.photo_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def rows(database: Database) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(CarrierPhoto)) or 0)


def add(database: Database, viewer: Viewer, carrier: int, *uploads: Upload) -> list[int]:
    with database.unit_of_work() as session:
        return [p.id for p in PhotoService(session, viewer).add(carrier, uploads)]


def test_a_phone_photo_is_stored_upright_without_its_gps_position(
    database: Database, settings: Settings, owner: Viewer, carrier_id: int
) -> None:
    upload = pictures.phone_jpeg()
    assert Image.open(io.BytesIO(upload)).getexif().get_ifd(pictures.GPS_IFD)  # it has one
    add(database, owner, carrier_id, Upload("IMG_0001.JPG", upload, "  南立面 "))
    with database.unit_of_work() as session:
        (photo,) = PhotoService(session, ANONYMOUS).photos(carrier_id)
    assert (photo.width, photo.height, photo.caption, photo.position) == (300, 400, "南立面", 0)
    store = photo_store(settings)
    for sha in (photo.display_sha256, photo.thumb_sha256):
        data = store.path_of(sha).read_bytes()
        image = Image.open(io.BytesIO(data))
        assert image.format == "WEBP"
        assert not image.getexif() and b"Exif" not in data and b"GPS" not in data
        assert "icc_profile" not in image.info and "xmp" not in image.info
    display = Image.open(io.BytesIO(store.path_of(photo.display_sha256).read_bytes())).convert(
        "RGB"
    )
    # Turned as the orientation said: the left half (red) is now on top.
    red, blue = display.getpixel((150, 50)), display.getpixel((150, 350))
    assert isinstance(red, tuple) and isinstance(blue, tuple)
    assert red[0] > 200 > red[2] and blue[2] > 200 > blue[0]
    thumb = Image.open(io.BytesIO(store.path_of(photo.thumb_sha256).read_bytes()))
    assert thumb.size == images.THUMB_SIZE
    assert len(files(settings)) == 2


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("平面图.gif", pictures.gif(), "不是JPEG、PNG或WebP格式的图片"),
        ("厂房.jpg", b"%PDF-1.7 this is a document, not a photo", "不是JPEG、PNG或WebP格式的图片"),
        ("空.png", b"", "是空文件"),
        ("半张.jpg", pictures.phone_jpeg(800, 600)[:1500], "已损坏或不完整"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_by_its_content_and_named(
    database: Database,
    settings: Settings,
    owner: Viewer,
    carrier_id: int,
    name: str,
    data: bytes,
    reason: str,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        add(database, owner, carrier_id, Upload(name, data))
    (error,) = refused.value.errors
    assert error["file"] == name and reason in error["reason"]
    assert f"“{name}”" in refused.value.message
    assert rows(database) == 0 and files(settings) == []


def test_a_photo_named_gif_is_taken_for_what_its_bytes_are(
    database: Database, owner: Viewer, carrier_id: int
) -> None:
    add(database, owner, carrier_id, Upload("scan.gif", pictures.png()))
    assert rows(database) == 1


def test_size_and_pixel_limits_name_the_file(
    database: Database, settings: Settings, owner: Viewer, carrier_id: int
) -> None:
    small = settings.model_copy(update={"photo_max_bytes": 2048, "photo_max_pixels": 100_000})
    big_file = pictures.encoded(
        Image.effect_noise((200, 200), 80).convert("RGB"), "PNG"
    )  # noise does not compress
    many_pixels = pictures.png(400, 300)  # 120,000 pixels in a small file
    with database.unit_of_work() as session:
        service = PhotoService(session, owner, small)
        with pytest.raises(InvalidInput) as refused:
            service.add(
                carrier_id,
                [Upload("大文件.png", big_file), Upload("大图.png", many_pixels)],
            )
    reasons = [e["reason"] for e in refused.value.errors]
    assert reasons == [
        "照片“大文件.png”超过2 KB",
        "照片“大图.png”图片像素过多(400×300,上限0.1百万像素)",
    ]
    assert rows(database) == 0 and files(settings) == []


def test_one_bad_file_keeps_the_good_ones_out_too(
    database: Database, settings: Settings, owner: Viewer, carrier_id: int
) -> None:
    with pytest.raises(InvalidInput) as refused:
        add(
            database,
            owner,
            carrier_id,
            Upload("a.jpg", pictures.phone_jpeg()),
            Upload("b.gif", pictures.gif()),
        )
    assert "本次照片均未保存" in refused.value.message
    assert rows(database) == 0 and files(settings) == []


def test_a_failure_while_writing_leaves_no_row_and_no_file(
    database: Database, settings: Settings, owner: Viewer, carrier_id: int
) -> None:
    second = pictures.webp()
    # The second photo's display file cannot be written: a folder stands where it goes.
    made = images.process(second, max_pixels=settings.photo_max_pixels)
    blocked = photo_store(settings).path_of(digest(made.display.data))
    blocked.mkdir(parents=True)
    with pytest.raises(OSError):
        add(
            database,
            owner,
            carrier_id,
            Upload("1.jpg", pictures.phone_jpeg()),
            Upload("2.webp", second),
        )
    assert rows(database) == 0
    assert files(settings) == []  # the first photo's two files were removed with the rollback


def test_a_failure_after_the_upload_rolls_its_files_back(
    database: Database, settings: Settings, owner: Viewer, carrier_id: int
) -> None:
    with pytest.raises(RuntimeError), database.unit_of_work() as session:
        PhotoService(session, owner).add(carrier_id, [Upload("1.png", pictures.png())])
        assert len(files(settings)) == 2
        raise RuntimeError("the request failed after the upload")
    assert rows(database) == 0 and files(settings) == []


def test_order_cover_caption_and_delete(
    database: Database, settings: Settings, owner: Viewer, carrier_id: int
) -> None:
    a, b, c = add(
        database,
        owner,
        carrier_id,
        Upload("a.jpg", pictures.phone_jpeg()),
        Upload("b.png", pictures.png()),
        Upload("c.webp", pictures.webp()),
    )
    with database.unit_of_work() as session:
        service = PhotoService(session, owner)
        assert [p.id for p in service.change(carrier_id, c, cover=True)] == [c, a, b]
        assert [p.id for p in service.move(carrier_id, c, 1)] == [a, c, b]
        assert [p.id for p in service.reorder(carrier_id, [b, a, c])] == [b, a, c]
        with pytest.raises(InvalidInput):
            service.reorder(carrier_id, [b, a])
        changed = service.change(carrier_id, a, caption="车间内部", set_caption=True)
        assert [(p.position, p.caption) for p in changed] == [(0, None), (1, "车间内部"), (2, None)]
    assert len(files(settings)) == 6
    with database.unit_of_work() as session:
        remaining = PhotoService(session, owner).delete(carrier_id, b)
        assert [(p.id, p.position) for p in remaining] == [(a, 0), (c, 1)]
        assert len(files(settings)) == 6  # removed only once the deletion is committed
    assert len(files(settings)) == 4
    with database.unit_of_work() as session:
        covers = CarrierService(session, ANONYMOUS).additions(
            [CarrierService(session, ANONYMOUS).get(carrier_id)]
        )
    assert covers[carrier_id]["photo_count"] == 2


def test_the_same_photo_twice_is_refused(
    database: Database, owner: Viewer, carrier_id: int
) -> None:
    add(database, owner, carrier_id, Upload("a.jpg", pictures.phone_jpeg()))
    with pytest.raises(InvalidInput) as refused:
        add(database, owner, carrier_id, Upload("a-copy.jpg", pictures.phone_jpeg()))
    assert "已上传过" in refused.value.errors[0]["reason"]


def test_a_carrier_deleted_takes_its_photos_and_files(
    database: Database, settings: Settings, owner: Viewer, carrier_id: int
) -> None:
    add(database, owner, carrier_id, Upload("a.png", pictures.png()))
    with database.unit_of_work() as session:
        CarrierService(session, owner).delete(carrier_id)
    assert rows(database) == 0 and files(settings) == []


def test_only_who_may_edit_the_carrier_changes_its_photos(
    database: Database,
    owner: Viewer,
    carrier_id: int,
    make_actor: MakeActor,
    make_org: MakeOrganization,
) -> None:
    other_org = make_org("嘉兴另一家公司")
    other = make_actor(Role.member, organization_id=other_org.id)
    stranger = Viewer(user_id=other.user_id, role=Role.member, organization_id=other_org.id)
    upload = Upload("a.png", pictures.png())
    with pytest.raises(PermissionDenied):
        add(database, stranger, carrier_id, upload)
    with pytest.raises(NotAuthenticated):
        add(database, ANONYMOUS, carrier_id, upload)
    elsewhere = Viewer(user_id=other.user_id, role=Role.operator, city_scope=("hangzhou",))
    with pytest.raises(PermissionDenied):
        add(database, elsewhere, carrier_id, upload)
    staff = Viewer(user_id=other.user_id, role=Role.operator, city_scope=("songjiang",))
    (photo,) = add(database, staff, carrier_id, upload)
    with database.unit_of_work() as session:
        assert [p.id for p in PhotoService(session, ANONYMOUS).photos(carrier_id)] == [photo]


def test_the_same_photo_sent_twice_at_once_is_a_conflict(
    database: Database, settings: Settings, owner: Viewer, carrier_id: int
) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the second upload sees the first")
    upload = Upload("南门.jpg", pictures.phone_jpeg())
    flushed, release = threading.Event(), threading.Event()
    outcome: list[BaseException | None] = []

    def first() -> None:
        with database.unit_of_work() as session:
            PhotoService(session, owner, settings).add(carrier_id, [upload])
            flushed.set()
            release.wait(timeout=30)

    def second() -> None:
        try:
            add(database, owner, carrier_id, upload)
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    one = threading.Thread(target=first)
    one.start()
    assert flushed.wait(timeout=30)
    two = threading.Thread(target=second)
    two.start()
    # The second insert waits on the first's row in the unique index; then the first commits.
    with database.engine.connect() as connection:
        while not connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND datname = current_database()"
            )
        ):
            time.sleep(0.02)
    release.set()
    one.join(timeout=30)
    two.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], Conflict)
    assert rows(database) == 1 and len(files(settings)) == 2
