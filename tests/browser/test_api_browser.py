"""The token page and the browsable API documentation in a real browser.

The documentation (swagger-ui, shipped in django-ninja's static files) must load entirely from
our own server: government intranets are often offline, and no CDN is allowed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, expect

from cityeval.accounts.models import User
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser
PASSWORD = "a-long-test-password-1"


def test_a_person_creates_a_token_and_reads_the_api_docs(page: Page, live_server: Any) -> None:
    User.objects.create_user("koordinator", email="k@example.id", password=PASSWORD)
    outside: list[str] = []
    server = urlsplit(live_server.url).netloc

    def note(request: Request) -> None:
        if urlsplit(request.url).netloc not in ("", server):
            outside.append(request.url)

    page.on("request", note)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "koordinator")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/accounts/profile/")
    page.click("text=Token API")
    expect(page.locator("h1")).to_have_text("Token API")
    page.fill("input[name=name]", "Dasbor Bappeda")
    page.select_option("select[name=scope]", "read")
    page.click("button:has-text('Buat token')")
    token = page.locator("#new-token")
    expect(token).to_contain_text("ce_")
    expect(page.locator("table[data-testid=tokens]")).to_contain_text("Dasbor Bappeda")
    screenshot(page, "api-token-created")

    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("cityeval API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    screenshot(page, "api-docs")
    assert outside == []
