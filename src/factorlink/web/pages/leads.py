"""The lead journey of a visitor: the form (/leads/new), and the lead's private page.

A lead is posted, stored, and the browser is sent on (303) to the lead's private page, so a
reload shows the page again instead of posting a second lead. The private page's address holds
a random secret (a capability: whoever has the link is the sender; only the secret's digest is
stored): there the sender reads the 受理编号, who will call and when, everything they sent (the
contact masked, mobiles typed in the text too: a link can be forwarded), the lead's state, and
withdraws consent or erases their personal data.

A form whose token has expired ("页面已过期") comes back with everything typed and a fresh token;
a refused lead (a bad field, the rate limit) keeps what was typed and says what to fix; only
accepted leads count against the rate limit.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from factorlink.api.deps import AppSettings, LeadLimiter
from factorlink.auth.viewer import Viewer
from factorlink.config import Settings
from factorlink.errors import FactorLinkError, PermissionDenied
from factorlink.lead.intake import CONSENT_LABEL, STATUS_LABELS, TYPE_LABELS
from factorlink.lead.models import Lead
from factorlink.lead.presenter import LINK_PATH, callback_text, matches_note
from factorlink.lead.ratelimit import counted_lead
from factorlink.lead.schemas import LeadIn
from factorlink.lead.service import LeadService
from factorlink.matching.presenter import present_match
from factorlink.privacy.masking import mask_mobile, mask_mobiles_in, mask_name
from factorlink.reference import city_name, get_region, industry_name
from factorlink.web import catalog, csrf
from factorlink.web.catalog import detail_href, shown_code
from factorlink.web.context import Web
from factorlink.web.forms import field_errors, parse_model, text_fields
from factorlink.web.i18n import register
from factorlink.web.render import render

router = APIRouter()

LEAD_TYPES = ("technology", "space", "capital")
# Text a link may put in the form beforehand (a search that found nothing): the need.
Prefill = Annotated[str | None, Query(max_length=100)]
LinkToken = Annotated[str, Path(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
LEAD_FIELDS = (
    "need",
    "purpose",
    "annual_tax_wan",
    "company",
    "contact_name",
    "contact_mobile",
    "lead_type",
    "preferred_cities",
    "industry",
    "city",
)
# The form's fields in the order of the corridor's message (需求、用途、税收、公司、联系人、手机号),
# labelled as the error summary names them (the spec's headers).
FORM_FIELDS: tuple[dict[str, Any], ...] = (
    {"key": "need", "label": "需求", "label_en": "Need", "required": True, "textarea": True,
     "example": "新能源汽车电池包散热方案,希望与高校合作开发"},
    {"key": "purpose", "label": "用途", "label_en": "Purpose", "required": False,
     "textarea": False, "example": "新建产线"},
    {"key": "annual_tax_wan", "label": "税收", "label_en": "Annual tax", "required": False,
     "textarea": False, "example": "500万元/年、年纳税约500万"},
    {"key": "company", "label": "公司", "label_en": "Company", "required": False,
     "textarea": False, "example": ""},
    {"key": "contact_name", "label": "联系人", "label_en": "Contact", "required": True,
     "textarea": False, "example": ""},
    {"key": "contact_mobile", "label": "手机号", "label_en": "Mobile", "required": True,
     "textarea": False, "example": "13812345678"},
    {"key": "preferred_cities", "label": "意向城市", "label_en": "Preferred cities",
     "required": False, "textarea": False, "example": "松江、嘉兴"},
    {"key": "industry", "label": "所属行业", "label_en": "Industry", "required": False,
     "textarea": False, "example": "新材料"},
    {"key": "city", "label": "所在城市", "label_en": "City", "required": False,
     "textarea": False, "example": "上海市松江区"},
)  # fmt: skip
for _field in FORM_FIELDS:
    _field["choices"] = None


def _options(web: Web) -> dict[str, Any]:
    return {
        "cities": catalog.city_options(web.lang),
        "industries": catalog.industry_options(web.lang),
    }


def consent_terms(settings: Settings) -> dict[str, Any]:
    """What the consent says: who keeps the data, how long, who else gets the contact, and how
    consent is withdrawn."""
    region = get_region()
    return {
        "operator": region.operator or region.name,
        "operator_en": region.operator_en or region.name_en,
        "retention_days": settings.lead_retention_days,
    }


def _form(
    web: Web,
    settings: Settings,
    values: dict[str, Any],
    errors: dict[str, tuple[str, str]],
    status: int = 200,
) -> Response:
    return render(
        web,
        "leads/form.html",
        status=status,
        fields=FORM_FIELDS,
        values=values,
        errors=errors,
        consent_label=CONSENT_LABEL,
        terms=consent_terms(settings),
        **_options(web),
    )


@router.get("/leads/new")
def lead_form(
    web: Web, settings: AppSettings, need: Prefill = None, lead_type: Prefill = None
) -> Response:
    """The lead form: anyone may send one, with consent. A link may fill in the need and the
    type (from a search that found nothing); an unknown type is left unchosen."""
    values = {"need": (need or "").strip(), "lead_type": lead_type}
    values = {k: v for k, v in values.items() if v and (k != "lead_type" or v in LEAD_TYPES)}
    return _form(web, settings, values, {})


async def _posted(request: Request) -> FormData:
    form = await request.form()
    await form.close()  # text fields only: nothing to keep open
    return form


@router.post("/leads/new")
async def post_lead(
    web: Web, request: Request, settings: AppSettings, limiter: LeadLimiter
) -> Response:
    """Stores a lead (accepted leads count against the rate limit) and sends the browser on to
    its private page; a refused or expired form comes back with everything typed."""
    form = await _posted(request)
    cells: dict[str, Any] = text_fields(form, LEAD_FIELDS)
    if form.get("consent") == "yes":
        cells["consent"] = True
    token = form.get(csrf.FIELD)
    if not csrf.is_valid(request, token if isinstance(token, str) else None):
        expired = PermissionDenied(
            "页面已过期:您填写的内容已保留,请核对后再次提交",
            message_en="This page had expired: what you typed is kept; check it and send again",
        )
        return _form(web, settings, cells, field_errors(expired), status=403)
    window = timedelta(hours=settings.lead_duplicate_hours)

    def send(session: Session, viewer: Viewer) -> str:
        service = LeadService(session, viewer)
        row = service.parse(parse_model(LeadIn, cells).model_dump(exclude_none=True))
        with counted_lead(limiter, request, settings):
            return service.send(row, source="web", merge_window=window).link_token

    try:
        link = web.attempt(send)
    except FactorLinkError as exc:
        response = _form(web, settings, cells, field_errors(exc), status=exc.status)
        response.headers.update(exc.headers)
        return response
    return RedirectResponse(f"{LINK_PATH}{link}?sent=1", status_code=303)


def _masked_match(match: Any) -> dict[str, Any]:
    """A match as the link's holder sees it: mobiles typed in its texts masked too."""
    shown = present_match(match).model_dump()
    shown["title"] = mask_mobiles_in(shown["title"])
    for criterion in shown["criteria"]:
        for key in ("detail", "detail_en"):
            criterion[key] = mask_mobiles_in(criterion.get(key))
    shown["href"] = detail_href(match.kind, match.id)
    shown["code"] = shown_code(shown["code"])  # its name says what it is; a hash code does not
    return shown


def typed_industry(typed: str | None, code: str | None) -> str | None:
    """The industry as the sender typed it, with the catalogue's where it differs as a hint:
    "汽车零部件(新能源汽车/智能网联汽车)"; the catalogue's name alone where nothing was typed."""
    name = industry_name(code)
    return f"{typed}({name})" if typed and name and typed != name else name


def sender_state(lead: Lead) -> tuple[str, str]:
    """The lead's state as its sender reads it: withdrawn or erased once they did so (nobody
    calls them any more, whatever the inbox says), else the inbox's (新线索, 处理中…)."""
    if lead.consent_withdrawn_at is not None:
        return "withdrawn", "已撤回同意"
    if lead.erased_at is not None:
        return "erased", "已删除个人信息"
    return lead.status.value, STATUS_LABELS[lead.status]


def _echo(lead: Lead) -> dict[str, Any]:
    """Everything the sender sent, as the link's holder may see it (contact masked)."""
    status, status_label = sender_state(lead)
    return {
        "reference": lead.reference,
        "lead_type_label": TYPE_LABELS[lead.lead_type],
        "status": status,
        "status_label": status_label,
        "need": mask_mobiles_in(lead.need),
        "purpose": mask_mobiles_in(lead.purpose),
        "tax": lead.annual_tax_text
        or (f"{lead.annual_tax_wan:g}万元" if lead.annual_tax_wan is not None else None),
        "company": lead.company,
        "contact_name": mask_name(lead.contact_name),
        "contact_mobile": mask_mobile(lead.contact_mobile),
        "preferred_city_names": [city_name(c) or c for c in lead.preferred_cities],
        "industry_name": typed_industry(lead.industry_text, lead.industry),
        # For English: the typed words as typed, the catalogue's name in the page's language.
        "industry_typed": lead.industry_text,
        "industry_catalogue": industry_name(lead.industry),
        "city_name": " ".join(n for n in (city_name(lead.city), lead.district) if n),
        "created_at": lead.created_at,
        "consent_withdrawn_at": lead.consent_withdrawn_at,
        "erased_at": lead.erased_at,
    }


def _status_page(web: Web, settings: Settings, token: str, notice: str | None) -> Response:
    def read(session: Session, viewer: Viewer) -> dict[str, Any]:
        service = LeadService(session, viewer)
        lead = service.by_link(token)
        withdrawn = lead.consent_withdrawn_at is not None
        matches = [] if withdrawn else service.matches(lead)
        callback = callback_text(lead, settings.lead_callback_working_days)
        return {
            "lead": _echo(lead),
            "matches": [_masked_match(m) for m in matches],
            "matches_note": None if withdrawn else matches_note(matches),
            "callback": callback,
        }

    shown = web.attempt(read)
    response = render(
        web,
        "leads/status.html",
        token=token,
        link=str(web.request.base_url).rstrip("/") + LINK_PATH + token,
        notice=notice,
        terms=consent_terms(settings),
        **shown,
    )
    # The address is the key to the page: never sent on to another site as a Referer.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.get("/leads/status/{token}")
def lead_status(
    web: Web,
    token: LinkToken,
    settings: AppSettings,
    sent: Annotated[int, Query(ge=0, le=1)] = 0,
    done: Annotated[str | None, Query(pattern="^(withdraw|erase)$")] = None,
) -> Response:
    """The lead's private page: its 受理编号, who calls and when, what was sent, its state."""
    return _status_page(web, settings, token, done or ("sent" if sent else None))


@router.post("/leads/status/{token}/withdraw")
async def withdraw(web: Web, request: Request, token: LinkToken, settings: AppSettings) -> Response:
    """The sender withdraws consent: the contact details are erased, introductions closed."""
    return await _change(web, request, token, settings, "withdraw")


@router.post("/leads/status/{token}/erase")
async def erase(web: Web, request: Request, token: LinkToken, settings: AppSettings) -> Response:
    """The sender erases their name, mobile and company; the need stays for the statistics."""
    return await _change(web, request, token, settings, "erase")


async def _change(
    web: Web, request: Request, token: str, settings: Settings, what: str
) -> Response:
    form = await _posted(request)
    submitted = form.get(csrf.FIELD)
    if not csrf.is_valid(request, submitted if isinstance(submitted, str) else None):
        return _status_page(web, settings, token, "expired")

    def change(session: Session, viewer: Viewer) -> None:
        service = LeadService(session, viewer)
        if what == "withdraw":
            service.withdraw_by_link(token)
        else:
            service.erase_by_link(token)

    web.attempt(change)
    return RedirectResponse(f"{LINK_PATH}{token}?done={what}", status_code=303)


register(
    {
        "提交需求": "Send a request",
        "告诉我们您需要的技术、空间或资金,平台将为您匹配资源并安排专人对接。": (
            "Tell us the technology, space or funding you need: the platform matches resources "
            "and an operator puts you in touch."
        ),
        "请说明您的需求、用途、税收、公司、联系人、手机号,以便快速帮您对接资源。": (
            "Tell us your need, its purpose, your annual tax, company, contact and mobile, so we "
            "can connect you quickly."
        ),
        "需求类型": "Type of need",
        "技术": "Technology",
        "空间载体": "Space",
        "资本": "Capital",
        "例如": "e.g.",
        "必填": "required",
        "个人信息同意": "Consent to the use of your personal data",
        "我同意": "I agree that",
        "保存以上信息,并据此与我联系。": "keeps the above and contacts me about it.",
        "保存期限": "Kept for",
        "天,期满删除联系人、手机号和公司。": (
            "days; then the contact, mobile and company are deleted."
        ),
        "平台为我介绍对接方后,我的联系人和手机号将提供给该对接方。": (
            "Once the platform introduces me to a counterpart, my contact name and mobile go to "
            "that counterpart."
        ),
        "提交后您会得到一个专属链接,可随时通过它查看进度、撤回同意并删除个人信息。": (
            "After sending you get a private link: there you follow the request, withdraw your "
            "consent and erase your personal data at any time."
        ),
        "提交": "Send",
        "需求已提交": "Request sent",
        "受理编号": "Reference number",
        "谁来联系": "Who calls",
        "您提交的信息": "What you sent",
        "需求": "Need",
        "用途": "Purpose",
        "税收": "Annual tax",
        "公司": "Company",
        "联系人": "Contact",
        "意向城市": "Preferred cities",
        "所属行业": "Industry",
        "所在城市": "City",
        "提交时间": "Sent at",
        "北京时间": "Beijing time",
        "进度": "State",
        "专属链接": "Your private link",
        "请保存此链接:凭它查看进度、撤回同意或删除个人信息。链接即凭证,请勿转发。": (
            "Keep this link: with it you follow the request, withdraw consent or erase your "
            "personal data. Whoever has the link can do so: do not forward it."
        ),
        "为您找到的资源": "Resources found for you",
        "撤回同意": "Withdraw consent",
        "撤回同意后,平台不再与您联系,您的联系人、手机号和公司将被删除,进行中的对接随之关闭。": (
            "Once consent is withdrawn the platform no longer contacts you; your contact, mobile "
            "and company are deleted and open introductions are closed."
        ),
        "只删除个人信息": "Erase my personal data only",
        "删除联系人、手机号和公司;需求本身保留用于统计。": (
            "Deletes the contact, mobile and company; the need itself stays for the statistics."
        ),
        "您已撤回同意,个人信息已删除。": "Consent withdrawn; your personal data is erased.",
        "您的个人信息已删除。": "Your personal data is erased.",
        "页面已过期,请再操作一次。": "This page had expired; please do it again.",
        "已撤回同意": "Consent withdrawn",
        "个人信息已删除": "Personal data erased",
        "已删除": "erased",
        "已删除个人信息": "Personal data erased",
        "已删除个人信息,平台不再与您联系。": (
            "Personal data erased: the platform no longer contacts you."
        ),
    }
)
