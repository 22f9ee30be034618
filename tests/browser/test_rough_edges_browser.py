"""In the browser: the styled 403 and 404 pages, and the confirmation before publishing a result."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from cityeval.accounts.models import Role, User
from cityeval.evaluations.models import EvaluationStatus
from cityeval.reports.services import finalise_evaluation
from tests.browser.conftest import screenshot
from tests.world import TeamWorld as World
from tests.world import person

pytestmark = pytest.mark.browser


@pytest.fixture
def world(team_world: World) -> World:
    return team_world


def sign_in(page: Page, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_the_403_and_404_pages_look_like_the_site(page: Page, live_server: Any) -> None:
    sign_in(page, live_server, person("asesor", (Role.ASSESSOR, None, None)))
    response = page.goto(f"{live_server.url}/dashboard/", timeout=60_000)
    assert response is not None
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Tidak diizinkan")
    background = page.locator("header.topbar").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert background not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    assert page.locator("link[rel=icon]").count() == 1
    screenshot(page, "error-403")
    response = page.goto(f"{live_server.url}/tidak-ada/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Halaman tidak ditemukan")
    screenshot(page, "error-404")


def test_publishing_one_result_asks_first(page: Page, live_server: Any, world: World) -> None:
    world.verify(world.evaluation)
    world.at(EvaluationStatus.FIELD_VISIT, world.evaluation)
    finalise_evaluation(evaluation=world.evaluation, user=world.people["lead"])
    sign_in(page, live_server, world.people["admin"])
    page.goto(f"{live_server.url}/reports/cycles/{world.evaluation.cycle_id}/publish/")
    page.locator("[data-testid=publish-one]").first.click()
    expect(page.locator("h1")).to_have_text("Publikasikan hasil evaluasi")
    expect(page.locator("[data-testid=publish-figures]")).to_be_visible()
    screenshot(page, "publish-confirm")
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == EvaluationStatus.FINALISED
    page.locator("[data-testid=publish-confirm]").click()
    expect(page.locator("[data-testid=publish-table]")).to_be_visible()
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == EvaluationStatus.PUBLISHED
    screenshot(page, "publish-done")
