"""The photo API under /api/v1/carriers/{id}/photos: permissions as for editing the carrier,
refusals that name the file, and the files served by content hash with a year's cache."""

from __future__ import annotations

from fastapi.testclient import TestClient
from httpx2 import Response

from factorlink.api.app import create_app
from factorlink.api.limits import FORM_ENVELOPE_BYTES
from factorlink.auth.models import Role
from factorlink.config import Settings
from factorlink.db.session import Database
from tests.factories import Actor, MakeActor, MakeOrganization
from tests.photo import pictures

CARRIER = {"name": "嘉善科创园标准厂房2号楼", "kind": "厂房", "city": "嘉兴", "area": "3000㎡"}


def _carrier(client: TestClient, owner: Actor) -> int:
    created = client.post("/api/v1/carriers", json=CARRIER, headers=owner.headers)
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def _upload(
    client: TestClient, carrier: int, headers: dict[str, str], *named: tuple[str, bytes]
) -> Response:
    return client.post(
        f"/api/v1/carriers/{carrier}/photos",
        files=[("files", (name, data, "application/octet-stream")) for name, data in named],
        data={"captions": ["南立面"] * len(named)},
        headers=headers,
    )


def test_owner_uploads_orders_and_deletes_and_everyone_sees(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    org = make_org("嘉善示例园区运营有限公司", city="jiaxing")
    owner = make_actor(Role.member, organization_id=org.id)
    carrier = _carrier(client, owner)
    response = client.post(
        f"/api/v1/carriers/{carrier}/photos",
        files=[
            ("files", ("IMG_0001.JPG", pictures.phone_jpeg(), "image/jpeg")),
            ("files", ("plan.png", pictures.png(), "image/png")),
        ],
        data={"captions": ["南立面", ""]},
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text
    first, second = response.json()
    assert (first["cover"], first["caption"], second["cover"], second["caption"]) == (
        True,
        "南立面",
        False,
        None,
    )
    # A visitor sees them, and the cover on the carrier and its card.
    listed = client.get(f"/api/v1/carriers/{carrier}/photos").json()
    assert [p["id"] for p in listed] == [first["id"], second["id"]]
    got = client.get(f"/api/v1/carriers/{carrier}").json()
    assert (got["photo_count"], got["cover_thumb_url"]) == (2, first["thumb_url"])
    page = client.get("/api/v1/carriers", params={"q": "嘉善"}).json()
    assert page["items"][0]["cover_url"] == first["url"]

    image = client.get(first["url"])
    assert image.status_code == 200 and image.headers["content-type"] == "image/webp"
    assert image.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert image.content[:4] == b"RIFF" and b"Exif" not in image.content

    base = f"/api/v1/carriers/{carrier}/photos"
    covered = client.patch(f"{base}/{second['id']}", json={"cover": True}, headers=owner.headers)
    assert [p["id"] for p in covered.json()] == [second["id"], first["id"]]
    ordered = client.patch(
        base, json={"order": [first["id"], second["id"]]}, headers=owner.headers
    ).json()
    assert [p["cover"] for p in ordered] == [True, False] and ordered[0]["id"] == first["id"]
    captioned = client.patch(
        f"{base}/{first['id']}", json={"caption": None}, headers=owner.headers
    ).json()
    assert captioned[0]["caption"] is None
    assert client.delete(f"{base}/{first['id']}", headers=owner.headers).status_code == 204
    (left,) = client.get(base).json()
    assert left["id"] == second["id"] and left["cover"]
    assert client.get(first["url"]).status_code == 404  # its file went with it


def test_other_members_visitors_and_staff(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    owner = make_actor(Role.member, organization_id=make_org(city="jiaxing").id)
    other = make_actor(Role.member, organization_id=make_org().id)
    carrier = _carrier(client, owner)
    photo = ("a.png", pictures.png())
    refused = _upload(client, carrier, other.headers, photo)
    assert refused.status_code == 403
    visitor = _upload(client, carrier, {}, photo)
    assert visitor.status_code == 401
    elsewhere = make_actor(Role.operator, city_scope=["hangzhou"])
    assert _upload(client, carrier, elsewhere.headers, photo).status_code == 403
    staff = make_actor(Role.operator, city_scope=["jiaxing"])
    created = _upload(client, carrier, staff.headers, photo)
    assert created.status_code == 201
    photo_id = created.json()[0]["id"]
    base = f"/api/v1/carriers/{carrier}/photos"
    assert client.delete(f"{base}/{photo_id}", headers=other.headers).status_code == 403
    assert client.delete(f"{base}/{photo_id}").status_code == 401
    assert client.patch(base, json={"order": [photo_id]}, headers=other.headers).status_code == 403
    assert client.get(base).status_code == 200
    # A withdrawn carrier's photos are hidden with it.
    client.post(
        f"/api/v1/carriers/{carrier}/state", json={"to": "withdrawn"}, headers=owner.headers
    )
    assert client.get(base).status_code == 404
    assert client.get(base, headers=owner.headers).status_code == 200


def test_a_refused_file_is_named_in_the_problem_and_nothing_is_stored(
    client: TestClient, make_actor: MakeActor, make_org: MakeOrganization
) -> None:
    owner = make_actor(Role.member, organization_id=make_org(city="jiaxing").id)
    carrier = _carrier(client, owner)
    response = _upload(
        client,
        carrier,
        owner.headers,
        ("ok.jpg", pictures.phone_jpeg()),
        ("动图.jpg", pictures.gif()),
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"] == [
        {
            "field": "files",
            "file": "动图.jpg",
            "reason": "照片“动图.jpg”不是JPEG、PNG或WebP格式的图片",
            "reason_en": "动图.jpg: not a JPEG, PNG or WebP image",
        }
    ]
    assert client.get(f"/api/v1/carriers/{carrier}/photos").json() == []


def test_media_names_other_than_a_content_hash_are_a_plain_404(client: TestClient) -> None:
    for name in ("../factorlink.db", "%2e%2e%2ffactorlink.db", "abc.webp", "0" * 64 + ".webp"):
        response = client.get(f"/media/photos/{name}")
        assert response.status_code == 404
        assert "var" not in response.text and "/tmp" not in response.text


def test_the_photo_endpoints_are_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths["/api/v1/carriers/{id}/photos"]) == {"get", "post", "patch"}
    assert set(paths["/api/v1/carriers/{id}/photos/{photo_id}"]) == {"patch", "delete"}
    assert paths["/api/v1/carriers/{id}/photos"]["post"]["summary"] == "上传载体照片"


def test_an_upload_over_six_photos_worth_is_refused_before_it_is_read(
    settings: Settings, database: Database, make_actor: MakeActor
) -> None:
    small = settings.model_copy(update={"photo_max_bytes": 1024})
    owner = make_actor(Role.admin)
    cap = 6 * 1024 + FORM_ENVELOPE_BYTES
    with TestClient(create_app(small, database)) as client:
        response = client.post(
            "/api/v1/carriers/1/photos",
            files=[("files", ("big.jpg", b"\xff" * (cap + 1), "image/jpeg"))],
            headers=owner.headers,
        )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("请求内容超过上限")
