"""The map in a real browser (issue #13 §6): the admin uploads a boundary file through its page,
an anonymous visitor's public dashboard draws the choropleth from the geometry's own URL (the
page carries none of it), and after the admin removes the file the map is gone, with no error.
Screenshots: artifacts/screenshots/map-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from tests.browser.conftest import screenshot
from tests.regions.test_boundaries import geojson
from tests.world import build_world

pytestmark = pytest.mark.browser
PASSWORD = "peta-batas-wilayah-2024"
# The world's regions: three published (64.02, 33.74, 35.78), the rest not.
CODES = ("64.02", "33.74", "35.78", "31.71", "32.73", "51.71", "34.71")


def test_an_admins_boundary_file_draws_the_public_map_and_its_removal_takes_it_away(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    w = build_world()
    w.people["admin"].set_password(PASSWORD)
    w.people["admin"].save()
    base = live_server.url
    boundary_file = tmp_path / "batas.geojson"
    boundary_file.write_bytes(geojson(*CODES))

    admin = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}).new_page()
    admin.on("dialog", lambda dialog: dialog.accept())
    admin.goto(f"{base}/accounts/login/")
    admin.fill("input[name=username]", "admin")
    admin.fill("input[name=password]", PASSWORD)
    admin.click("form button[type=submit]")
    admin.goto(base + reverse("dashboard:boundaries"))
    admin.set_input_files("[data-testid=boundary-form] input[type=file]", str(boundary_file))
    admin.click("[data-testid=boundary-form] button[type=submit]")
    expect(admin.locator("[data-testid=boundary-matched]")).to_have_text(str(len(CODES)))

    visitor = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    public = visitor.new_page()
    errors: list[str] = []
    public.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    geometry_answers: list[int] = []
    public.on(
        "response",
        lambda r: geometry_answers.append(r.status) if r.url.endswith(".json") else None,
    )
    public.goto(base + reverse("dashboard:public"))
    chart = public.locator("[data-testid=chart-map]")
    # Every feature of the file is drawn grey (layer 0); each region of the leaderboard (the
    # published results) is coloured on top of it (layer 1).
    expect(chart.locator("svg .layer_0_marks path")).to_have_count(len(CODES))
    shown = public.locator("[data-testid=leaderboard] tbody tr").count()
    assert shown >= 1
    expect(chart.locator("svg .layer_1_marks path")).to_have_count(shown)
    assert geometry_answers == [200]
    assert "Feature" not in (public.locator("#chart-map").text_content() or "")
    assert errors == []
    screenshot(public, "map-public-drawn")

    admin.goto(base + reverse("dashboard:boundaries"))
    admin.click("[data-testid=remove-boundaries]")
    screenshot(admin, "map-remove-confirm")
    admin.click("main form button[type=submit]")
    expect(admin.locator("[data-testid=no-boundaries]")).to_be_visible()

    public.reload()
    expect(public.locator("[data-testid=map]")).to_have_count(0)
    expect(public.locator("[data-testid=chart-distribution] svg")).to_be_visible()
    assert errors == []
    screenshot(public, "map-public-removed")
