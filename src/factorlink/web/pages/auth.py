"""Login and logout pages; the language toggle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import RedirectResponse, Response

from factorlink.api.cookies import delete_cookie, set_cookie
from factorlink.api.deps import SESSION_COOKIE, AppSettings, Throttle
from factorlink.auth import access
from factorlink.auth.service import AuthService
from factorlink.auth.viewer import ANONYMOUS
from factorlink.errors import FactorLinkError, InvalidInput
from factorlink.lead.ratelimit import client_address
from factorlink.web.context import Web
from factorlink.web.forms import CheckedForm, field_errors, text_fields
from factorlink.web.i18n import LANG_COOKIE, LANGUAGES, register
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


@router.get("/account/password")
def password_page(web: Web) -> Response:
    """The form to change one's own password (a visitor is sent to log in first)."""
    access.require_user(web.viewer)
    return render(web, "password.html", errors={}, done=False)


@router.post("/account/password")
def change_password(
    web: Web, form: CheckedForm, settings: AppSettings, throttle: Throttle
) -> Response:
    """Changes one's own password; every other session and API token of the user ends, this
    browser stays logged in."""
    access.require_user(web.viewer)
    current, new, again = (
        value if isinstance(value := form.get(key), str) else ""
        for key in ("current_password", "new_password", "new_password_again")
    )
    try:
        if new != again:
            reason = ("两次输入的新密码不一致", "the two new passwords differ")
            raise InvalidInput(
                reason[0],
                message_en=reason[1],
                errors=[
                    {"field": "new_password_again", "reason": reason[0], "reason_en": reason[1]}
                ],
            )
        web.attempt(
            lambda session, viewer: AuthService(session, viewer).change_password(
                current,
                new,
                client=client_address(web.request, settings),
                throttle=throttle,
            )
        )
    except FactorLinkError as exc:
        return render(web, "password.html", status=exc.status, errors=field_errors(exc), done=False)
    return render(web, "password.html", errors={}, done=True)


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


register(
    {
        "修改密码": "Change password",
        "当前密码": "Current password",
        "新密码": "New password",
        "再次输入新密码": "New password again",
        "至少10个字符;不能是重复或连续的字符、用户名或常见密码": "At least 10 characters; "
        "not repeated or consecutive characters, the username or a common password",
        "密码已修改;其他登录会话和API令牌均已失效": "Password changed; your other sessions and "
        "API tokens no longer work",
    }
)
