"""The dashboard's city and period filters in headless Chromium against a real server, at
1366 px and at 390 px: an operator of 芜湖 and 嘉兴 lands on their cities, picks one city and a
period, and reads a monthly chart of every month. Screenshots go to artifacts/screenshots/
(select with `-m browser`)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from factorlink.auth.models import Role
from factorlink.db.session import Database
from factorlink.sample.loader import load_sample
from tests.web.browser import WIDE, phone_checks
from tests.web.conftest import MakeWebUser, browser_login
from tests.web.test_dashboard import ADMIN

pytestmark = pytest.mark.browser

TARGETS = ".stats-form select, .stats-form input, .stats-form .button"


def test_an_operator_filters_the_dashboard(
    tab: Page, database: Database, make_web_user: MakeWebUser
) -> None:
    size = "phone" if (tab.viewport_size or WIDE)["width"] < 500 else "wide"
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    with database.unit_of_work() as session:
        load_sample(session, ADMIN)
    operator = make_web_user("op-dash-browser", Role.operator, city_scope=["wuhu", "jiaxing"])
    browser_login(tab, operator)
    tab.goto("/")
    expect(tab.locator("#scope-text")).to_have_text("芜湖、嘉兴")
    expect(tab.locator("#f-city")).to_have_value("mine")
    phone_checks(tab, f"dashboard-operator-{size}")

    tab.locator("#f-city").select_option("jiaxing")
    tab.locator("#f-from").fill("2026-01")
    tab.locator("#f-to").fill("2026-12")
    tab.get_by_role("button", name="查看").click()
    tab.wait_for_url("**/?city=jiaxing*")
    expect(tab.locator("#scope-text")).to_contain_text("嘉兴 · 2026-01 至 2026-12")
    # Twelve months on the axis, the empty ones included, drawn as SVG.
    tab.locator("#chart-month svg").wait_for()
    months = tab.locator("figure:has(#chart-month) tbody tr")
    expect(months).to_have_count(12)
    assert tab.locator("#deal-count").inner_text() != "0", "嘉兴 signed deals in 2026"
    phone_checks(tab, f"dashboard-filtered-{size}")
    assert errors == []
