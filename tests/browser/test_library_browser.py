"""Issue #12 §4 in the browser: region A's coordinator shares an item of its published result
with a document; region B's coordinator finds it by search and from a rubric level of the item,
reads it and opens the document; the program admin hides it and B no longer finds it.
In Indonesian and in English (switched through the header), no Indonesian interface word left in
English. Screenshots at desktop and phone width: /tmp/shots/library/{id,en}-*.png."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from cityeval.evaluations.models import ItemValue
from cityeval.evidence.models import Evidence
from cityeval.library.models import GoodPractice
from tests.browser import language
from tests.browser.language import LANGUAGES, PHONE, assert_in_language
from tests.world import World, build_world, stored_file

pytestmark = pytest.mark.browser
SHOTS = Path(tempfile.gettempdir()) / "shots" / "library"
PASSWORD = "pustaka-praktik-baik-77"
NARRATIVE = "Mal pelayanan publik dengan antrean daring dan dasbor waktu tunggu per loket."


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(browser: Browser, base: str, username: str, lang: str, *, phone: bool = False) -> Page:
    return language.sign_in(browser, base, username, lang, password=PASSWORD, phone=phone)


def a_document_on(item: ItemValue) -> Evidence:
    """The item's own file (set-up: a closed evaluation refuses new uploads)."""
    found: Evidence = stored_file(item, "sop-mal-pelayanan-publik.pdf")
    return found


def the_world() -> tuple[World, ItemValue]:
    w = build_world()
    for persona in ("coordinator_a", "coordinator_b", "admin"):
        user = w.people[persona]
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    item = (
        ItemValue.objects.filter(evaluation=w.published, indicator__kind="maturity")
        .exclude(verified_value=None)
        .select_related("indicator")
        .order_by("indicator__sequence")
        .first()
    )
    assert item is not None
    a_document_on(item)
    return w, item


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_region_shares_a_practice_another_finds_and_reads_it_and_the_admin_hides_it(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path, lang: str
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    w, item = the_world()
    base = live_server.url
    # Data the world and the walk hold in Indonesian (names, typed text), not interface strings.
    data = (
        NARRATIVE,
        "Memuat data pribadi petugas.",
        w.region_a.full_name,
        w.region_a.name,
        w.region_b.full_name,
        w.region_b.name,
        item.indicator.name,
    )

    # Region A's coordinator shares the item from its page, with its document.
    a = sign_in(browser, base, "coordinator_a", lang)
    a.goto(f"{base}/evaluations/{w.published.pk}/items/{item.pk}/")
    a.click("[data-testid=share-practice]")
    expect(a.locator("[data-testid=share-form]")).to_be_visible()
    a.fill("textarea[name=narrative]", NARRATIVE)
    a.check("[data-testid=share-form] input[name=evidence]")
    assert_in_language(a, lang, allowed=data)
    shot(a, f"{lang}-share-desktop")
    a.click("[data-testid=share-form] button[type=submit]")
    expect(a.locator("[data-testid=practice-narrative]")).to_have_text(NARRATIVE)
    practice = GoodPractice.objects.get()
    assert practice.region_id == w.region_a.pk
    assert_in_language(a, lang, allowed=data)
    shot(a, f"{lang}-detail-own-desktop")

    # Region B's coordinator finds it by search, reads it and opens the document.
    b = sign_in(browser, base, "coordinator_b", lang)
    b.goto(f"{base}/pustaka/")
    b.fill("#lib-q", "antrean daring")
    b.click("[data-testid=library-filters] button[type=submit]")
    expect(b.locator("[data-testid=practice]")).to_have_count(1)
    expect(b.locator("[data-testid=practice]")).to_contain_text(w.region_a.full_name)
    assert_in_language(b, lang, allowed=data)
    shot(b, f"{lang}-search-desktop")
    b.click("[data-testid=practice] h2 a")
    expect(b.locator("[data-testid=practice-narrative]")).to_have_text(NARRATIVE)
    expect(b.locator("[data-testid=withdraw]")).to_have_count(0)
    expect(b.locator("[data-testid=hide-form]")).to_have_count(0)
    assert_in_language(b, lang, allowed=data)
    shot(b, f"{lang}-detail-desktop")
    document = b.locator("[data-testid=practice-files] a")
    expect(document).to_have_text("sop-mal-pelayanan-publik.pdf")
    href = document.get_attribute("href")
    assert href is not None
    response = b.request.get(f"{base}{href}")
    assert response.status == 200
    assert response.body().startswith(b"%PDF")

    # ... and from the rubric level its region reached, on its own item of the same indicator.
    own = ItemValue.objects.get(evaluation=w.finalised_b, indicator=item.indicator)
    b.goto(f"{base}/evaluations/{w.finalised_b.pk}/items/{own.pk}/")
    level = practice.level_number
    b.click(f"[data-testid=level-practices][href$='level={level}']")
    expect(b.locator("[data-testid=practice]")).to_have_count(1)

    # The phone: the list and the practice fit the screen.
    phone = sign_in(browser, base, "coordinator_b", lang, phone=True)
    phone.goto(f"{base}/pustaka/?q=antrean")
    expect(phone.locator("[data-testid=practice]")).to_have_count(1)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_in_language(phone, lang, allowed=data)
    shot(phone, f"{lang}-search-phone")
    phone.click("[data-testid=practice] h2 a")
    expect(phone.locator("[data-testid=practice-narrative]")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_in_language(phone, lang, allowed=data)
    shot(phone, f"{lang}-detail-phone")

    # The program admin hides it, with a reason; region B no longer finds it, nor opens it.
    admin = sign_in(browser, base, "admin", lang)
    admin.goto(f"{base}/pustaka/{practice.pk}/")
    admin.fill("[data-testid=hide-form] textarea[name=reason]", "Memuat data pribadi petugas.")
    admin.click("[data-testid=hide-form] button[type=submit]")
    expect(admin.locator("[data-testid=not-listed]")).to_contain_text("Memuat data pribadi")
    assert_in_language(admin, lang, allowed=data)
    shot(admin, f"{lang}-hidden-admin-desktop")
    b.goto(f"{base}/pustaka/?q=antrean")
    expect(b.locator("[data-testid=no-practices]")).to_be_visible()
    assert b.goto(f"{base}/pustaka/{practice.pk}/").status == 404  # type: ignore[union-attr]
    assert b.request.get(f"{base}{href}").status == 404
    # Its own coordinator still reads it, with the reason.
    a.goto(f"{base}/pustaka/{practice.pk}/")
    expect(a.locator("[data-testid=not-listed]")).to_contain_text("Memuat data pribadi")
    assert_in_language(a, lang, allowed=data)
    shot(a, f"{lang}-hidden-own-desktop")
