"""A carrier's photos in headless Chromium against a real server, at 1366 px and at 390 px: the
member uploads two photos on the carrier's edit page, makes the second the cover, moves it back,
deletes one and uploads another; then a visitor sees the gallery (the cover first, thumbnails
loaded lazily, alt text), enlarges a photo and finds the cover on the catalog's card.
Screenshots go to artifacts/screenshots/ (select with `-m browser`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.carrier.service import CarrierService
from factorlink.db.session import Database
from tests.factories import MakeOrganization
from tests.photo import pictures
from tests.web.browser import WIDE, phone_checks
from tests.web.conftest import MakeWebUser, browser_login

pytestmark = pytest.mark.browser

CARRIER = {
    "name": "嘉善科创园标准厂房2号楼",
    "kind": "厂房",
    "city": "嘉兴",
    "area": "3000㎡",
    "price": "0.9元/㎡/天",
}


def _files(folder: Path) -> dict[str, Path]:
    made = {
        "南门.jpg": pictures.phone_jpeg(1600, 1200, left="#5b7fa6"),
        "车间.png": pictures.png(1200, 900, "#8aa37b"),
        "航拍.webp": pictures.webp(1600, 1200, "#c9a66b"),
    }
    for name, data in made.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in made}


def test_a_member_manages_photos_and_a_visitor_sees_the_gallery(
    tab: Page,
    tmp_path: Path,
    database: Database,
    make_org: MakeOrganization,
    make_web_user: MakeWebUser,
) -> None:
    size = "390" if (tab.viewport_size or WIDE)["width"] < 500 else "1366"
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    files = _files(tmp_path)
    org = make_org("嘉善示例园区运营有限公司", city="jiaxing")
    user = make_web_user("yuanqu", Role.member, organization_id=org.id)
    viewer = Viewer(user_id=user.id, role=Role.member, organization_id=org.id)
    with database.unit_of_work() as session:
        carrier = CarrierService(session, viewer).create(CARRIER).id
    browser_login(tab, user)

    # Upload two photos at once on the edit page.
    tab.goto(f"/my/listings/carrier/{carrier}/edit#photos")
    expect(tab.locator("#photos")).to_contain_text("还没有照片")
    tab.get_by_label("选择照片").set_input_files([files["南门.jpg"], files["车间.png"]])
    tab.get_by_role("button", name="上传照片").click()
    expect(tab.get_by_role("status")).to_contain_text("照片已上传")
    items = tab.locator(".photo-admin > li")
    expect(items).to_have_count(2)
    expect(items.first.locator(".state")).to_have_text("封面")
    phone_checks(tab, f"photos-edit-{size}")

    # The second becomes the cover; then it moves back down; the caption is saved.
    second = items.nth(1)
    second_id = second.get_attribute("id")
    second.get_by_role("button", name="设为封面").click()
    expect(tab.get_by_role("status")).to_contain_text("封面已更新")
    expect(items.first).to_have_attribute("id", str(second_id))
    items.first.get_by_role("button", name=re.compile("后移")).click()
    expect(tab.get_by_role("status")).to_contain_text("顺序已更新")
    expect(items.nth(1)).to_have_attribute("id", str(second_id))
    items.first.get_by_label("照片说明(可选)").fill("南门及厂区主干道")
    items.first.get_by_role("button", name="保存说明").click()
    expect(tab.get_by_role("status")).to_contain_text("说明已保存")

    # Delete the other one (after confirming), and add a third photo.
    tab.once("dialog", lambda dialog: dialog.accept())
    items.nth(1).get_by_role("button", name="删除").click()
    expect(tab.get_by_role("status")).to_contain_text("照片已删除")
    expect(items).to_have_count(1)
    tab.get_by_label("选择照片").set_input_files([files["航拍.webp"]])
    tab.get_by_role("button", name="上传照片").click()
    expect(items).to_have_count(2)

    # A visitor: the gallery with the captioned cover first, then the catalog card.
    tab.get_by_role("button", name="退出").click()
    tab.goto(f"/carriers/{carrier}")
    gallery = tab.locator(".gallery")
    cover = gallery.locator(".gallery-cover img")
    expect(cover).to_have_attribute("alt", "南门及厂区主干道")
    expect(gallery.locator(".gallery-thumbs img")).to_have_count(2)
    expect(gallery.locator(".gallery-thumbs img").first).to_have_attribute("loading", "lazy")
    # A photo without a caption is described by the carrier's name and its place.
    expect(gallery.locator(".gallery-thumbs img").nth(1)).to_have_attribute(
        "alt", f"{CARRIER['name']} 照片 2/2"
    )
    expect(gallery.get_by_role("link", name="管理照片")).to_have_count(0)
    # Loaded, and upright: the phone took it sideways (EXIF orientation 6).
    assert cover.evaluate("img => img.complete && [img.naturalWidth, img.naturalHeight]") == [
        1200,
        1600,
    ]
    phone_checks(tab, f"photos-gallery-{size}")
    gallery.get_by_role("link", name="查看第 2 张照片").click()
    lightbox = tab.locator("dialog.lightbox")
    expect(lightbox).to_be_visible()
    expect(lightbox.locator(".lightbox-count")).to_have_text("2 / 2")
    phone_checks(tab, f"photos-lightbox-{size}", controls="dialog button")
    lightbox.get_by_role("button", name="关闭").click()
    expect(lightbox).to_be_hidden()

    tab.goto("/carriers")
    card = tab.locator("li.result").filter(has_text=CARRIER["name"])
    expect(card.locator(".result-photo img")).to_be_visible()
    phone_checks(tab, f"photos-catalog-{size}")
    assert errors == []
