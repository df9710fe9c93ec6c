"""Jinja2 rendering: one environment, templates under web/templates, the shared page context."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from starlette.responses import HTMLResponse, Response

from factorlink import __version__
from factorlink.api.cookies import SESSION_COOKIE, delete_cookie
from factorlink.introduction.vocab import note_parts
from factorlink.kit.timezones import MINUTE, beijing
from factorlink.web import csrf
from factorlink.web.context import WebRequest
from factorlink.web.i18n import pick, translate, translate_value

TEMPLATES = Path(__file__).with_name("templates")
# Pages run only their own scripts, are never framed, and post only to this site. Styles allow
# inline attributes (a score bar's width; ECharts draws with them).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
STATIC = Path(__file__).with_name("static")


def _money(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def beijing_time(value: datetime | None, lang: str = "zh", fmt: str = MINUTE) -> str:
    """A stored time as people in the corridor read it: "2026-12-05 10:00 北京时间" (the one
    formatter, kit.timezones.beijing, with the zone named in the page's language)."""
    if value is None:
        return "—"
    if "%H" not in fmt:  # a day alone names no zone
        return beijing(value, fmt)
    return f"{beijing(value, fmt)} {translate('北京时间', lang)}"


@pass_context
def _beijing(context: Context, value: datetime | None, fmt: str = MINUTE) -> str:
    return beijing_time(value, str(context.get("lang") or "zh"), fmt)


@pass_context
def _request_note(context: Context, note: str | None) -> str:
    """A request's note with its purpose (预约考察) in the page's language, the words typed after
    it as typed: "Book a visit: 下周二上午"."""
    purpose, typed = note_parts(note)
    if purpose is None:
        return typed
    lang = str(context.get("lang") or "zh")
    said = translate(purpose, lang)
    return f"{said}{':' if lang == 'zh' else ': '}{typed}" if typed else said


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The template environment (autoescaped HTML)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(("html",)),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = _money
    env.filters["percent"] = _percent
    env.filters["beijing"] = _beijing
    env.filters["request_note"] = _request_note
    env.globals["version"] = __version__
    env.globals["with_query"] = with_query
    return env


def with_query(params: dict[str, Any], **changes: Any) -> str:
    """A query string from the current filters with some changed (None drops a key)."""
    merged = {**params, **changes}
    kept = {k: v for k, v in merged.items() if v not in (None, "")}
    return "?" + urlencode(kept, doseq=True) if kept else "?"


def render(web: WebRequest, template: str, status: int = 200, **context: Any) -> Response:
    """Renders a page with the shared context; sets the pre-session secret a first visit needs."""
    lang = web.lang
    html = (
        environment()
        .get_template(template)
        .render(
            web=web,
            request=web.request,
            lang=lang,
            _=lambda text: translate(text, lang),
            # A value (a kind, a city, an industry, 是/否, a figure and its unit) in the language.
            term=lambda value: translate_value(value, lang),
            pick=lambda zh, en: pick(lang, zh, en),
            # What follows a label: the full-width colon in Chinese, ": " in English.
            colon=":" if lang == "zh" else ": ",
            csrf_field=csrf.FIELD,
            csrf_token=web.csrf_token,
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status)
    finish(web, response)
    return response


def finish(web: WebRequest, response: Response) -> Response:
    """Applies the cookie changes a page request needs (pre-session secret, stale session)."""
    if web.new_presession:
        csrf.set_presession(response, web.csrf_seed)
    if web.stale_session:
        delete_cookie(response, SESSION_COOKIE)
    response.headers.update(SECURITY_HEADERS)
    return response
