"""What a listing's page shows beyond its columns: where it is (with a map link the browser
opens), how long it stays open, its views and followers, what a visitor or member can do next
(我要洽谈, 预约考察, 关注), and on an organisation's page its own listings."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from factorlink.auth.viewer import Viewer
from factorlink.db.factor import ListingState
from factorlink.engagement.service import Engagement, EngagementService
from factorlink.introduction.models import PartyKind
from factorlink.kit.pagination import PageParams
from factorlink.kit.timezones import BEIJING
from factorlink.listing.repository import ListingFilters
from factorlink.photo.presenter import present_photos
from factorlink.photo.service import PhotoService
from factorlink.reference import city_name, get_region
from factorlink.web.catalog import KINDS
from factorlink.web.i18n import register

register(
    {
        "地图": "Map",
        "在高德地图中查看": "Open in Amap",
        "浏览": "Views",
        "关注": "Follow",
        "已关注": "Following",
        "取消关注": "Unfollow",
        "%d 人关注": "%d following",
        "%d 次浏览": "%d views",
        "我要洽谈": "I'm interested",
        "意向登记": "Register interest",
        "预约考察": "Book a visit",
        "用本机构的技术需求洽谈该成果": "Discuss this achievement for one of your demands",
        "提交洽谈申请": "Send the request",
        "登记意向后,运营人员将在工作日内联系您并安排洽谈。": (
            "Register your interest: an operator will call you on a working day and arrange a talk."
        ),
        "预约后,运营人员将联系您并安排实地考察。": (
            "Book a visit: an operator will call you and arrange it."
        ),
        "剩余 %d 天": "%d days left",
        "今天截止": "Closes today",
        "已截止": "Closed",
        "挂牌中": "Listed",
        "挂牌未开始": "Not yet listed",
        "挂牌已到期": "Listing expired",
        "本机构发布的信息": "Listings of this organisation",
        "暂无公开发布的信息": "Nothing on show",
        "地址": "Address",
        "申请方式": "How to apply",
        "照片": "Photos",
        "暂无照片": "No photos yet",
        "共 %d 张照片,点击查看大图": "%d photos; tap one to enlarge",
        "%s 照片 %s": "%s, photo %s",
        "点击查看大图": "Tap to enlarge",
        "查看第 %d 张照片": "View photo %d",
        "管理照片": "Manage photos",
        "封面": "Cover",
        "上一张": "Previous",
        "下一张": "Next",
        "关闭": "Close",
    }
)

# The corridor's clock (UTC+8, no daylight saving): a deadline passes at its midnight.
# Codes the platform derives from a name (ORG-6576269F9176) say nothing to a reader.
DERIVED_CODE = re.compile(r"^[A-Z]{3}-[0-9A-F]{12}$")
AMAP_SEARCH = "https://uri.amap.com/search"
# How many of an organisation's listings of each kind its page shows.
PER_KIND = 20


def shown_code(code: str | None) -> str | None:
    """A listing's code as the page shows it: none where it was derived from the name."""
    return None if not code or DERIVED_CODE.match(code) else code


def place_label(city: str | None, district: str | None) -> str:
    """The city and district as one reads them, the city not twice: 芜湖 + 芜湖经济技术开发区
    is "芜湖经济技术开发区", 上海松江 + 松江经济技术开发区 "松江经济技术开发区", 湖州 + 长兴县
    "湖州 长兴县"."""
    name = city_name(city) or ""
    if not district:
        return name
    region = get_region()
    names = [name]
    if city and region.has(city):
        names += list(region.city(city).aliases)
    if any(n and district.startswith(n) for n in names):
        return district
    return f"{name} {district}".strip()


def map_link(city: str | None, district: str | None, address: str | None) -> str | None:
    """A link to the place on Amap (高德地图), opened by the visitor's browser: the server
    fetches no map (it runs without network); None without an address or district."""
    if not (address or district):
        return None
    words = "".join(dict.fromkeys(w for w in (city_name(city), district, address) if w))
    return f"{AMAP_SEARCH}?{urlencode({'keyword': words, 'src': 'factorlink'})}"


def today() -> date:
    """Today in the corridor (Beijing time)."""
    return datetime.now(BEIJING).date()


def days_left(until: date | None, on: date | None = None) -> dict[str, Any] | None:
    """How long until a deadline: days left (0 is today), or closed when past."""
    if until is None:
        return None
    left = (until - (on or today())).days
    if left < 0:
        return {"days": left, "label": "已截止", "open": False}
    if left == 0:
        return {"days": 0, "label": "今天截止", "open": True}
    return {"days": left, "label": "剩余 %d 天", "open": True}


def listing_period(start: date | None, end: date | None, on: date | None = None) -> str | None:
    """Where an achievement's listing period stands: 挂牌中, not yet, or expired."""
    if start is None and end is None:
        return None
    day = on or today()
    if start is not None and day < start:
        return "挂牌未开始"
    if end is not None and day > end:
        return "挂牌已到期"
    return "挂牌中"


def lead_link(lead_type: str, need: str) -> str:
    """The lead form filled in beforehand (its need at most 100 characters)."""
    return "/leads/new?" + urlencode({"lead_type": lead_type, "need": need[:100]})


def approach(session: Session, viewer: Viewer, kind: str, row: Any) -> dict[str, Any] | None:
    """ "我要洽谈/意向登记" on an achievement and "预约考察" on a carrier. A member with demands
    of their own on show asks for an introduction of one of them to the achievement (the
    operators' queue of requests); anyone else registers interest through the lead form,
    filled in with the listing (the operators' lead inbox)."""
    if getattr(row, "state", "active") != ListingState.active or viewer.is_staff:
        return None
    if kind == "achievement":
        title, code = row.title, row.code
        need = f"意向登记:{title}" + (f"({code})" if shown_code(code) else "")
        found: dict[str, Any] = {
            "label": "我要洽谈",
            "hint": "登记意向后,运营人员将在工作日内联系您并安排洽谈。",
            "lead": lead_link("technology", need),
            "choices": [],
        }
        if viewer.organization_id is not None and row.organization_id != viewer.organization_id:
            demands, _ = KINDS["demand"].service(session, viewer).mine(PageParams(1, 50))
            found["choices"] = [
                {"id": d.id, "title": d.title} for d in demands if d.state == ListingState.active
            ]
        elif row.organization_id == viewer.organization_id:
            return None
        return found
    if kind == "carrier":
        if viewer.organization_id is not None and row.organization_id == viewer.organization_id:
            return None
        code = shown_code(row.code)
        need = f"预约考察:{row.name}" + (f"({code})" if code else "")
        return {
            "label": "预约考察",
            "hint": "预约后,运营人员将联系您并安排实地考察。",
            "lead": lead_link("space", need),
            "choices": [],
        }
    return None


def organization_listings(session: Session, viewer: Viewer, org_id: int) -> list[dict[str, Any]]:
    """An organisation's own listings on show, by kind (newest first)."""
    groups = []
    for factor in KINDS.values():
        if factor.kind == PartyKind.organization:
            continue
        service = factor.service(session, viewer)
        filters = ListingFilters(
            organization_id=org_id, states=(ListingState.active.value,), sort="newest"
        )
        rows, total = service.repository.search(filters, PageParams(1, PER_KIND))
        if rows:
            items = [
                {
                    "id": r.id,
                    "title": getattr(r, factor.title_field),
                    "place": place_label(r.city, r.district),
                }
                for r in rows
            ]
            groups.append({"factor": factor, "rows": items, "total": total})
    return groups


def engagement(session: Session, viewer: Viewer, kind: str, row_id: int) -> Engagement:
    """Views, followers and whether the viewer follows."""
    return EngagementService(session, viewer).of(kind, row_id)


def gallery(session: Session, viewer: Viewer, row: Any) -> list[dict[str, Any]]:
    """A carrier's photos as its page shows them, the cover first, each with its place in the
    order ("2/5") for the alt text of a photo without a caption."""
    photos = present_photos(PhotoService(session, viewer).photos(row.id))
    return [
        {**p.model_dump(), "label": f"{n}/{len(photos)}"} for n, p in enumerate(photos, start=1)
    ]


def page_details(session: Session, viewer: Viewer, kind: str, row: Any) -> dict[str, Any]:
    """Everything the detail template adds to a listing's columns."""
    details: dict[str, Any] = {
        "place": place_label(getattr(row, "city", None), getattr(row, "district", None)),
        "shown_code": shown_code(getattr(row, "code", None)),
        "engagement": engagement(session, viewer, kind, row.id),
        "approach": approach(session, viewer, kind, row),
        "map_link": None,
        "deadline": None,
        "period": None,
        "org_listings": None,
        "gallery": None,
        "manages_photos": False,
    }
    if kind == "carrier":
        details["map_link"] = map_link(row.city, row.district, row.address)
        details["gallery"] = gallery(session, viewer, row)
        details["manages_photos"] = PhotoService(session, viewer).may_change(row)
    elif kind == "demand":
        details["deadline"] = days_left(row.deadline)
    elif kind == "achievement":
        details["period"] = listing_period(row.listed_from, row.listed_until)
        details["deadline"] = days_left(row.listed_until)
    elif kind == "organization":
        details["org_listings"] = organization_listings(session, viewer, row.id)
    return details
