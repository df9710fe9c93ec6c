"""Business errors: typed exceptions that carry their HTTP status and a clear message.

One handler (factorlink.api.problems) turns them into RFC 9457 problem details; the CLI prints
them. A 500 means a bug, never a business rule.
"""

from __future__ import annotations

from typing import Any


class FactorLinkError(Exception):
    """Base of every business error."""

    status: int = 400
    code: str = "bad-request"
    title: str = "Bad request"

    def __init__(
        self,
        message: str,
        *,
        message_en: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en
        self.errors = errors or []
        self.headers = headers or {}


class NotFound(FactorLinkError):
    """The thing asked for does not exist (or the viewer may not know it exists)."""

    status, code, title = 404, "not-found", "Not found"


class Conflict(FactorLinkError):
    """The request clashes with what is stored (a duplicate, a wrong state)."""

    status, code, title = 409, "conflict", "Conflict"


class InvalidInput(FactorLinkError):
    """The input breaks a rule; `errors` lists each field and reason."""

    status, code, title = 422, "invalid-input", "Invalid input"


class NotAuthenticated(FactorLinkError):
    """No valid credentials were given."""

    status, code, title = 401, "not-authenticated", "Not authenticated"


class PermissionDenied(FactorLinkError):
    """The viewer is known but may not do this."""

    status, code, title = 403, "permission-denied", "Permission denied"


class RateLimited(FactorLinkError):
    """Too many requests from one client; `Retry-After` says when to try again."""

    status, code, title = 429, "rate-limited", "Too many requests"
