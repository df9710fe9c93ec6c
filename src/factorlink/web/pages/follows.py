"""我的关注: the listings a user follows (关注 on a listing's page), newest first."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from factorlink.api.deps import DbSession
from factorlink.db.factor import ListingState
from factorlink.engagement.service import EngagementService
from factorlink.errors import NotFound
from factorlink.listing.service import state_label
from factorlink.web.catalog import KINDS
from factorlink.web.context import Web
from factorlink.web.errors import login_redirect
from factorlink.web.i18n import register
from factorlink.web.listing_details import place_label
from factorlink.web.render import render

router = APIRouter(prefix="/my")

register(
    {
        "我的关注": "Following",
        "还没有关注的信息": "You follow nothing yet",
        "在信息页点击“关注”,之后可在这里找到。": (
            "Press 关注 (Follow) on a listing's page to find it here."
        ),
    }
)


@router.get("/follows")
def my_follows(web: Web, session: DbSession) -> Response:
    """The listings the user follows that they may still see (a withdrawn one drops out)."""
    if web.viewer.is_anonymous:
        return login_redirect(web.request)
    items: list[dict[str, Any]] = []
    for kind, listing_id in EngagementService(session, web.viewer).followed():
        factor = KINDS.get(kind)
        if factor is None:
            continue
        try:
            row: Any = factor.service(session, web.viewer).get(listing_id)
        except NotFound:
            continue  # deleted, or withdrawn by its owner
        state = getattr(row, "state", ListingState.active)
        items.append(
            {
                "href": f"/{factor.slug}/{listing_id}",
                "label": factor.label,
                "title": getattr(row, factor.title_field),
                "place": place_label(getattr(row, "city", None), getattr(row, "district", None)),
                "state": state,
                "state_label": state_label(state, kind),
            }
        )
    return render(web, "members/follows.html", items=items)
