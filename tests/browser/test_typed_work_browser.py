"""Typed work survives the other actions of a page, and leaving with unsaved work warns.

Item page: choose a level and type a narrative, then upload a PDF / add a link / delete evidence
before pressing Simpan: the level and narrative are still there and saved. Report editor: type
the summary and a strength, then add a recommendation: both still there and saved. Screenshots:
artifacts/screenshots/typed-*.png.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Dialog, Page, expect

from cityeval.accounts.models import Role
from cityeval.evaluations.models import Evaluation, EvaluationStatus, ItemValue, Round
from cityeval.evaluations.services import Deadlines, assign_assessor, open_cycle
from cityeval.evidence.models import Evidence
from cityeval.evidence.samples import tiny_pdf
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.services import import_framework
from cityeval.regions.models import OPD, Region
from cityeval.reports.models import AssessorReport, Recommendation
from tests.browser.conftest import screenshot
from tests.world import load_test_regions, person

pytestmark = pytest.mark.browser
PASSWORD = "jalan-kota-cerdas-99"


def build_world() -> tuple[Evaluation, ItemValue]:
    """Kutai Kartanegara in an open cycle; the contributor's first maturity item, still empty."""
    load_test_regions()
    import_framework(path=settings.FRAMEWORKS_DIR / "g100sc-2022.yaml")
    kukar = Region.objects.get(code="64.02")
    health = OPD.objects.create(region=kukar, code="DINKES", name="Dinas Kesehatan")
    admin = person("admin", (Role.PROGRAM_ADMIN, None, None), password=PASSWORD, full_name="Admin")
    lead = person("ketua", (Role.ASSESSOR, None, None), password=PASSWORD, full_name="Ketua")
    person(
        "kontributor", (Role.CONTRIBUTOR, kukar, health), password=PASSWORD, full_name="Kontributor"
    )
    cycle = open_cycle(
        year=2025,
        round=Round.TAHAP_1,
        framework_version=FrameworkVersion.objects.get_by_ref("G100SC@2022"),
        regions=[kukar],
        deadlines=Deadlines(),
        user=admin,
    )
    assign_assessor(cycle=cycle, region=kukar, assessor=lead, is_lead=True, user=admin)
    evaluation = Evaluation.objects.get(cycle=cycle)
    item = (
        ItemValue.objects.filter(evaluation=evaluation, indicator__kind="maturity")
        .exclude(indicator__data_source="programs")
        .order_by("id")
        .first()
    )
    assert item is not None
    ItemValue.objects.filter(pk=item.pk).update(opd=health)
    return evaluation, item


class Dialogs:
    """Records every dialog; accepts confirmations, refuses to leave a page with unsaved work."""

    def __init__(self, page: Page) -> None:
        self.seen: list[str] = []
        page.on("dialog", self.handle)

    def handle(self, dialog: Dialog) -> None:
        self.seen.append(dialog.type)
        if dialog.type == "beforeunload":
            dialog.dismiss()
        else:
            dialog.accept()


def sign_in(browser: Browser, base: str, username: str, **context: Any) -> tuple[Page, Dialogs]:
    page = browser.new_context(locale="id-ID", **context).new_page()
    page.set_default_timeout(60_000)
    dialogs = Dialogs(page)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.locator("header")).to_contain_text("Keluar")
    return page, dialogs


def saved(item: ItemValue) -> tuple[Decimal | None, str]:
    item.refresh_from_db()
    return item.self_value, item.narrative


def test_evidence_actions_keep_the_typed_level_and_narrative(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    evaluation, item = build_world()
    page, dialogs = sign_in(browser, live_server.url, "kontributor")
    page.goto(f"{live_server.url}/evaluations/{evaluation.pk}/items/{item.pk}/")
    narrative = page.locator("textarea[name=narrative]")

    # Type, then upload a PDF before pressing Simpan.
    page.check("input[name=value][value='3']")
    narrative.fill("Perbup 12/2023 sudah ditetapkan.")
    pdf = tmp_path / "perbup-masterplan.pdf"
    pdf.write_bytes(tiny_pdf(["Peraturan Bupati tentang Masterplan Smart City"]))
    page.set_input_files("#evidence-uploads", str(pdf))
    page.locator("form[data-testid=evidence-upload] button[type=submit]").click()
    expect(page.locator("[data-testid=evidence-list]")).to_contain_text("perbup-masterplan.pdf")
    expect(page.locator("input[name=value][value='3']")).to_be_checked()
    expect(narrative).to_have_value("Perbup 12/2023 sudah ditetapkan.")
    screenshot(page, "typed-1-item-after-upload")
    assert saved(item) == (Decimal(3), "Perbup 12/2023 sudah ditetapkan.")

    # Type more, then add a link.
    page.check("input[name=value][value='4']")
    narrative.fill("Perbup dan dasbor layanan sudah berjalan.")
    page.fill("#evidence-url", "https://kukarkab.go.id/dasbor")
    page.locator("form[data-testid=evidence-link] button[type=submit]").click()
    expect(page.locator("[data-testid=evidence-list]")).to_contain_text("kukarkab.go.id")
    expect(narrative).to_have_value("Perbup dan dasbor layanan sudah berjalan.")
    assert saved(item) == (Decimal(4), "Perbup dan dasbor layanan sudah berjalan.")

    # Type more, then delete a piece of evidence (the confirmation is accepted).
    narrative.fill("Dasbor layanan sudah berjalan.")
    page.locator("form.evidence-remove button[type=submit]").first.click()
    expect(page.locator("body")).to_contain_text("dihapus dari butir ini")
    expect(narrative).to_have_value("Dasbor layanan sudah berjalan.")
    assert saved(item) == (Decimal(4), "Dasbor layanan sudah berjalan.")
    assert Evidence.objects.filter(item=item, removed_at__isnull=True).count() == 1
    assert "confirm" in dialogs.seen
    screenshot(page, "typed-2-item-after-remove")

    # Type, then leave by a link: the browser asks first; staying keeps the text.
    narrative.fill("Belum disimpan.")
    page.locator("a", has_text="Butir penilaian").first.click(no_wait_after=True)
    page.wait_for_timeout(500)  # let the refused navigation settle (not an assertion)
    assert "beforeunload" in dialogs.seen
    expect(narrative).to_have_value("Belum disimpan.")
    assert saved(item) == (Decimal(4), "Dasbor layanan sudah berjalan.")

    # Saved work leaves without a question.
    page.click("button:has-text('Simpan')")
    expect(page.locator(".msg-success").first).to_be_visible()
    asked = dialogs.seen.count("beforeunload")
    page.locator("a", has_text="Butir penilaian").first.click()
    expect(page).to_have_url(f"{live_server.url}/evaluations/{evaluation.pk}/items/")
    assert dialogs.seen.count("beforeunload") == asked


def test_on_a_phone_an_upload_keeps_the_typed_work(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    evaluation, item = build_world()
    page, _dialogs = sign_in(
        browser,
        live_server.url,
        "kontributor",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page.goto(f"{live_server.url}/evaluations/{evaluation.pk}/items/{item.pk}/")
    page.locator("input[name=value][value='2']").check()
    page.locator("textarea[name=narrative]").fill("Difoto di lapangan.")
    photo = tmp_path / "surat-keputusan.pdf"
    photo.write_bytes(tiny_pdf(["Surat keputusan tim smart city"]))
    page.set_input_files("#evidence-uploads", str(photo))
    page.locator("form[data-testid=evidence-upload] button[type=submit]").tap()
    expect(page.locator("[data-testid=evidence-list]")).to_contain_text("surat-keputusan.pdf")
    expect(page.locator("textarea[name=narrative]")).to_have_value("Difoto di lapangan.")
    screenshot(page, "typed-3-phone-after-upload")
    assert saved(item) == (Decimal(2), "Difoto di lapangan.")


def test_adding_a_recommendation_keeps_the_typed_summary_and_strengths(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    evaluation, _item = build_world()
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.FIELD_VISIT)
    page, dialogs = sign_in(browser, live_server.url, "ketua")
    page.goto(f"{live_server.url}/reports/{evaluation.pk}/edit/")
    summary = page.locator("textarea[name=summary]")
    strength = page.locator("textarea[name=strength__GOV]")
    summary.fill("Tata kelola data sudah terpadu.")
    strength.fill("Satu data daerah berjalan.")
    section = page.locator("#dim-GOV")
    section.locator("details summary", has_text="Tambah rekomendasi").click()
    section.locator("textarea[name=text]").fill("Integrasikan layanan perizinan.")
    section.locator("button", has_text="Tambah").last.click()
    expect(page.locator("#dim-GOV .rec-text")).to_contain_text("Integrasikan layanan perizinan.")
    expect(summary).to_have_value("Tata kelola data sudah terpadu.")
    expect(strength).to_have_value("Satu data daerah berjalan.")
    screenshot(page, "typed-4-report-after-add")
    report = AssessorReport.objects.get(evaluation=evaluation)
    assert report.summary == "Tata kelola data sudah terpadu."
    assert list(report.findings.values_list("text", flat=True)) == ["Satu data daerah berjalan."]
    assert Recommendation.objects.filter(evaluation=evaluation).count() == 1

    # Typed but not saved: leaving asks first.
    summary.fill("Belum disimpan.")
    page.locator("a", has_text="Lihat laporan").click(no_wait_after=True)
    page.wait_for_timeout(500)  # let the refused navigation settle (not an assertion)
    assert "beforeunload" in dialogs.seen
    expect(summary).to_have_value("Belum disimpan.")
