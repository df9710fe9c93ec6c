"""Forms to post a demand, an achievement, a capital product, a carrier or an expert (the lead
form is web/pages/leads.py).

Each form is parsed with the API's own input schema and stored by the same service; the typed
errors come back next to their fields, in Chinese.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import JSONResponse, RedirectResponse, Response

from factorlink.api.deps import DbSession
from factorlink.auth import access
from factorlink.auth.viewer import Viewer
from factorlink.errors import FactorLinkError, NotFound
from factorlink.organization.models import Organization
from factorlink.reference import city_name
from factorlink.validation.vocab import COOP_MODES
from factorlink.web import catalog
from factorlink.web.catalog import KINDS, FactorKind
from factorlink.web.context import Web
from factorlink.web.errors import login_redirect
from factorlink.web.forms import CheckedForm, field_errors, parse_model, text_fields
from factorlink.web.industry_hints import ACCEPTS, INDUSTRY_FIELDS, understood
from factorlink.web.render import render

router = APIRouter()

TEXTAREAS = frozenset(
    {"abstract", "description", "services", "need", "purpose", "eligibility", "how_to_apply"}
)
# Text a link may put in a form beforehand (a search that found nothing): a title.
Prefill = Annotated[str | None, Query(max_length=100)]


def _factor(kind: str) -> FactorKind:
    factor = KINDS.get(kind)
    if factor is None:
        raise NotFound("没有这种信息类型", message_en=f"no listing kind {kind!r}")
    return factor


def form_fields(factor: FactorKind, viewer: Viewer) -> list[dict[str, Any]]:
    """The fields of a kind's form: its spreadsheet columns that its input schema accepts."""
    accepted = set(factor.form.model_fields) - {"code"}
    if not viewer.is_staff:
        accepted.discard("organization")  # members post as their own organisation
    return [
        {
            "key": col.key,
            "label": col.header,
            "label_en": col.header_en,
            "required": col.required,
            "example": col.example,
            "textarea": col.key in TEXTAREAS,
            "choices": list(COOP_MODES) if col.key == "coop_modes" else None,
            # An industry field says what it accepts and what the words typed are matched as.
            "accepts": ACCEPTS if col.key in INDUSTRY_FIELDS else None,
        }
        for col in factor.service.spec.columns
        if col.key in accepted
    ]


def _cells(form: FormData, fields: list[dict[str, Any]]) -> dict[str, Any]:
    keys = tuple(f["key"] for f in fields)
    cells: dict[str, Any] = text_fields(form, keys)
    for f in fields:
        if f["choices"] is not None:
            picked = [v for v in form.getlist(f["key"]) if isinstance(v, str) and v]
            cells[f["key"]] = "、".join(picked) if picked else None
    return {k: v for k, v in cells.items() if v is not None}


def _options(web: Web) -> dict[str, Any]:
    return {
        "cities": catalog.city_options(web.lang),
        "industries": catalog.industry_options(web.lang),
    }


def organization_prefill(
    session: Session, viewer: Viewer, fields: list[dict[str, Any]]
) -> dict[str, Any]:
    """A member's form starts with their organisation's city and contact (they may change them)."""
    if viewer.organization_id is None or viewer.is_staff:
        return {}
    org = session.get(Organization, viewer.organization_id)
    if org is None:
        return {}
    known = {
        "city": city_name(org.city) if org.city else None,
        "contact_name": org.contact_name,
        "contact_mobile": org.contact_mobile,
    }
    keys = {f["key"] for f in fields}
    return {k: v for k, v in known.items() if v and k in keys}


def industry_hints(values: dict[str, Any], lang: str) -> dict[str, str | None]:
    """What each industry field's words are matched as (shown under the field)."""
    return {key: understood(str(values.get(key) or ""), lang) for key in INDUSTRY_FIELDS}


@router.get("/post/industry-hint")
def industry_hint(web: Web, q: Annotated[str, Query(max_length=300)] = "") -> Response:
    """What industry words are matched as, in the page's language, for the hint the post form
    updates as one types (app.js); the words themselves are kept as typed."""
    return JSONResponse({"text": understood(q, web.lang) or ""})


@router.get("/post")
def choose(web: Web) -> Response:
    """What one may post."""
    if web.viewer.is_anonymous:
        return login_redirect(web.request)
    kinds = [k for k in KINDS.values() if k.kind != "organization" or web.viewer.is_staff]
    return render(web, "forms/choose.html", kinds=kinds)


@router.get("/post/{kind}")
def listing_form(web: Web, session: DbSession, kind: str, title: Prefill = None) -> Response:
    """The form of a kind, empty or with the title a link gave."""
    factor = _factor(kind)
    if web.viewer.is_anonymous:
        return login_redirect(web.request)
    fields = form_fields(factor, web.viewer)
    values = organization_prefill(session, web.viewer, fields)
    if title and title.strip():
        values["title"] = title.strip()
    return render(
        web,
        "forms/listing.html",
        factor=factor,
        fields=fields,
        values=values,
        errors={},
        hints=industry_hints(values, web.lang),
        **_options(web),
    )


@router.post("/post/{kind}")
def post_listing(web: Web, kind: str, form: CheckedForm) -> Response:
    """Stores a listing and opens its page, where its matches are."""
    factor = _factor(kind)
    fields = form_fields(factor, web.viewer)
    cells = _cells(form, fields)

    def create(session: Session, viewer: Viewer) -> int:
        access.require_user(viewer, ("请先登录后再发布", "Login required to post listings"))
        body: BaseModel = parse_model(factor.form, cells)
        service = factor.service(session, viewer)
        return int(service.create(body.model_dump(exclude_none=True)).id)

    try:
        new_id = web.attempt(create)
    except FactorLinkError as exc:
        values = {**cells, **{f["key"]: form.getlist(f["key"]) for f in fields if f["choices"]}}
        return render(
            web,
            "forms/listing.html",
            status=exc.status,
            factor=factor,
            fields=fields,
            values=values,
            errors=field_errors(exc),
            hints=industry_hints(values, web.lang),
            **_options(web),
        )
    return RedirectResponse(f"/{factor.slug}/{new_id}?created=1#matches", status_code=303)
