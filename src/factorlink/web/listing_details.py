"""What a listing's page shows beyond its columns: where it is (with a map link the browser
opens), how long it stays open, its views and followers, what a visitor or member can do next
(我要洽谈, 预约考察, 关注), and on an organisation's page its own listings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from factorlink.auth.viewer import Viewer
from factorlink.db.factor import ListingState
from factorlink.engagement.service import Engagement, EngagementService
from factorlink.introduction.models import PartyKind
from factorlink.introduction.parties import party_owner, party_title
from factorlink.introduction.service import IntroductionService
from factorlink.introduction.vocab import status_label
from factorlink.kit.pagination import PageParams
from factorlink.kit.timezones import BEIJING
from factorlink.listing.repository import ListingFilters
from factorlink.matching.service import TARGETS
from factorlink.organization.models import Organization
from factorlink.photo.presenter import present_photos
from factorlink.photo.service import PhotoService
from factorlink.reference import city_name, get_region
from factorlink.web.catalog import KINDS, shown_code
from factorlink.web.i18n import register

# What a member's request from a listing's page is called, by the listing's kind; a demand has
# its own "我能解决" (answered with an achievement, counted as a response), so none here.
APPROACH_LABELS: dict[str, str] = {
    "achievement": "我要洽谈",
    "carrier": "预约考察",
    "capital": "申请对接",
    "expert": "申请对接",
    "organization": "申请对接",
}
APPROACH_HINTS: dict[str, str] = {
    "achievement": "登记意向后,运营人员将在工作日内联系您并安排洽谈。",
    "carrier": "预约后,运营人员将联系您并安排实地考察。",
}
MEMBER_HINT = "申请进入运营人员的对接队列,受理后联系双方;进展见“我的对接”。"
NOTE_PROMPTS: dict[str, str] = {
    "carrier": "希望考察的时间、人数、面积需求(选填)",
}
NOTE_PROMPT = "想了解或洽谈的内容(选填)"
# The lead type a visitor's interest in a listing of this kind is sent as (the lead form).
LEAD_TYPES: dict[str, str] = {
    "achievement": "technology",
    "expert": "technology",
    "carrier": "space",
    "capital": "capital",
}
# How many of each kind of the member's own listings the request form offers.
OWN_CHOICES = 50


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
        "申请方": "On behalf of",
        "提交申请": "Send the request",
        MEMBER_HINT: (
            "Your request joins the operators' introduction queue; once accepted they contact "
            "both sides. Follow it under My introductions."
        ),
        NOTE_PROMPT: "What you would like to know or discuss (optional)",
        "希望考察的时间、人数、面积需求(选填)": (
            "When you would like to visit, how many people, the floor area you need (optional)"
        ),
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

AMAP_SEARCH = "https://uri.amap.com/search"
# How many of an organisation's listings of each kind its page shows.
PER_KIND = 20


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


def own_sides(session: Session, viewer: Viewer, kind: str) -> list[dict[str, Any]]:
    """What a member may put forward for a listing of this kind: their organisation itself, then
    their own listings on show of the kinds matched with it (a demand for an achievement, an
    achievement for capital), each as "kind:id" with its kind's label and title."""
    org = session.get(Organization, viewer.organization_id)
    if org is None:
        return []
    sides = [{"value": f"organization:{org.id}", "kind_label": "本机构", "title": org.name}]
    this = PartyKind(kind)
    for factor in KINDS.values():
        other = PartyKind(factor.kind)
        if other in (PartyKind.organization, PartyKind.lead):
            continue
        if this not in TARGETS.get(other, ()) and other not in TARGETS.get(this, ()):
            continue
        rows, _ = factor.service(session, viewer).mine(PageParams(1, OWN_CHOICES))
        sides += [
            {
                "value": f"{factor.kind}:{r.id}",
                "kind_label": factor.label,
                "title": getattr(r, factor.title_field),
            }
            for r in rows
            if r.state == ListingState.active
        ]
    return sides


def approach(session: Session, viewer: Viewer, kind: str, row: Any) -> dict[str, Any] | None:
    """What a visitor or member does next on another's listing: "我要洽谈" on an achievement,
    "预约考察" on a carrier, "申请对接" on capital, an expert or an organisation. A member of an
    organisation asks for an introduction of their organisation, or of one of its listings, to
    this one: it lands in the operators' queue with both parties and is followed on 我的对接
    (a request already made shows its state instead). A visitor (or a user of no organisation)
    registers interest through the lead form, filled in with the listing (the lead inbox)."""
    label = APPROACH_LABELS.get(kind)
    if label is None or viewer.is_staff:
        return None
    if getattr(row, "state", "active") != ListingState.active:
        return None
    org_id = viewer.organization_id
    if org_id is not None and party_owner(PartyKind(kind), row) == org_id:
        return None
    title = party_title(PartyKind(kind), row)
    code = shown_code(getattr(row, "code", None))
    found: dict[str, Any] = {
        "label": label,
        "hint": APPROACH_HINTS.get(kind, MEMBER_HINT),
        "lead": None,
        "choices": [],
        "asked": [],
        "note_prompt": NOTE_PROMPTS.get(kind, NOTE_PROMPT),
    }
    if org_id is None or viewer.is_anonymous:
        if kind not in LEAD_TYPES:
            return None
        need = f"{'意向登记' if kind == 'achievement' else label}:{title}"
        found["lead"] = lead_link(LEAD_TYPES[kind], need + (f"({code})" if code else ""))
        return found
    found["hint"] = MEMBER_HINT
    made = IntroductionService(session, viewer).own_with(PartyKind(kind), row.id)
    for side in own_sides(session, viewer, kind):
        other_kind, _, other_id = side["value"].partition(":")
        intro = made.get((PartyKind(other_kind), int(other_id)))
        if intro is None:
            found["choices"].append(side)
        else:
            state = {"id": intro.id, "status": intro.status.value}
            found["asked"].append({**side, "state": state | {"label": status_label(intro.status)}})
    return found


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
