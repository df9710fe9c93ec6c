"""Headless Chromium (Debian's /usr/bin/chromium) and a real uvicorn server, for browser tests."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import uvicorn
from fastapi import FastAPI

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page, ViewportSize

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
# The two widths every journey is walked at (the `tab` fixture): a laptop and a phone.
WIDE: ViewportSize = {"width": 1366, "height": 900}
WIDTHS: dict[str, ViewportSize] = {"1366": WIDE, "390": PHONE}


def require_chromium() -> None:
    """Skips, saying why, where Debian's chromium is not installed."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (.ci/run does)")


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """The app served by uvicorn on 127.0.0.1 in a background thread."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="live-server", daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


# Every visible control of a page as a tap target: a radio or checkbox counts by the label it
# sits in (what a finger touches); links inside running text are exempt (WCAG 2.5.8).
CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary"
SMALL_TARGETS = """([selector, least]) => Array.from(document.querySelectorAll(selector))
  .map((el) => (el.type === "radio" || el.type === "checkbox") && el.closest("label")
    ? el.closest("label") : el)
  .filter((el) => el.offsetParent !== null || getComputedStyle(el).position === "fixed")
  .filter((el) => el.getClientRects().length > 0)
  .filter((el) => !(el.tagName === "A" && el.closest("p, dd, li.text, td")
    && !el.classList.contains("button")))
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([el, r]) => r.height < least || r.width < least)
  .map(([el, r]) => `${el.tagName}.${el.className} "${(el.textContent || el.name || "")
    .trim().slice(0, 20)}" ${Math.round(r.width)}x${Math.round(r.height)}`)"""
# Tap targets are at least this many CSS pixels each way (WCAG 2.5.5, Apple's HIG).
TAP = 44


def phone_checks(
    page: Page,
    name: str,
    *,
    action: Locator | None = None,
    controls: str = CONTROLS,
) -> None:
    """The checks every browser test runs on each page it visits at 390 px (issue 14), and a
    screenshot kept under artifacts/screenshots/<name>.png: no sideways scroll; every visible
    tap target (`controls`, by default every link, button and field; links inside running
    text are exempt) at least 44 × 44 CSS px; and, where given, the page's main action
    (`action`) on the first screen, without scrolling. Call it at any width: the tap targets
    and the action are checked on the phone only (below 500 px), the scroll at every width.

        phone_checks(page, "lead-form-390", action=page.get_by_role("button", name="提交"))
    """
    shoot(page, name)
    viewport = page.viewport_size
    assert viewport is not None
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url}: {width} px wide in {viewport['width']} px"
    if viewport["width"] >= 500:
        return
    small = page.evaluate(SMALL_TARGETS, [controls, TAP])
    assert small == [], f"{page.url}: tap targets under {TAP} px:\n" + "\n".join(small)
    if action is not None:
        box = action.first.bounding_box()
        assert box is not None, f"{page.url}: the main action is not shown"
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (
            f"{page.url}: the main action is not on the first screen (top {box['y']:.0f} px "
            f"of {viewport['height']} px)"
        )


def shoot(page: Page, name: str) -> None:
    """Saves a full-page screenshot to artifacts/screenshots/ (kept as a test artifact)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
