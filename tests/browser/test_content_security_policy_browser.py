"""Pages work under the Content-Security-Policy: no violations, and the policy really applies."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.frameworks.services import import_shipped
from tests.browser.conftest import screenshot
from tests.world import load_test_regions

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1"
# Registered before any page script runs; CSP does not apply to Playwright's init scripts.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def violations(page: Page) -> list[str]:
    return page.evaluate("window.__violations")  # type: ignore[no-any-return]


def test_the_home_page_has_no_violations_and_switches_language(
    page: Page, live_server: Any
) -> None:
    load_test_regions()
    import_shipped()
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(live_server.url)
    expect(page.locator("h1")).to_have_text("Evaluasi kota cerdas")
    assert violations(page) == []
    # The language select submits itself through static/js/behaviours.js, not an onchange="".
    page.select_option("#lang-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert violations(page) == []


def test_an_injected_inline_script_is_refused(page: Page, live_server: Any) -> None:
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(live_server.url + "/accounts/login/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__ran = true;"; document.body.appendChild(s); }"""
    )
    assert page.evaluate("window.__ran === undefined")
    assert any(v.startswith("script-src") for v in violations(page))


def test_a_confirmation_still_guards_a_form(page: Page, live_server: Any) -> None:
    admin = User.objects.create_user("admin", password=PASSWORD)
    RoleGrant.objects.create(user=admin, role=Role.PROGRAM_ADMIN)
    person = User.objects.create_user("sasaran", password=PASSWORD)
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/accounts/people/{person.pk}/")
    questions: list[str] = []

    def dismiss(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Nonaktifkan").click()
    page.evaluate("1")  # returns only once the dialog, which blocks the page, is closed
    assert len(questions) == 1
    assert questions[0].startswith("Nonaktifkan akun ini?")
    person.refresh_from_db()
    assert person.is_active  # dismissed: nothing was sent
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Nonaktifkan").click()
    expect(page.get_by_role("button", name="Aktifkan kembali")).to_be_visible()
    person.refresh_from_db()
    assert not person.is_active
    screenshot(page, "csp-person-deactivated")
    assert violations(page) == []
