"""The 503 (database unavailable) and 500 pages in the browser, with the site's style sheet.

The pages are produced by the real error handler; the browser is handed them at a URL of the
live server (a route), so the style sheet they link loads from the server as it would.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from playwright.sync_api import Page, Route

from cityeval.core.database_errors import server_error
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def error_page(error: Exception) -> tuple[int, str]:
    request = RequestFactory().get("/")
    try:
        raise error
    except Exception:
        response = server_error(request)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize(
    ("error", "name", "heading"),
    [
        (OperationalError("server closed the connection"), "error-503-database", "basis data"),
        (ValueError("a bug"), "error-500", "Terjadi kesalahan di server"),
    ],
)
def test_the_error_pages_look_like_the_site(
    page: Page, live_server: Any, error: Exception, name: str, heading: str
) -> None:
    status, html = error_page(error)
    url = f"{live_server.url}/error-preview/"

    def serve(route: Route) -> None:
        route.fulfill(status=status, body=html, content_type="text/html; charset=utf-8")

    page.route(url, serve)
    response = page.goto(url)
    assert response is not None
    assert response.status == status
    assert heading in page.locator("h1").inner_text()
    # The style sheet loaded: the top bar has the site's background, not the browser's white.
    background = page.locator("header.topbar").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert background not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    screenshot(page, name)
