"""Rank intervals, progress bands and assessor consistency in a real browser, on the demo data.

The demo publishes 2018 and 2019 through the same service that publishing calls, so its
scorecards and dashboards carry stored intervals; Kutai Kartanegara's masterplan shares give
percentage items two years of values (progress bands).
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from cityeval.evaluations.models import Evaluation
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser
PASSWORD = "kota-cerdas-2026"


def _sign_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.locator("header")).to_contain_text("Keluar")
    return page


def test_scorecard_and_dashboards_show_the_analysis(
    browser: Browser, page: Page, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", stdout=StringIO(), stderr=StringIO())
    kukar = Evaluation.objects.get(cycle__year=2019, region__code="64.02")

    # The public scorecard: an interval beside each rank, the footnote, progress bands.
    page.goto(f"{live_server.url}/scorecard/{kukar.pk}/")
    expect(page.locator("[data-testid=interval-national]")).to_be_visible()
    expect(page.locator("[data-testid=interval-note]")).to_be_visible()
    expect(page.locator("[data-testid=progress]")).to_be_visible()
    page.locator("[data-testid=ranks]").scroll_into_view_if_needed()
    screenshot(page, "analysis-scorecard")

    # The public dashboard: intervals and sensitivity, no consistency.
    page.goto(f"{live_server.url}/dashboard/public/?cycle={kukar.cycle_id}")
    expect(page.locator("[data-testid=interval]").first).to_be_visible()
    expect(page.locator("[data-testid=sensitivity]")).to_be_visible()
    expect(page.locator("[data-testid=consistency]")).to_have_count(0)
    screenshot(page, "analysis-dashboard-public")

    # The ministry's dashboard: consistency with its chart.
    admin = _sign_in(browser, live_server.url, "admin")
    admin.goto(f"{live_server.url}/dashboard/?cycle={kukar.cycle_id}")
    expect(admin.locator("[data-testid=consistency]")).to_be_visible()
    expect(
        admin.locator(
            "[data-testid=chart-consistency] svg, [data-testid=chart-consistency] canvas"
        ).first
    ).to_be_visible()
    screenshot(admin, "analysis-dashboard-national")
