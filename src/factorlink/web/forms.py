"""Form posts: the CSRF check every post passes, and Pydantic errors as inline field errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from factorlink.api.messages import reason_zh
from factorlink.errors import FactorLinkError, InvalidInput, PermissionDenied
from factorlink.introduction.schemas import IntroductionIn
from factorlink.web import csrf

M = TypeVar("M", bound=BaseModel)

# A form's errors: field key -> (Chinese reason, English reason); "" is the form as a whole.
FieldErrors = dict[str, tuple[str, str]]


async def checked_form(request: Request) -> AsyncIterator[FormData]:
    """The posted form, refused unless it carries the session's CSRF token; uploads are
    closed once the page is done with them."""
    form = await request.form()
    try:
        token = form.get(csrf.FIELD)
        if not csrf.is_valid(request, token if isinstance(token, str) else None):
            raise PermissionDenied(
                "页面已过期,请刷新后重试",
                message_en="This page has expired; reload it and try again",
            )
        yield form
    finally:
        await form.close()


CheckedForm = Annotated[FormData, Depends(checked_form, scope="function")]


def text_fields(form: FormData, keys: tuple[str, ...]) -> dict[str, str]:
    """The named text fields of a form, trimmed, blanks left out."""
    values: dict[str, str] = {}
    for key in keys:
        value = form.get(key)
        if isinstance(value, str) and value.strip():
            values[key] = value.strip()
    return values


def parse_model(model: type[M], data: dict[str, Any]) -> M:
    """Validates form data with the API's own schema; errors come back as an InvalidInput."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [
            {
                "field": ".".join(str(p) for p in e["loc"]) or "",
                "reason": reason_zh(dict(e)),
                "reason_en": e["msg"],
            }
            for e in exc.errors()
        ]
        raise InvalidInput(
            "表单填写有误", message_en="Please correct the form", errors=errors
        ) from None


def introduction_form(fields: dict[str, str]) -> IntroductionIn:
    """The two parties and the note of an introduction form (a_kind, a_id, b_kind, b_id, note),
    checked with the API's schema: the operator's 发起对接 and the member's 申请对接 alike."""
    return parse_model(
        IntroductionIn,
        {
            "party_a": {"kind": fields.get("a_kind"), "id": fields.get("a_id")},
            "party_b": {"kind": fields.get("b_kind"), "id": fields.get("b_id")},
            "note": fields.get("note"),
        },
    )


def field_errors(exc: FactorLinkError) -> FieldErrors:
    """A business error as inline messages, by field; the message itself under ""."""
    found: FieldErrors = {"": (exc.message, exc.message_en or exc.message)}
    for error in exc.errors:
        key = str(error.get("field") or "")
        if key:
            zh = str(error.get("reason") or "")
            found[key] = (zh, str(error.get("reason_en") or zh))
    return found
