"""The API documentation page (/docs): self-hosted Swagger UI under a strict policy, rendered by
a real browser with nothing fetched from another origin and no policy violation."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import ConsoleMessage, Page, Request, Response, expect

from factorlink.api.docs import VENDOR
from tests.web.browser import WIDE, LiveServer, phone_checks


def test_the_docs_page_loads_only_this_sites_files(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)[1:]  # after the blank icon
    assert sources == [
        f"{VENDOR}/swagger-ui.css",
        "/static/css/docs.css",
        f"{VENDOR}/swagger-ui-bundle.js",
        "/static/js/docs.js",
    ]
    assert "<script>" not in page.text  # no inline script: the policy forbids it
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    for source in sources:
        served = client.get(source)
        assert served.status_code == 200, f"{source}: run `make assets`"
        assert served.headers["x-content-type-options"] == "nosniff"


@pytest.mark.browser
def test_swagger_ui_renders_the_api_in_chromium(desktop: Page, live_server: LiveServer) -> None:
    problems: list[str] = []
    elsewhere: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    def answered(response: Response) -> None:
        if response.status >= 400:
            problems.append(f"{response.status} {response.url}")

    def request(sent: Request) -> None:
        if not sent.url.startswith(live_server.url) and not sent.url.startswith("data:"):
            elsewhere.append(sent.url)

    desktop.on("response", answered)
    desktop.on("console", console)
    desktop.on("request", request)
    desktop.goto("/docs")
    # Swagger UI parses the whole document (many operations) before it draws: on a busy
    # machine that takes longer than the default 5 s.
    title = desktop.locator(".swagger-ui .info .title")
    expect(title).to_contain_text("FactorLink API", timeout=60_000)
    expect(desktop.locator(".opblock-summary-path").first).to_be_visible()
    assert desktop.locator(".opblock").count() > 50
    expect(desktop.locator("button.authorize")).to_be_visible()  # the bearer scheme is declared
    assert problems == [] and elsewhere == []


@pytest.mark.browser
def test_the_docs_fit_the_phone(tab: Page) -> None:
    """At 390 px every Swagger UI control is a 44 px target (static/css/docs.css) and nothing
    scrolls sideways, closed and with an operation open; at 1366 px nothing scrolls sideways."""
    size = "390" if (tab.viewport_size or WIDE)["width"] < 500 else "1366"
    tab.goto("/docs")
    operation = tab.locator(".opblock-summary").first
    expect(operation).to_be_visible(timeout=60_000)
    phone_checks(tab, f"docs-{size}")
    operation.click()
    expect(tab.locator(".opblock-body").first).to_be_visible()
    phone_checks(tab, f"docs-open-{size}")
