"""Login and logout pages; the language toggle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import RedirectResponse, Response

from factorlink.api.cookies import delete_cookie, set_cookie
from factorlink.api.deps import SESSION_COOKIE, AppSettings, Throttle
from factorlink.auth.service import AuthService
from factorlink.auth.viewer import ANONYMOUS
from factorlink.errors import FactorLinkError
from factorlink.lead.ratelimit import client_address
from factorlink.web.context import Web
from factorlink.web.forms import CheckedForm, field_errors, text_fields
from factorlink.web.i18n import LANG_COOKIE, LANGUAGES
from factorlink.web.render import finish, render

router = APIRouter()


def safe_next(target: str | None) -> str:
    """A local path to go back to; anything else (another site) becomes the home page."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login")
def login_page(web: Web, next: Annotated[str | None, Query(max_length=500)] = None) -> Response:
    """The login form."""
    return render(web, "login.html", next=safe_next(next), errors={}, username="")


@router.post("/login")
def login(
    web: Web,
    form: CheckedForm,
    settings: AppSettings,
    throttle: Throttle,
) -> Response:
    """Checks the password; on success the session cookie is set and the visitor sent on."""
    fields = text_fields(form, ("username", "next"))
    password = form.get("password")
    try:
        issued = web.attempt(
            lambda session, _viewer: AuthService(session, ANONYMOUS).login(
                fields.get("username", ""),
                password if isinstance(password, str) else "",
                client=client_address(web.request, settings),
                session_days=settings.session_days,
                throttle=throttle,
            )
        )
    except FactorLinkError as exc:
        return render(
            web,
            "login.html",
            status=exc.status,
            next=safe_next(fields.get("next")),
            errors=field_errors(exc),
            username=fields.get("username", ""),
        )
    response = RedirectResponse(safe_next(fields.get("next")), status_code=303)
    set_cookie(response, SESSION_COOKIE, issued.secret, max_age=settings.session_days * 86_400)
    return response


@router.post("/logout")
def logout(web: Web, form: CheckedForm) -> Response:
    """Ends the login session and clears the cookie."""
    token = web.request.cookies.get(SESSION_COOKIE)
    web.attempt(lambda session, _viewer: AuthService(session, ANONYMOUS).logout(token))
    response = RedirectResponse("/", status_code=303)
    delete_cookie(response, SESSION_COOKIE)
    return response


@router.get("/lang/{lang}")
def set_language(
    web: Web, lang: str, next: Annotated[str | None, Query(max_length=500)] = None
) -> Response:
    """Switches the interface language (a cookie) and goes back to the page."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if lang in LANGUAGES:
        set_cookie(response, LANG_COOKIE, lang, max_age=365 * 86_400, httponly=False)
    return finish(web, response)
