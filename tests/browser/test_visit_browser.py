"""The evaluation visit in a real browser: the lead assessor plans it (every OPD invited by
default, invitations mailed), ticks the attendance on a phone during the session, writes the
minutes and an agreed action, and downloads the berita acara. In Indonesian and in English
(switched through the header), no Indonesian interface word left in English. Screenshots:
artifacts/screenshots/visit-*-{id,en}.png, the PDF artifacts/visit-berita-acara-{id,en}.pdf."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Dialog, Page, expect

from cityeval.accounts.models import Role
from cityeval.evaluations.models import Evaluation, Round
from cityeval.evaluations.services import Deadlines, assign_assessor, open_cycle
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.services import import_shipped
from cityeval.mentoring.models import AgreedAction, Attendance, Visit
from cityeval.regions.models import OPD, Region
from tests.browser.conftest import SCREENSHOTS, screenshot
from tests.browser.language import LANGUAGES, assert_in_language, say, switch
from tests.browser.test_evaluation_journey import PASSWORD
from tests.world import load_test_regions, person

pytestmark = pytest.mark.browser


def sign_in(browser: Browser, base: str, username: str, lang: str, **context: Any) -> Page:
    # A shared machine under load answers slowly; a slow answer is not a failure here.
    page = browser.new_context(locale="id-ID", **context).new_page()
    page.set_default_timeout(90_000)
    expect.set_options(timeout=90_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.locator("header form[action$='/logout/']")).to_be_visible()
    switch(page, lang)
    return page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plan_invite_attend_on_a_phone_minutes_and_berita_acara(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path, lang: str
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    load_test_regions()
    import_shipped()
    kukar = Region.objects.get(code="64.02")
    health = OPD.objects.create(region=kukar, code="DINKES", name="Dinas Kesehatan")
    OPD.objects.create(region=kukar, code="KOMINFO", name="Dinas Komunikasi dan Informatika")
    admin = person("admin", (Role.PROGRAM_ADMIN, None, None), password=PASSWORD, full_name="Admin")
    lead = person("ketua", (Role.ASSESSOR, None, None), password=PASSWORD, full_name="Ketua")
    person(
        "koordinator", (Role.COORDINATOR, kukar, None), password=PASSWORD, full_name="Koordinator"
    )
    contributor = person(
        "kontributor", (Role.CONTRIBUTOR, kukar, health), password=PASSWORD, full_name="Kontributor"
    )
    cycle = open_cycle(
        year=2020,
        round=Round.ANNUAL,
        framework_version=FrameworkVersion.objects.get_by_ref("G100SC@2022"),
        regions=[kukar],
        deadlines=Deadlines(),
        user=admin,
    )
    assign_assessor(cycle=cycle, region=kukar, assessor=lead, is_lead=True, user=admin)
    evaluation = Evaluation.objects.get(cycle=cycle)
    base = live_server.url
    # Data the walk holds in Indonesian (names, typed text), not interface strings.
    data = (
        kukar.full_name,
        kukar.name,
        "Dinas Kesehatan",
        "Dinas Komunikasi dan Informatika",
        "Pembahasan evaluasi dan bimbingan teknis",
        "Ruang serbaguna kantor bupati",
        "Bimbingan teknis",
        "Peninjauan lapangan",
        "SOP layanan kesehatan daring",
        "Sudah ditetapkan?",
        "Rancangan ada.",
        "Tetapkan SOP layanan daring",
        "Ibu Sari Wulandari",
        "Kepala Bidang",
    )

    # Plan: every OPD is ticked by default.
    desk = sign_in(browser, base, "ketua", lang)
    desk.goto(f"{base}/mentoring/evaluations/{evaluation.pk}/new/")
    desk.fill("input[name=title]", "Pembahasan evaluasi dan bimbingan teknis")
    desk.fill("input[name=venue]", "Ruang serbaguna kantor bupati")
    desk.fill("input[name=starts_on]", "2020-02-25")
    desk.fill("input[name=ends_on]", "2020-02-26")
    desk.fill("input[name=agenda_0_day]", "2020-02-25")
    desk.select_option("select[name=agenda_0_kind]", "guidance")
    desk.fill("input[name=agenda_0_title]", "Bimbingan teknis")
    desk.fill("input[name=agenda_1_day]", "2020-02-26")
    desk.select_option("select[name=agenda_1_kind]", "field_review")
    desk.fill("input[name=agenda_1_title]", "Peninjauan lapangan")
    assert_in_language(desk, lang, allowed=data)
    screenshot(desk, f"visit-plan-{lang}")
    desk.click("[data-testid=plan-form] button[type=submit]")
    expect(desk.locator("[data-testid=invited]")).to_contain_text("Dinas Kesehatan")
    visit = Visit.objects.get()
    assert visit.invitations.count() == 2
    assert contributor.email in {address for message in mail.outbox for address in message.to}

    # Attendance on a phone: tick the contributor, add a guest without an account.
    phone = sign_in(
        browser,
        base,
        "ketua",
        lang,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    phone.goto(f"{base}/mentoring/visits/{visit.pk}/attendance/")
    phone.click(f"[data-testid=tick-{contributor.pk}]")
    expect(phone.locator(f"[data-testid=tick-{contributor.pk}]")).to_have_attribute(
        "aria-pressed", "true"
    )
    phone.fill("[data-testid=walkin-form] input[name=name]", "Ibu Sari Wulandari")
    phone.fill("[data-testid=walkin-form] input[name=position]", "Kepala Bidang")
    phone.select_option("[data-testid=walkin-form] select[name=opd]", str(health.pk))
    phone.click("[data-testid=walkin-form] button[type=submit]")
    expect(phone.locator("[data-testid=walkins]")).to_contain_text("Ibu Sari Wulandari")
    assert_in_language(phone, lang, allowed=data)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, f"visit-attendance-phone-{lang}")
    assert Attendance.objects.filter(visit=visit).count() == 2

    # Minutes and an agreed action. The page has several forms: submitting one while another
    # holds typed text asks first, and refusing keeps both where they were.
    desk.goto(f"{base}/mentoring/visits/{visit.pk}/")
    desk.fill("[data-testid=point-form] textarea[name=discussion]", "SOP layanan kesehatan daring")
    desk.fill("[data-testid=point-form] textarea[name=question]", "Sudah ditetapkan?")
    desk.fill("[data-testid=point-form] textarea[name=answer]", "Rancangan ada.")
    desk.fill("[data-testid=action-form] textarea[name=text]", "Tetapkan SOP layanan daring")
    desk.select_option("[data-testid=action-form] select[name=opd]", str(health.pk))
    desk.fill("[data-testid=action-form] input[name=due_on]", "2020-04-30")
    questions: list[str] = []

    def refuse(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    desk.once("dialog", refuse)
    desk.click("[data-testid=action-form] button[type=submit]")
    expect(desk.locator("[data-testid=point-form] textarea[name=discussion]")).to_have_value(
        "SOP layanan kesehatan daring"
    )
    assert questions
    assert say(lang, "belum disimpan", "not saved") in questions[0]
    assert not AgreedAction.objects.filter(visit=visit).exists()
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.click("[data-testid=point-form] button[type=submit]")
    expect(desk.locator("[data-testid=points]")).to_contain_text("SOP layanan kesehatan daring")
    desk.fill("[data-testid=action-form] textarea[name=text]", "Tetapkan SOP layanan daring")
    desk.select_option("[data-testid=action-form] select[name=opd]", str(health.pk))
    desk.fill("[data-testid=action-form] input[name=due_on]", "2020-04-30")
    desk.click("[data-testid=action-form] button[type=submit]")
    expect(desk.locator("[data-testid=actions]")).to_contain_text("Tetapkan SOP")
    assert AgreedAction.objects.filter(visit=visit, opd=health).exists()
    assert_in_language(desk, lang, allowed=data)
    screenshot(desk, f"visit-detail-{lang}")

    # The berita acara.
    with desk.expect_download() as download:
        desk.click("[data-testid=berita-acara]")
    target = SCREENSHOTS.parent / f"visit-berita-acara-{lang}.pdf"
    download.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
