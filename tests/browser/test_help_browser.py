"""Issue #12 §2 in the browser, in Indonesian and English: a coordinator finds the first-login
checklist on the home page and dismisses it, reads the help centre (stages, roles, how the index
is computed), the glossary, and asks the assessor team a question; the lead assessor answers it
as general, and another region's coordinator finds it in the FAQ, anonymised. Screenshots at
desktop and phone width: /tmp/shots/help/."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from cityeval.help.models import Question
from tests.browser import language
from tests.browser.language import LANGUAGES, PHONE, assert_in_language
from tests.world import build_world

pytestmark = pytest.mark.browser
SHOTS = Path(tempfile.gettempdir()) / "shots" / "help"
PASSWORD = "pusat-bantuan-2020"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(browser: Browser, base: str, username: str, lang: str, *, phone: bool = False) -> Page:
    return language.sign_in(browser, base, username, lang, password=PASSWORD, phone=phone)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_checklist_help_centre_glossary_and_a_question_that_becomes_an_faq(
    browser: Browser, live_server: Any, lang: str
) -> None:
    w = build_world()
    for persona in ("coordinator_a", "coordinator_b", "lead_a"):
        user = w.people[persona]
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    base = live_server.url
    names = (w.region_a.name, w.region_a.full_name)

    # The first-login checklist on the home page, dismissed.
    a = sign_in(browser, base, "coordinator_a", lang)
    checklist = a.locator("[data-testid=checklist-coordinator]")
    expect(checklist).to_be_visible()
    assert_in_language(a, lang, allowed=names)
    shot(a, f"{lang}-home-checklist-desktop")
    checklist.locator("button[type=submit]").click()
    expect(a.locator("[data-testid=checklist-coordinator]")).to_have_count(0)

    # The help centre through the header's link: stages, roles, the index from the data.
    a.click("header a[href$='/bantuan/']")
    expect(a.locator("[data-testid=stages] li").first).to_be_visible()
    expect(a.locator("[data-testid=roles] dt").first).to_be_visible()
    expect(a.locator("[data-testid=weights]")).to_be_visible()
    assert_in_language(a, lang, allowed=names)
    shot(a, f"{lang}-centre-desktop")
    a.click("[data-testid=help-nav] a[href$='/glosarium/']")
    expect(a.locator("[data-testid=glossary]")).to_be_visible()
    shot(a, f"{lang}-glossary-desktop")

    # A question to the assessor team from the region.
    a.click("[data-testid=help-nav] a[href$='/pertanyaan/']")
    assert_in_language(a, lang, allowed=names)
    a.click(f"a[href$='/pertanyaan/evaluasi/{w.running.pk}/']")
    text = "Is a photo enough as evidence for the command centre?"
    a.fill("textarea[name=text]", text)
    assert_in_language(a, lang, allowed=names)
    shot(a, f"{lang}-ask-desktop")
    a.click("main form button[type=submit]")
    question = Question.objects.get(text=text)

    # The lead assessor answers it as general, for the FAQ, without the region's name.
    lead = sign_in(browser, base, "lead_a", lang)
    lead.goto(f"{base}/bantuan/pertanyaan/{question.pk}/")
    expect(lead.locator("[data-testid=question-text]")).to_contain_text(text)
    lead.fill("textarea[name=answer]", "A photo with its date and place is enough.")
    lead.check("input[name=is_general]")
    lead.fill("textarea[name=faq_question]", "Is a photo enough as evidence?")
    assert_in_language(lead, lang, allowed=names)
    shot(lead, f"{lang}-answer-desktop")
    lead.click("main form button[type=submit]")
    expect(lead.locator("[data-testid=answer]")).to_contain_text("A photo with its date")

    # Another region's coordinator, on a phone, finds it in the FAQ.
    b = sign_in(browser, base, "coordinator_b", lang, phone=True)
    b.goto(f"{base}/bantuan/faq/?q=photo")
    expect(b.locator("[data-testid=faq]")).to_contain_text("Is a photo enough as evidence?")
    expect(b.locator("[data-testid=faq]")).not_to_contain_text(w.region_a.name)
    assert_in_language(b, lang, allowed=(w.region_b.name, w.region_b.full_name))
    assert b.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(b, f"{lang}-faq-phone")
    b.goto(f"{base}/bantuan/")
    assert b.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(b, f"{lang}-centre-phone")
