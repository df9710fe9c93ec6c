"""Edge rules applied to every request before routing."""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

from factorlink.config import Settings, settings_scope

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


class SettingsScope:
    """Serves every request (and the app's start-up and shutdown) under the app's settings, so
    what a request reads from data files (region, industries, fit rules) comes from them, never
    from the environment behind the app's back."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with settings_scope(self.settings):
            await self.app(scope, receive, send)
