"""The API documentation page (/docs): Swagger UI from the app's own static files, never a CDN.

The assets are vendored at install time (`scripts/vendor_assets.py`, pinned by hash); the page
runs no inline script, so its Content-Security-Policy allows scripts from this site only, and it
may not be framed (api.middleware.SecurityHeaders).
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.responses import HTMLResponse

DOCS_PATH = "/docs"
VENDOR = "/static/vendor/swagger-ui-dist"
# Swagger UI styles some elements inline and draws its icons as data: images.
DOCS_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)
_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} - API</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="{vendor}/swagger-ui.css">
  <link rel="stylesheet" href="/static/css/docs.css">
</head>
<body>
  <div id="swagger-ui" data-openapi="{openapi}"></div>
  <script src="{vendor}/swagger-ui-bundle.js"></script>
  <script src="/static/js/docs.js"></script>
</body>
</html>
"""


def install(app: FastAPI) -> None:
    """Adds /docs (the app is built with FastAPI's CDN pages turned off)."""
    page = _PAGE.format(title=app.title, vendor=VENDOR, openapi=app.openapi_url)

    @app.get(DOCS_PATH, include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(page)
