"""The shape of every error the API returns, as documented in the OpenAPI description."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ProblemField(BaseModel):
    """One field (or cell) that broke a rule."""

    model_config = ConfigDict(extra="allow")

    field: str | None = None
    column: str | None = None
    reason: str
    reason_en: str | None = None


class Problem(BaseModel):
    """An RFC 9457 problem document, with the reason in Chinese and English."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="/problems/<code>, e.g. /problems/invalid-input")
    title: str
    status: int
    detail: str = Field(description="What went wrong, in Chinese")
    detail_en: str | None = Field(default=None, description="The same, in English")
    instance: str = Field(description="The path of the request")
    errors: list[ProblemField] | None = Field(
        default=None, description="Each field or cell that broke a rule"
    )


PROBLEM_MEDIA_TYPE = "application/problem+json"

# Declared on every route: a client error is a problem document (it also replaces FastAPI's
# default 422 schema, which is not what this API sends).
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {
        "description": "Problem details (RFC 9457): 400, 401, 403, 404, 409, 422 or 429",
        "model": Problem,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
}
