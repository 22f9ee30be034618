"""The unread count in the top bar and the notification list, in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from cityeval.notifications.models import Notification
from tests.browser.conftest import screenshot
from tests.world import build_world

pytestmark = pytest.mark.browser
PASSWORD = "kata-sandi-uji-yang-panjang"


def test_the_unread_count_opens_the_list_and_marking_all_read_clears_it(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    w = build_world()
    coordinator = w.people["coordinator_a"]
    coordinator.set_password(PASSWORD)
    coordinator.save()
    unread = Notification.objects.of(coordinator).unread().count()
    assert unread >= 2  # the world's clarification request, finalisation and publication

    page = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "coordinator_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    badge = page.locator("[data-testid=unread-count]")
    expect(badge).to_have_text(str(unread))
    page.click("[data-testid=notifications-link]")
    expect(page.locator("[data-testid=notification]")).to_have_count(unread)
    expect(page.locator("[data-testid=notifications]")).to_contain_text("Kutai Kartanegara")
    screenshot(page, "notifications-unread")

    page.click("[data-testid=read-all]")
    expect(page.locator("[data-testid=unread-count]")).to_have_count(0)
    expect(page.locator("[data-testid=notifications] .unread")).to_have_count(0)
    screenshot(page, "notifications-read")
    assert not Notification.objects.of(coordinator).unread().exists()
