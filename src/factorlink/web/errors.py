"""Errors on pages are pages: the API keeps its problem details, browsers get HTML."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from factorlink.api.messages import HTTP_STATUS
from factorlink.errors import FactorLinkError, InvalidInput, NotAuthenticated
from factorlink.web.context import WebRequest, web_request
from factorlink.web.render import render

Handler = Callable[[Request, Exception], Response | Awaitable[Response]]

# Paths that belong to the API and its documentation; everything else is a page.
API_PATHS = ("/api/", "/docs", "/redoc", "/openapi.json", "/healthz", "/static/")


def is_page(request: Request) -> bool:
    """Tells whether a request is for a page rather than the API."""
    return not request.url.path.startswith(API_PATHS)


def _web(request: Request) -> WebRequest:
    existing = getattr(request.state, "web", None)
    return existing if isinstance(existing, WebRequest) else web_request(request)


def error_page(request: Request, status: int, message: str, message_en: str | None) -> Response:
    """The error page, in the visitor's language."""
    return render(
        _web(request), "error.html", status=status, message=message, message_en=message_en
    )


def login_redirect(request: Request) -> Response:
    """Sends a visitor who must log in to the login page, and back here afterwards."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def _business(exc: Exception, request: Request) -> Response:
    assert isinstance(exc, FactorLinkError)
    if isinstance(exc, NotAuthenticated) and request.method == "GET":
        return login_redirect(request)
    return error_page(request, exc.status, exc.message, exc.message_en)


def _validation(exc: Exception, request: Request) -> Response:
    bad = InvalidInput("地址中的参数有误", message_en="Invalid parameters in the address")
    return error_page(request, 400, bad.message, bad.message_en)


def _http(exc: Exception, request: Request) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    zh, en = HTTP_STATUS.get(exc.status_code, (str(exc.detail), str(exc.detail)))
    return error_page(request, exc.status_code, zh, en)


def _dispatch(api: Handler, page: Callable[[Exception, Request], Response]) -> Handler:
    async def handler(request: Request, exc: Exception) -> Response:
        if is_page(request):
            return page(exc, request)
        response = api(request, exc)
        return await response if isinstance(response, Awaitable) else response

    return handler


def install(app: FastAPI) -> None:
    """Wraps the problem-details handlers so that page requests get HTML error pages."""
    pairs: tuple[tuple[type[Exception], Callable[[Exception, Request], Response]], ...] = (
        (FactorLinkError, _business),
        (RequestValidationError, _validation),
        (StarletteHTTPException, _http),
    )
    for exc_class, page in pairs:
        api = app.exception_handlers[exc_class]
        app.add_exception_handler(exc_class, _dispatch(api, page))
