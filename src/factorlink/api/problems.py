"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from factorlink.api.messages import HTTP_STATUS, HTTP_TITLES, reason_zh
from factorlink.errors import FactorLinkError

logger = logging.getLogger("factorlink.api")
MEDIA_TYPE = "application/problem+json"


def problem(
    request: Request,
    status: int,
    code: str,
    title: str,
    detail: str,
    **extra: Any,
) -> JSONResponse:
    """Builds a problem-details response."""
    return problem_at(request.url.path, status, code, title, detail, **extra)


def problem_at(
    path: str, status: int, code: str, title: str, detail: str, **extra: Any
) -> JSONResponse:
    """Builds a problem-details response about a path (its `instance`)."""
    body = {
        "type": f"/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": path,
        **{k: v for k, v in extra.items() if v is not None},
    }
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def business_problem(path: str, exc: FactorLinkError) -> JSONResponse:
    """A business error (`factorlink.errors`) as problem details, with its headers."""
    response = problem_at(
        path,
        exc.status,
        exc.code,
        exc.title,
        exc.message,
        detail_en=exc.message_en,
        errors=exc.errors or None,
    )
    response.headers.update(exc.headers)
    return response


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def _business(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, FactorLinkError)
    return business_problem(request.url.path, exc)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "field": _field_path(tuple(e.get("loc", ()))),
            "reason": f"{_field_path(tuple(e.get('loc', ())))}{reason_zh(dict(e))}",
            "reason_en": e.get("msg", ""),
            "type": e.get("type"),
        }
        for e in exc.errors()
    ]
    fields = "、".join(e["field"] for e in errors)
    return problem(
        request,
        422,
        "invalid-input",
        "Invalid input",
        f"输入有误:{fields}",
        detail_en=f"Invalid input: {fields}",
        errors=errors,
    )


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail, detail_en = HTTP_STATUS.get(exc.status_code, (str(exc.detail), str(exc.detail)))
    # An edge refusal (api.limits.BodyTooLarge) words its own reason, the limit included.
    detail = getattr(exc, "message", detail)
    detail_en = getattr(exc, "message_en", detail_en)
    title = HTTP_TITLES.get(exc.status_code, str(exc.detail))
    response = problem(
        request, exc.status_code, f"http-{exc.status_code}", title, detail, detail_en=detail_en
    )
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem(request, 500, "internal", "Internal error", "服务器内部错误 (internal error)")


def install(app: FastAPI) -> None:
    """Registers the problem-details handlers on an app."""
    app.add_exception_handler(FactorLinkError, _business)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
