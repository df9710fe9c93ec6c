"""A carrier's photos on the web: the owner's edit page (upload, cover, order, caption, delete,
without JavaScript), the gallery on the detail page and the cover on the catalog's card."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx2 import Response

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.carrier.service import CarrierService
from factorlink.db.session import Database
from tests.photo import pictures
from tests.web.conftest import LoginAs, LogInMember, MakeWebUser, csrf_token, post_form

CARRIER = {"name": "嘉善科创园标准厂房2号楼", "kind": "厂房", "city": "嘉兴", "area": "3000㎡"}
THUMB = re.compile(r'src="(/media/photos/[0-9a-f]{64}\.webp)"')


def _owned_carrier(database: Database, client: TestClient, log_in_member: LogInMember) -> int:
    user = log_in_member(client, "嘉善示例园区运营有限公司", username="yuanqu")
    viewer = Viewer(user_id=user.id, role=Role.member, organization_id=user.organization_id)
    with database.unit_of_work() as session:
        return CarrierService(session, viewer).create(CARRIER).id


def _edit(client: TestClient, carrier: int) -> str:
    return f"/my/listings/carrier/{carrier}/edit"


def _upload(client: TestClient, carrier: int, *named: tuple[str, bytes]) -> Response:
    return post_form(
        client,
        f"/my/listings/carrier/{carrier}/photos",
        {"caption": "园区实景"},
        page=_edit(client, carrier),
        files=[("files", (name, data, "image/jpeg")) for name, data in named],
    )


def _press(client: TestClient, carrier: int, photo: int, do: str) -> Response:
    return post_form(
        client,
        f"/my/listings/carrier/{carrier}/photos/{photo}",
        {"do": do},
        page=_edit(client, carrier),
    )


def _ids(client: TestClient, carrier: int) -> list[int]:
    return [p["id"] for p in client.get(f"/api/v1/carriers/{carrier}/photos").json()]


def test_the_owner_manages_photos_with_plain_forms(
    client: TestClient,
    database: Database,
    log_in_member: LogInMember,
) -> None:
    carrier = _owned_carrier(database, client, log_in_member)
    page = client.get(_edit(client, carrier))
    assert "还没有照片" in page.text and 'enctype="multipart/form-data"' in page.text
    sent = _upload(
        client, carrier, ("南门.jpg", pictures.phone_jpeg()), ("车间.png", pictures.png())
    )
    assert sent.status_code == 303 and sent.headers["location"].endswith("?photos=added#photos")
    first, second = _ids(client, carrier)
    assert "照片已上传" in client.get(sent.headers["location"]).text
    assert _press(client, carrier, second, "cover").status_code == 303
    assert _ids(client, carrier) == [second, first]
    _press(client, carrier, second, "down")
    assert _ids(client, carrier) == [first, second]
    _press(client, carrier, first, "delete")
    assert _ids(client, carrier) == [second]

    detail = client.get(f"/carriers/{carrier}").text
    assert (
        'class="gallery"' in detail
        and 'alt="园区实景"' in detail
        and "嘉善科创园标准厂房2号楼 照片 1/1" not in detail
        and "管理照片" in detail
    )
    cards = client.get("/carriers").text
    assert THUMB.search(cards)


def test_a_refused_photo_is_named_on_the_edit_page_and_nothing_is_kept(
    client: TestClient,
    database: Database,
    log_in_member: LogInMember,
) -> None:
    carrier = _owned_carrier(database, client, log_in_member)
    refused = _upload(
        client, carrier, ("好.jpg", pictures.phone_jpeg()), ("动图.jpg", pictures.gif())
    )
    assert refused.status_code == 422
    assert "照片“动图.jpg”不是JPEG、PNG或WebP格式的图片" in refused.text
    assert "本次照片均未保存" in refused.text
    assert _ids(client, carrier) == []
    empty = _upload(client, carrier)
    assert empty.status_code == 422 and "请选择要上传的照片" in empty.text


def test_visitors_see_the_gallery_and_cannot_change_it(
    client: TestClient,
    database: Database,
    log_in_member: LogInMember,
) -> None:
    carrier = _owned_carrier(database, client, log_in_member)
    assert "暂无照片" in client.get(f"/carriers/{carrier}").text  # the placeholder
    _upload(client, carrier, ("南门.jpg", pictures.phone_jpeg()))
    (photo,) = _ids(client, carrier)
    token = csrf_token(client.get("/carriers").text)
    client.post("/logout", data={"csrf_token": token})
    page = client.get(f"/carriers/{carrier}").text
    assert 'class="gallery"' in page and "管理照片" not in page
    assert 'fetchpriority="high"' in page
    token = csrf_token(client.get("/login").text)
    denied = client.post(
        f"/my/listings/carrier/{carrier}/photos/{photo}",
        data={"csrf_token": token, "do": "delete"},
        follow_redirects=False,
    )
    assert denied.status_code in (303, 401)  # sent to log in
    assert _ids(client, carrier) == [photo]


def test_staff_of_the_city_manage_a_members_carrier_photos(
    client: TestClient,
    database: Database,
    make_web_user: MakeWebUser,
    login_as: LoginAs,
    log_in_member: LogInMember,
) -> None:
    carrier = _owned_carrier(database, client, log_in_member)
    token = csrf_token(client.get("/login").text)
    client.post("/logout", data={"csrf_token": token})
    login_as(client, make_web_user("jx-operator", Role.operator, city_scope=["jiaxing"]))
    assert "管理照片" in client.get(f"/carriers/{carrier}").text
    assert _upload(client, carrier, ("南门.jpg", pictures.phone_jpeg())).status_code == 303
    assert len(_ids(client, carrier)) == 1
