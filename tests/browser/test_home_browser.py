"""The home page in a real browser, in Indonesian and after switching to English."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cityeval.frameworks.services import import_shipped
from tests.browser.conftest import screenshot
from tests.world import load_test_regions

pytestmark = pytest.mark.browser


def test_the_home_page_speaks_indonesian_and_switches_to_english(
    page: Page, live_server: Any
) -> None:
    load_test_regions()
    import_shipped()
    page.goto(live_server.url)
    expect(page.locator("h1")).to_have_text("Evaluasi kota cerdas")
    expect(page.locator("[data-testid=region-count]")).to_have_text("514")
    expect(page.locator("table[data-testid=frameworks]")).to_contain_text("SPBE")
    screenshot(page, "home-id")
    page.select_option("#lang-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("table[data-testid=frameworks]")).to_contain_text(
        "Gerakan Menuju 100 Smart City evaluation (2022 edition)"
    )
    screenshot(page, "home-en")
