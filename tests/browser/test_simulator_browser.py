"""The what-if simulator in a real browser: a refused choice (answered 400) is shown in place,
and a valid one after it still projects (base.html's htmx config swaps a 400 in)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.world import Finalised, publish

pytestmark = pytest.mark.browser


def test_a_refused_level_shows_its_error_and_a_valid_one_projects(
    transactional_db: None,
    page: Page,
    live_server: Any,
    finalised: Finalised,
) -> None:
    publish(finalised)
    page.set_default_timeout(60_000)  # the first render warms caches; the machine is shared
    page.goto(f"{live_server.url}/scorecard/{finalised.world.evaluation.pk}/")
    select = page.locator("select[name^=target-]").first
    # A crafted value no option offers: the server answers 400 with the form error.
    select.evaluate(
        "el => { const o = document.createElement('option'); o.value = 'NaN'; o.text = 'NaN';"
        " el.add(o); el.value = 'NaN'; el.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    expect(page.locator("[data-testid=projection] .msg-error")).to_be_visible()
    select.select_option(index=1)  # the first level above the current one
    expect(page.locator("[data-testid=projected-index]")).to_be_visible()
    expect(page.locator("[data-testid=projection] .msg-error")).to_have_count(0)
