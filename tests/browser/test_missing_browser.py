"""The coordinator sees what is missing before the deadline, in a real browser.

Filters the item list to items filled without evidence, opens one OPD's row from the counts,
then opens the submission summary and submits. Screenshots: artifacts/screenshots/missing-*.png.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from cityeval.evaluations.models import EvaluationStatus, ItemValue
from cityeval.regions.models import OPD
from tests.browser.conftest import screenshot
from tests.browser.test_evaluation_journey import build_world, sign_in, status_of

pytestmark = pytest.mark.browser


def test_the_coordinator_filters_what_is_missing_and_reads_the_submit_summary(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    evaluation = build_world(tmp_path)
    health = OPD.objects.get(code="DINKES", region=evaluation.region)
    items = ItemValue.objects.filter(evaluation=evaluation)
    empty = items.filter(self_value__isnull=True).count()
    without_evidence = items.filter(self_value__isnull=False).count()  # none has evidence yet
    health_without = items.filter(opd=health, self_value__isnull=False).count()
    base = live_server.url

    page = sign_in(browser, base, "koordinator", viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/evaluations/{evaluation.pk}/items/")
    page.select_option("form.filters select[name=state]", "no_evidence")
    page.select_option("form.filters select[name=opd]", str(health.pk))
    page.click("form.filters button[type=submit]")
    rows = page.locator("table[data-testid=items] tbody tr")
    expect(rows).to_have_count(health_without)
    expect(page.locator("table[data-testid=items] [data-state=no_evidence]")).to_have_count(
        health_without
    )
    screenshot(page, "missing-1-filtered-list")

    # The per-OPD counts open that OPD's items.
    page.goto(f"{base}/evaluations/{evaluation.pk}/items/")
    row = page.locator(f"table[data-testid=gaps-opd] tr[data-key='{health.pk}']")
    expect(row.locator("[data-count=no_evidence]")).to_have_text(str(health_without))
    screenshot(page, "missing-2-counts")
    row.locator("a").first.click()
    expect(page.locator("form.filters select[name=opd]")).to_have_value(str(health.pk))

    # The submission summary names the numbers; submitting stays the coordinator's call.
    page.goto(f"{base}/evaluations/{evaluation.pk}/")
    page.click("[data-testid=submit-evaluation]")
    expect(page.locator("[data-testid=summary-empty]")).to_have_text(str(empty))
    expect(page.locator("[data-testid=summary-no-evidence]")).to_have_text(str(without_evidence))
    expect(page.locator("[data-testid=confirmation]")).to_contain_text(
        f"{without_evidence} butir terisi tanpa bukti dukung"
    )
    screenshot(page, "missing-3-submit-summary")
    page.click("[data-testid=confirm-submit]")
    expect(page.locator("[data-testid=status]")).to_contain_text("Diserahkan")
    assert status_of(evaluation) == EvaluationStatus.SUBMITTED


def test_the_item_list_with_counts_reads_on_a_phone(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    evaluation = build_world(tmp_path)
    page = sign_in(
        browser,
        live_server.url,
        "koordinator",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
    )
    page.goto(f"{live_server.url}/evaluations/{evaluation.pk}/items/?state=empty")
    expect(page.locator("table[data-testid=gaps-group] tbody tr")).to_have_count(6)
    screenshot(page, "missing-4-phone")
