"""The whole evaluation journey in a real browser, one person after another.

contributor fills an item with evidence → coordinator submits → lead assessor reviews and asks
for clarification on two items → the region answers → the assessors accept, record a field
visit → the lead finalises → the program admin publishes. Every step is screenshotted to
artifacts/screenshots/journey-*.png (and /tmp/shots/rough/ for the person who looks at them).

Along the way (issue #11 "done means"): the contributor types a level and a narrative and uploads
before pressing Simpan (nothing is lost), the submit page shows the completeness summary, a
notification reaches the coordinator (unread count, list), and each role's home page shows what
needs them: contributor, coordinator, assessor (the region that just submitted), admin.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from cityeval.accounts.models import Role
from cityeval.evaluations.models import Evaluation, EvaluationStatus, ItemValue, Round
from cityeval.evaluations.services import Deadlines, assign_assessor, open_cycle
from cityeval.evidence.models import Evidence, FieldVisit
from cityeval.evidence.samples import tiny_pdf
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.services import import_shipped
from cityeval.masterplans.models import Masterplan, Program, ProgramYear
from cityeval.regions.models import OPD, Region
from cityeval.results.models import ResultSnapshot
from cityeval.reviews.models import ClarificationRequest
from tests.browser.conftest import screenshot as keep_screenshot
from tests.browser.test_rough_browser import SHOTS
from tests.world import load_test_regions, person

pytestmark = pytest.mark.browser
PASSWORD = "jalan-kota-cerdas-99"
YEAR = 2025


def screenshot(page: Page, name: str) -> None:
    path = keep_screenshot(page, name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / path.name).write_bytes(path.read_bytes())


def build_world(tmp_media: Path) -> Evaluation:
    load_test_regions()
    import_shipped()
    kukar = Region.objects.get(code="64.02")
    health = OPD.objects.create(
        region=kukar, code="DINKES", name="Dinas Kesehatan", short_name="Dinkes"
    )
    admin = person("admin", (Role.PROGRAM_ADMIN, None, None), password=PASSWORD, full_name="Admin")
    lead = person("ketua", (Role.ASSESSOR, None, None), password=PASSWORD, full_name="Ketua")
    person(
        "koordinator", (Role.COORDINATOR, kukar, None), password=PASSWORD, full_name="Koordinator"
    )
    person(
        "kontributor", (Role.CONTRIBUTOR, kukar, health), password=PASSWORD, full_name="Kontributor"
    )
    cycle = open_cycle(
        year=YEAR,
        round=Round.TAHAP_1,
        framework_version=FrameworkVersion.objects.get_by_ref("G100SC@2022"),
        regions=[kukar],
        deadlines=Deadlines(),
        user=admin,
    )
    assign_assessor(cycle=cycle, region=kukar, assessor=lead, is_lead=True, user=admin)
    evaluation = Evaluation.objects.get(cycle=cycle)
    # The region has already filled most items; the contributor fills the last health item.
    items = list(ItemValue.objects.filter(evaluation=evaluation).select_related("indicator"))
    for item in items:
        if item.indicator.kind == "maturity":
            item.self_value = Decimal(3)
            item.narrative = "Sudah berjalan sesuai masterplan."
        if "LIV-HLT" in item.indicator.tags:
            item.opd = health
    last_health = max(
        (i for i in items if i.opd == health and i.indicator.kind == "maturity"), key=lambda i: i.pk
    )
    last_health.self_value = None
    ItemValue.objects.bulk_update(items, ["self_value", "narrative", "opd"])
    # Programs-running items come from the masterplan registry: one running program a dimension.
    plan = Masterplan.objects.create(
        region=kukar,
        title="Masterplan Smart City Kutai Kartanegara",
        start_year=2020,
        end_year=2029,
    )
    for dimension in ("GOV", "BRD", "ECO", "SOC", "LIV", "ENV"):
        program = Program.objects.create(
            masterplan=plan,
            code=f"{dimension}-01",
            name=f"Program {dimension}",
            dimension=dimension,
            owner=health,
            budget=Decimal(0),
            start_year=2020,
            end_year=2029,
        )
        ProgramYear.objects.create(program=program, year=YEAR, status="running", progress=50)
    return evaluation


def sign_in(browser: Browser, base: str, username: str, **context: Any) -> Page:
    page = browser.new_context(locale="id-ID", **context).new_page()
    page.set_default_timeout(20_000)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.locator("header")).to_contain_text("Keluar")
    return page


def status_of(evaluation: Evaluation) -> str:
    evaluation.refresh_from_db()
    return evaluation.status


def test_the_whole_evaluation_journey(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    evaluation = build_world(tmp_path)
    base = live_server.url
    overview = f"{base}/evaluations/{evaluation.pk}/"

    # 1. The health office's contributor sees their work on the home page, fills their last
    # item and attaches a PDF before pressing Simpan: the typed level and narrative survive.
    page = sign_in(browser, base, "kontributor")
    page.goto(f"{base}/")
    expect(page.locator("[data-testid=home-contributor]")).to_contain_text("Kutai Kartanegara")
    screenshot(page, "journey-0-contributor-home")
    page.goto(f"{overview}items/?state=empty")
    page.locator("table[data-testid=items] a").first.click()
    page.check("input[name=value][value='4']")
    page.fill("textarea[name=narrative]", "Rekam medis elektronik berjalan di 32 puskesmas.")
    pdf = tmp_path / "laporan-puskesmas.pdf"
    pdf.write_bytes(tiny_pdf(["Laporan rekam medis elektronik 2025"]))
    page.set_input_files("#evidence-uploads", str(pdf))
    page.locator("form[data-testid=evidence-upload] button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("laporan-puskesmas.pdf")
    expect(page.locator("textarea[name=narrative]")).to_have_value(
        "Rekam medis elektronik berjalan di 32 puskesmas."
    )
    expect(page.locator("input[name=value][value='4']")).to_be_checked()
    screenshot(page, "journey-1-contributor-item")
    typed = ItemValue.objects.get(
        evaluation=evaluation, evidence__original_name="laporan-puskesmas.pdf"
    )
    assert (typed.self_value, typed.narrative) == (
        Decimal(4),
        "Rekam medis elektronik berjalan di 32 puskesmas.",
    )
    assert Evidence.objects.filter(original_name="laporan-puskesmas.pdf").count() == 1
    assert (
        ItemValue.objects.filter(evaluation=evaluation, self_value__isnull=True)
        .filter(indicator__kind="maturity")
        .count()
        == 0
    )

    # 2. The coordinator follows the progress on the home page, sees the completeness summary
    # (empty items and items without evidence, counted and named in the question) and submits.
    page = sign_in(browser, base, "koordinator")
    page.goto(f"{base}/")
    expect(page.locator("[data-testid=home-coordinator]")).to_contain_text("Dinkes")
    screenshot(page, "journey-2a-coordinator-home")
    page.goto(overview)
    page.click("[data-testid=submit-evaluation]")
    expect(page.locator("[data-testid=submit-summary]")).to_be_visible()
    # The figures the page shows are those the confirmation question names.
    empty = page.locator("[data-testid=summary-empty]").inner_text().strip()
    without = page.locator("[data-testid=summary-no-evidence]").inner_text().strip()
    assert int(without.replace(".", "")) > 0  # only the contributor's item has a file
    expect(page.locator("[data-testid=confirmation]")).to_contain_text(without)
    if empty != "0":
        expect(page.locator("[data-testid=confirmation]")).to_contain_text(empty)
    screenshot(page, "journey-2b-completeness")
    page.click("[data-testid=confirm-submit]")
    expect(page.locator("[data-testid=status]")).to_contain_text("Diserahkan")
    screenshot(page, "journey-2-coordinator-submitted")

    # 3. The lead assessor finds the region that just submitted on the home page, starts the
    # review and asks for clarification on two items.
    page = sign_in(browser, base, "ketua")
    page.goto(f"{base}/")
    expect(page.locator("[data-testid=assessor-queue]")).to_contain_text("Kutai Kartanegara")
    screenshot(page, "journey-3a-assessor-home")
    page.goto(overview)
    page.click("[data-testid=start-review]")
    page.goto(overview)
    expect(page.locator("[data-testid=status]")).to_contain_text("Reviu dokumen")
    page.click("[data-testid=review-items]")
    boxes = page.locator("table[data-testid=review-items] input[name=items]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.click("details.clarify-box summary")
    page.fill("#clarify-message", "Lampirkan SK tim pelaksana dan data dasar terbaru.")
    page.click("[data-testid=request-clarification]")
    expect(page.locator("body")).to_contain_text("Permintaan klarifikasi")
    screenshot(page, "journey-3-assessor-clarification")
    assert status_of(evaluation) == EvaluationStatus.CLARIFICATION
    flagged = list(ItemValue.objects.filter(evaluation=evaluation, review_status="clarification"))
    assert len(flagged) == 2

    # 4. The coordinator is told (unread count, list), corrects one flagged item and answers.
    page = sign_in(browser, base, "koordinator")
    expect(page.locator("[data-testid=unread-count]")).to_be_visible()
    page.click("[data-testid=notifications-link]")
    expect(page.locator("[data-testid=notification].unread").first).to_contain_text("klarifikasi")
    screenshot(page, "journey-4a-notification")
    page.goto(overview)
    page.click("[data-testid=answer-clarification]")
    page.locator("a:has-text('Perbaiki')").first.click()
    page.check("input[name=value][value='4']")
    page.click("button:has-text('Simpan')")
    expect(page.locator(".msg-success")).to_be_visible()
    page.goto(overview)
    page.click("[data-testid=answer-clarification]")
    page.fill("textarea[name=answer]", "SK tim pelaksana sudah dilampirkan; data dasar diperbarui.")
    page.locator("form[data-testid=answer-form] button[type=submit]").click()
    page.goto(overview)
    expect(page.locator("[data-testid=status]")).to_contain_text("Reviu dokumen")
    screenshot(page, "journey-4-region-answered")
    assert ClarificationRequest.objects.get(evaluation=evaluation).answered_at is not None

    # 5. The assessors see what changed, accept every item and move to the field visit.
    page = sign_in(browser, base, "ketua")
    page.goto(f"{base}/review/{evaluation.pk}/changes/")
    expect(page.locator("body")).to_contain_text("Perubahan sejak reviu")
    screenshot(page, "journey-5-changes-since-review")
    page.goto(f"{base}/review/{evaluation.pk}/")
    page.locator("input[data-select-all]").check()
    for box in page.locator("table[data-testid=review-items] input[name=items]").all():
        box.check()
    page.click("[data-testid=bulk-accept]")
    expect(page.locator("[data-testid=bulk-confirmation]")).to_contain_text("tanpa bukti dukung")
    page.click("[data-testid=confirm-bulk-accept]")
    expect(page.locator(".msg-success")).to_be_visible()
    assert (
        not ItemValue.objects.filter(evaluation=evaluation)
        .exclude(review_status="accepted")
        .exists()
    )
    page.goto(overview)
    page.click("[data-testid=start-field-visit]")
    page.click("[data-testid=confirm-field-visit]")
    page.goto(overview)
    expect(page.locator("[data-testid=status]")).to_contain_text("peninjauan lapangan")

    # 6. The field visit is recorded on a phone.
    phone = sign_in(browser, base, "ketua", viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.goto(f"{base}/evidence/evaluations/{evaluation.pk}/visits/new/")
    phone.fill("input[name=place]", "Mal Pelayanan Publik Tenggarong")
    phone.fill("input[name=latitude]", "-0.4234")
    phone.fill("input[name=longitude]", "116.9876")
    phone.fill("textarea[name=participants]", "Kepala Diskominfo\nPetugas MPP")
    phone.fill(
        "textarea[name=findings]", "Layanan antrean daring dipakai warga; waktu tunggu turun."
    )
    phone.locator("details[data-group] summary").first.click()
    phone.locator("input[name=items]").first.check()
    phone.locator("form[data-testid=visit-form] button[type=submit]").click()
    expect(phone.locator("body")).to_contain_text("Mal Pelayanan Publik Tenggarong")
    screenshot(phone, "journey-6-field-visit-phone")
    assert FieldVisit.objects.filter(evaluation=evaluation).count() == 1

    # 7. The lead finalises: the engine's score is stored as an immutable snapshot.
    page.goto(overview)
    page.click("[data-testid=finalise]")
    expect(page.locator("[data-testid=preview-index]")).to_be_visible()
    page.locator("form button[data-testid=finalise]").click()
    page.goto(overview)
    expect(page.locator("[data-testid=status]")).to_contain_text("Final")
    screenshot(page, "journey-7-finalised")
    snapshot = ResultSnapshot.objects.get(evaluation=evaluation, is_current=True)
    assert Decimal(1) <= snapshot.index <= Decimal(5)

    # 8. The program admin sees the cycle on the home page and publishes the result.
    page = sign_in(browser, base, "admin")
    page.goto(f"{base}/")
    expect(page.locator("[data-testid=cycle-status]")).to_contain_text(str(YEAR))
    screenshot(page, "journey-8a-admin-home")
    page.goto(overview)
    page.click("[data-testid=publish]")
    # Publishing asks first: the confirmation page names the figures, only its form publishes.
    expect(page.locator("[data-testid=publish-figures]")).to_contain_text("Indeks")
    page.click("[data-testid=publish-confirm]")
    page.goto(overview)
    expect(page.locator("[data-testid=status]")).to_contain_text("Dipublikasikan")
    page.goto(f"{base}/reports/{evaluation.pk}/result/")
    screenshot(page, "journey-8-published-result")
    assert status_of(evaluation) == EvaluationStatus.PUBLISHED
