"""Edge rules applied to every request before routing."""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

# Percent-encoded control characters (%00-%1F, %7F): never meant in a query, and PostgreSQL
# refuses NUL. Request bodies get the same treatment in kit.schemas.InputModel.
_ENCODED_CONTROL = re.compile(rb"%(?:[01][0-9a-fA-F]|7[fF])")


class DropQueryControls:
    """Removes control characters from the query string."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and b"%" in scope.get("query_string", b""):
            scope = dict(scope)
            scope["query_string"] = _ENCODED_CONTROL.sub(b"", scope["query_string"])
        await self.app(scope, receive, send)
