"""Browse, search and read each factor kind; the detail page carries the match panel."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from factorlink.api.cookies import set_cookie
from factorlink.api.deps import DbSession
from factorlink.auth.viewer import Viewer
from factorlink.engagement import rules as views
from factorlink.engagement.service import EngagementService
from factorlink.errors import InvalidInput
from factorlink.kit.ids import IdPath
from factorlink.kit.pagination import MAX_PAGE, PageParams
from factorlink.listing.presenter import CONFIDENTIAL, present
from factorlink.listing.repository import ListingFilters
from factorlink.listing.service import ListingService, state_label
from factorlink.privacy.masking import PERSONAL_FIELDS, mask_mobiles_in
from factorlink.web import catalog
from factorlink.web.catalog import KINDS, FactorKind, shown_code
from factorlink.web.context import Web
from factorlink.web.forms import CheckedForm, FieldErrors, field_errors, text_fields
from factorlink.web.listing_details import page_details
from factorlink.web.matches import panel
from factorlink.web.pages.members import listing_extras
from factorlink.web.pages.news import listing_news
from factorlink.web.render import render

router = APIRouter()
PAGE_SIZE = 20

Text = Annotated[str | None, Query(max_length=100)]
Number = Annotated[str | None, Query(max_length=20)]


def _number(key: str, text: str | None, errors: FieldErrors) -> float | None:
    """A number typed in a filter; blank is no filter, anything else not a number an error."""
    if text is None or not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not (0 <= value <= 1e9):
        errors[key] = ("应为不小于0的数字", "must be a number of at least 0")
        return None
    return value


class Search(BaseModel):
    """The filters of a list page, as they stand in its address."""

    q: str | None = None
    city: str | None = None
    industry: str | None = None
    kind: str | None = None
    min_trl: int | None = None
    price_min: float | None = None
    price_max: float | None = None
    coop_mode: str | None = None
    sort: str = "relevance"

    def params(self) -> dict[str, Any]:
        """The non-empty filters, for links that keep them."""
        return {k: v for k, v in self.model_dump().items() if v not in (None, "", "relevance")}

    def filters(self) -> ListingFilters:
        return ListingFilters(**self.model_dump())


def _options(factor: FactorKind, lang: str, searching: bool) -> dict[str, Any]:
    return {
        "cities": catalog.city_options(lang),
        "industries": catalog.industry_options(lang),
        "coop_modes": catalog.coop_options(),
        "kinds": catalog.kind_options(factor.kind) if "kind" in factor.filters else [],
        "trls": catalog.TRL_OPTIONS,
        "sorts": catalog.sort_options(factor, searching),
    }


# The lead type of a visitor who did not find a kind, and what a member may post instead.
LEAD_TYPES = {"carrier": "space", "capital": "capital"}
COUNTERPARTS = {"achievement": "demand", "expert": "demand", "demand": "achievement"}


def post_routes(factor: FactorKind, query: str | None, viewer: Viewer) -> dict[str, Any]:
    """Where a visitor who found nothing may post the need: the lead form (for anyone), and the
    counterpart's form for a logged-in user (a demand when no achievement or expert fits)."""
    lead = {"lead_type": LEAD_TYPES.get(factor.kind, "technology")}
    if query:
        lead["need"] = query
    routes: dict[str, Any] = {"lead": "/leads/new?" + urlencode(lead)}
    counterpart = COUNTERPARTS.get(factor.kind)
    if counterpart is not None and not viewer.is_anonymous:
        href = f"/post/{counterpart}" + ("?" + urlencode({"title": query}) if query else "")
        routes["post"] = (href, catalog.KINDS[counterpart].label)
    return routes


def parse_search(
    q: str | None,
    city: str | None,
    industry: str | None,
    kind: str | None,
    min_trl: str | None,
    price_min: str | None,
    price_max: str | None,
    coop_mode: str | None,
    sort: str | None,
) -> tuple[Search, FieldErrors]:
    """The filters of the address; blank fields (an empty form's) are no filter."""
    errors: FieldErrors = {}
    trl = _number("min_trl", min_trl, errors)
    if trl is not None and not 1 <= trl <= 9:
        errors["min_trl"] = ("技术成熟度应为1至9", "readiness must be 1 to 9")
    search = Search(
        q=q or None,
        city=city or None,
        industry=industry or None,
        kind=kind or None,
        min_trl=int(trl) if trl is not None and "min_trl" not in errors else None,
        price_min=_number("price_min", price_min, errors),
        price_max=_number("price_max", price_max, errors),
        coop_mode=coop_mode or None,
        # Without a query the default order is the newest first: the same as asking for it.
        sort=sort if sort and (q or sort != "newest") else "relevance",
    )
    if errors:
        errors[""] = ("筛选条件有误", "Invalid filter")
    return search, errors


def _results(
    service: ListingService[Any], factor: FactorKind, search: Search, page: int, viewer: Viewer
) -> tuple[Search, list[Any], int, str | None]:
    # Names typed in the address (杭州, 新材料) show as the options they resolve to.
    resolved = service.resolve_filters(search.filters())
    shown = search.model_copy(
        update={k: getattr(resolved, k) for k in ("city", "industry", "kind", "coop_mode")}
    )
    found = service.find(resolved, PageParams(page, PAGE_SIZE))
    items = service.shown(found.rows)
    return shown, items, found.total, found.corrected


def list_page(factor: FactorKind) -> Any:
    """The list page of one kind."""

    def page_handler(
        web: Web,
        session: DbSession,
        q: Text = None,
        city: Text = None,
        industry: Text = None,
        kind: Text = None,
        min_trl: Number = None,
        price_min: Number = None,
        price_max: Number = None,
        coop_mode: Text = None,
        sort: Annotated[str | None, Query(max_length=20)] = None,
        page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    ) -> Response:
        search, errors = parse_search(
            q, city, industry, kind, min_trl, price_min, price_max, coop_mode, sort
        )
        service = factor.service(session, web.viewer)
        items: list[Any] = []
        total = 0
        corrected = None
        if not errors:
            try:
                search, items, total, corrected = _results(
                    service, factor, search, page, web.viewer
                )
            except InvalidInput as exc:
                errors = field_errors(exc)
        return render(
            web,
            "listings/index.html",
            status=422 if errors else 200,
            factor=factor,
            search=search,
            params=search.params(),
            items=items,
            total=total,
            page=page,
            page_size=PAGE_SIZE,
            errors=errors,
            corrected=corrected,
            routes=post_routes(factor, search.q, web.viewer),
            options=_options(factor, web.lang, bool(search.q)),
        )

    return page_handler


def visible_text(value: Any, masked: bool) -> Any:
    """A fact as the viewer may read it: mobiles typed into the text masked like the contact."""
    return mask_mobiles_in(value) if masked and isinstance(value, str) else value


def detail_page(factor: FactorKind) -> Any:
    """The detail page of one kind."""

    def page_handler(
        web: Web,
        session: DbSession,
        id: IdPath,
        target: Annotated[str | None, Query(max_length=20)] = None,
    ) -> Response:
        service = factor.service(session, web.viewer)
        row = service.get(id)
        contact = service.contact(row)
        item = present(factor.out, row, contact, staff=web.viewer.is_staff)
        facts = [
            (col.header, col.header_en, visible_text(value, contact.masked))
            for col in service.spec.columns
            if col.key not in PERSONAL_FIELDS
            and not (contact.masked and col.key in CONFIDENTIAL)
            and (value := col.format(row)) not in ("", None)
            and not (col.key == "code" and shown_code(value) is None)
        ]
        matches = panel(session, web.viewer, factor.kind, id, target)
        seen = web.request.cookies.get(views.SEEN_COOKIE)
        if web.request.method == "GET":  # a page read, not a HEAD
            seen = EngagementService(session, web.viewer).read(
                factor.kind, id, seen, web.request.headers.get("user-agent")
            )
        response = render(
            web,
            "listings/detail.html",
            factor=factor,
            item=item,
            title=getattr(item, factor.title_field),
            facts=facts,
            matches=matches,
            news=listing_news(session, web.viewer, factor.kind, id),
            state=getattr(row, "state", "active"),
            state_label=state_label(getattr(row, "state", "active"), factor.kind),
            **listing_extras(session, web.viewer, factor.kind, row, matches.items),
            **page_details(session, web.viewer, factor.kind, row),
        )
        if seen:
            set_cookie(response, views.SEEN_COOKIE, seen, max_age=views.SEEN_SECONDS)
        return response

    return page_handler


def follow_handler(factor: FactorKind) -> Any:
    """关注/取消关注 a listing (users only), back to its page."""

    def handler(web: Web, id: IdPath, form: CheckedForm) -> Response:
        on = text_fields(form, ("to",)).get("to") != "off"

        def change(session: Session, viewer: Viewer) -> None:
            factor.service(session, viewer).get(id)  # one the viewer may see
            EngagementService(session, viewer).follow(factor.kind, id, on=on)

        web.attempt(change)
        return RedirectResponse(f"/{factor.slug}/{id}#follow", status_code=303)

    return handler


for _factor in KINDS.values():
    router.add_api_route(f"/{_factor.slug}", list_page(_factor), methods=["GET"])
    router.add_api_route(f"/{_factor.slug}/{{id}}", detail_page(_factor), methods=["GET"])
    router.add_api_route(
        f"/{_factor.slug}/{{id}}/follow", follow_handler(_factor), methods=["POST"]
    )
