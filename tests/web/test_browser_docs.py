"""The API documentation (/docs, the vendored Swagger UI) in headless Chromium at 1366 and
390 px: it renders offline from the app's own assets, an operation opens, and on a phone it
fits the screen with tap targets of at least 44 px (issue 14)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser import WIDE, phone_checks

pytestmark = pytest.mark.browser


def test_docs_render_offline_and_fit_the_phone(tab: Page) -> None:
    size = "390" if (tab.viewport_size or WIDE)["width"] < 500 else "1366"
    outside: list[str] = []
    tab.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None
        ),
    )
    tab.goto("/docs")
    operation = tab.locator(".opblock-summary").first
    expect(operation).to_be_visible()
    phone_checks(tab, f"docs-{size}")
    operation.click()
    expect(tab.locator(".opblock-body").first).to_be_visible()
    phone_checks(tab, f"docs-open-{size}")
    assert outside == []
