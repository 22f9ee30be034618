"""An SPBE cycle from opening to publication in a real browser, then every results view
(issue 14, "done means").

Who does what, and how:

- the program admin opens an SPBE 2020 cycle for one region on the cycle form and assigns the
  lead assessor on the cycle page (browser);
- the coordinator fills two items on their item pages (browser); the other 45 items are filled
  through `save_self_assessment`, the service the item page calls (clicking 45 pages is not the
  point); the coordinator submits through the API (`POST /api/v1/evaluations/{id}/submit`);
- the assessor starts the review, accepts every item with the bulk accept and its confirmation,
  moves to the field visit and finalises (browser);
- the admin publishes through the confirmation page (browser).

Then, as the public sees them: the scorecard names every domain and aspect under an SPBE title
and carries no G100SC wording; its PDF (downloaded from the page, saved to
artifacts/spbe-scorecard.pdf and rendered to PNG for a person to look at) does the same; the
public dashboard of program SPBE shows the domain means; the open-data CSV and JSON carry the
domain and aspect columns; the API's results carry the tree's nodes. Screenshots go to
artifacts/screenshots/spbe-*.png.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cityeval.accounts.models import Role, User
from cityeval.api.models import TokenScope
from cityeval.api.services import create_token
from cityeval.evaluations.models import Evaluation, EvaluationStatus, ItemValue
from cityeval.evaluations.services import save_self_assessment
from cityeval.frameworks.loader import load_framework_file
from cityeval.frameworks.models import FrameworkNode, FrameworkVersion
from cityeval.frameworks.services import store_document
from cityeval.regions.models import Province, Region
from cityeval.results.models import ResultSnapshot
from tests.browser.conftest import SCREENSHOTS, screenshot
from tests.world import person

pytestmark = pytest.mark.browser
PASSWORD = "evaluasi-spbe-2020-kuat"
ARTIFACTS = SCREENSHOTS.parent
G100SC_WORDS = re.compile(r"smart city|dimensi smart|quick win|masterplan", re.I)


def _world() -> FrameworkVersion:
    """One region, its coordinator, an assessor and the admin; the SPBE framework imported."""
    province = Province.objects.create(code="64", name="Kalimantan Timur")
    region = Region.objects.create(
        code="64.02",
        name="Kutai Kartanegara",
        full_name="Kabupaten Kutai Kartanegara",
        kind=Region.Kind.KABUPATEN,
        province=province,
    )
    person("admin", (Role.PROGRAM_ADMIN, None, None), password=PASSWORD, full_name="Admin")
    person("asesor", (Role.ASSESSOR, None, None), password=PASSWORD, full_name="Asesor")
    person(
        "koordinator", (Role.COORDINATOR, region, None), password=PASSWORD, full_name="Koordinator"
    )
    document = load_framework_file(settings.FRAMEWORKS_DIR / "spbe-2020.yaml")
    return store_document(document=document).version


def _sign_in(browser: Browser, base: str, username: str) -> Page:
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.locator("header")).to_contain_text("Keluar")
    return page


def _status(evaluation: Evaluation) -> str:
    evaluation.refresh_from_db()
    return evaluation.status


def _tree(version: FrameworkVersion) -> tuple[list[FrameworkNode], list[FrameworkNode]]:
    groups = FrameworkNode.objects.filter(version=version, kind="group").order_by("sequence")
    domains = [n for n in groups if n.depth == 1]
    aspects = [n for n in groups if n.depth == 2]
    assert (len(domains), len(aspects)) == (4, 8)
    return domains, aspects


def _no_g100sc_words(text: str, where: str) -> None:
    found = G100SC_WORDS.findall(text)
    assert not found, f"{where}: {found}"


def _open_and_assign(browser: Browser, base: str) -> Evaluation:
    """The admin opens the cycle on the form and forms the team on the cycle page."""
    page = _sign_in(browser, base, "admin")
    page.goto(f"{base}/evaluations/cycles/new/")
    page.select_option("select[name=framework_version]", label="SPBE@2020")
    page.fill("input[name=year]", "2025")
    page.select_option("select[name=round]", "annual")
    page.fill("textarea[name=region_codes]", "64.02")
    due = timezone.localdate() + timedelta(days=30)
    page.fill("input[name=self_assessment_deadline]", due.isoformat())
    page.locator("form button[type=submit]:has-text('Buka siklus')").click()
    expect(page.locator("[data-testid=cycle-evaluations]")).to_contain_text(
        "Kabupaten Kutai Kartanegara"
    )
    page.select_option("select[name=assessor]", label="Asesor")
    # The regions' <select multiple> is behind the searchable picker (behaviours.js data-picker).
    page.locator(".picker-search").fill("kutai kartanegara")
    page.locator(".picker-list label:visible").first.locator("input").check()
    page.check("input[name=is_lead]")
    page.locator("form button[type=submit]:has-text('Tetapkan')").click()
    expect(page.locator("[data-testid=cycle-evaluations]")).to_contain_text("Asesor ★")
    screenshot(page, "spbe-1-cycle-opened")
    page.context.close()
    evaluation = Evaluation.objects.select_related("cycle__framework_version").get(
        region__code="64.02"
    )
    assert evaluation.cycle.framework_version.ref == "SPBE@2020"
    return evaluation


def _fill_and_submit(browser: Browser, base: str, evaluation: Evaluation) -> None:
    overview = f"{base}/evaluations/{evaluation.pk}/"
    items = list(ItemValue.objects.filter(evaluation=evaluation).order_by("indicator__sequence"))
    assert len(items) == 47
    page = _sign_in(browser, base, "koordinator")
    for item, level in ((items[0], "3"), (items[1], "4")):
        page.goto(f"{overview}items/{item.pk}/")
        expect(page.locator("[data-testid=item-place]")).to_contain_text("Domain")
        page.check(f"input[name=value][value='{level}']")
        page.fill("textarea[name=narrative]", "Peraturan kepala daerah tentang SPBE berlaku.")
        page.click("button:has-text('Simpan')")
        expect(page.locator(".msg-success")).to_be_visible()
    screenshot(page, "spbe-2-coordinator-item")
    coordinator = User.objects.get(username="koordinator")
    for number, item in enumerate(items[2:]):
        save_self_assessment(
            item=item,
            user=coordinator,
            value=Decimal(1 + number % 5),
            narrative="Berjalan.",
            expected_version=item.version,
        )
    assert not evaluation.items.filter(self_value__isnull=True).exists()
    _token, plaintext = create_token(
        user=coordinator, name="Bappeda", scope=TokenScope.READ_WRITE, expires_at=None
    )
    response = page.request.post(
        f"{base}/api/v1/evaluations/{evaluation.pk}/submit",
        headers={"Authorization": f"Bearer {plaintext}"},
    )
    assert response.status == 200, response.text()
    page.goto(overview)
    expect(page.locator("[data-testid=status]")).to_contain_text("Diserahkan")
    page.context.close()


def _review_and_finalise(browser: Browser, base: str, evaluation: Evaluation) -> None:
    overview = f"{base}/evaluations/{evaluation.pk}/"
    page = _sign_in(browser, base, "asesor")
    page.goto(overview)
    page.click("[data-testid=start-review]")
    page.goto(f"{base}/review/{evaluation.pk}/")
    expect(page.locator("select[name=dimension] optgroup[label=Domain]")).to_have_count(1)
    page.locator("input[data-select-all]").check()
    boxes = page.locator("table[data-testid=review-items] input[name=items]")
    assert boxes.count() == 47
    for box in boxes.all():
        expect(box).to_be_checked()
    page.click("[data-testid=bulk-accept]")
    expect(page.locator("[data-testid=bulk-confirmation]")).to_contain_text("Terima 47 butir")
    screenshot(page, "spbe-3-bulk-accept")
    page.click("[data-testid=confirm-bulk-accept]")
    expect(page.locator(".msg-success")).to_be_visible()
    assert not evaluation.items.exclude(review_status="accepted").exists()
    page.goto(overview)
    page.click("[data-testid=start-field-visit]")
    page.click("[data-testid=confirm-field-visit]")
    page.goto(overview)
    page.click("[data-testid=finalise]")
    expect(page.locator("[data-testid=preview-index]")).to_be_visible()
    page.locator("form button[data-testid=finalise]").click()
    page.goto(overview)
    expect(page.locator("[data-testid=status]")).to_contain_text("Final")
    page.context.close()
    assert ResultSnapshot.objects.filter(evaluation=evaluation, is_current=True).exists()


def _publish(browser: Browser, base: str, evaluation: Evaluation) -> None:
    page = _sign_in(browser, base, "admin")
    page.goto(f"{base}/evaluations/{evaluation.pk}/")
    page.click("[data-testid=publish]")
    expect(page.locator("[data-testid=publish-figures]")).to_contain_text("Indeks")
    screenshot(page, "spbe-4-publish-confirmation")
    assert _status(evaluation) == EvaluationStatus.FINALISED  # the GET only asks
    page.click("[data-testid=publish-confirm]")
    expect(page.locator("[data-testid=status]")).to_contain_text("Dipublikasikan")
    page.context.close()
    assert _status(evaluation) == EvaluationStatus.PUBLISHED


def _look_at_pdf(content: bytes) -> Path:
    """Save the PDF and render its first page to PNG (pdftoppm) for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "spbe-scorecard.pdf"
    pdf.write_bytes(content)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is not None:
        first_page = ["-f", "1", "-l", "1"]
        subprocess.run(
            [pdftoppm, "-png", "-r", "60", *first_page, str(pdf), str(pdf.with_suffix(""))],
            check=True,
            timeout=60,
        )
    return pdf


def _pdf_text(pdf: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run([pdftotext, str(pdf), "-"], check=True, capture_output=True, timeout=60)
    return done.stdout.decode()


def test_an_spbe_cycle_from_opening_to_publication(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    version = _world()
    base = live_server.url
    domains, aspects = _tree(version)
    names = [n.name for n in domains + aspects]

    evaluation = _open_and_assign(browser, base)
    cycle = evaluation.cycle
    _fill_and_submit(browser, base, evaluation)
    _review_and_finalise(browser, base, evaluation)
    _publish(browser, base, evaluation)

    # The public scorecard, as anybody sees it.
    page = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/scorecard/{evaluation.pk}/")
    main = page.locator("main").inner_text()
    # The page's heading is the program-neutral "Kartu skor"; its subtitle names the cycle.
    expect(page.locator("main h1")).to_have_text("Kartu skor")
    expect(page.locator("main .subtitle").first).to_contain_text("SPBE 2025")
    missing = [name for name in names if name not in main]
    assert not missing, f"the scorecard lacks {missing}"
    _no_g100sc_words(main, "scorecard")
    expect(page.locator("[data-testid=claims] thead th").first).to_have_text("Domain")
    screenshot(page, "spbe-5-scorecard")

    # Its PDF, downloaded from the page.
    with page.expect_download() as download:
        page.click("[data-testid=pdf-link] a")
    path = download.value.path()
    assert path is not None
    content = Path(path).read_bytes()
    assert content.startswith(b"%PDF")
    pdf = _look_at_pdf(content)
    text = _pdf_text(pdf)
    flat = " ".join(text.split())
    assert "kartu skor spbe" in flat.casefold()  # the kicker is set in capitals
    missing = [name for name in names if " ".join(name.split()) not in flat]
    assert not missing, f"the PDF lacks {missing}"
    _no_g100sc_words(flat, "PDF")

    # The public dashboard of program SPBE: the mean of each domain.
    page.goto(f"{base}/dashboard/public/?program=SPBE")
    means = page.locator("[data-testid=dimensions]")
    for domain in domains:
        expect(means).to_contain_text(domain.name)
    expect(page.locator("[data-testid=quick-wins]")).to_have_count(0)
    expect(means.locator("thead th").first).to_have_text("Domain")
    board = page.locator("main").inner_text()
    # The program choice names the other program by design; the results do not.
    form = page.locator("main form.filters")
    _no_g100sc_words(board.replace(form.inner_text(), "") if form.count() else board, "dashboard")
    screenshot(page, "spbe-6-public-dashboard")

    # Open data: the regions CSV and the JSON of the cycle carry domain and aspect columns.
    page.goto(f"{base}/data/")
    expect(page.locator(f"[data-testid=cycle-{cycle.pk}]")).to_contain_text("SPBE@2020")
    screenshot(page, "spbe-7-open-data")
    response = page.request.get(f"{base}/data/{cycle.pk}/regions.csv")
    assert response.status == 200
    rows = list(csv.DictReader(io.StringIO(response.text().lstrip("\ufeff"))))
    assert [row["region_code"] for row in rows] == ["64.02"]
    columns = set(rows[0])
    wanted = {f"eval_{n.code}" for n in domains + aspects}
    assert wanted <= columns, wanted - columns
    assert all(rows[0][column] for column in wanted)
    assert not any(column.startswith("smart_") for column in columns)
    exported = page.request.get(f"{base}/data/{cycle.pk}/results.json").json()
    listed = {d["code"]: d for d in exported["evaluation_dimensions"]}
    assert {n.code for n in domains + aspects} <= set(listed)
    assert all(listed[a.code]["level"] == 2 for a in aspects)
    assert exported["smart_dimensions"] == []
    result = exported["regions"][0]["result"]
    assert set(result["evaluation_dimensions"]) >= {n.code for n in domains + aspects}

    # The API's published results carry the tree's nodes.
    reader = User.objects.get(username="admin")
    _token, plaintext = create_token(
        user=reader, name="Dasbor", scope=TokenScope.READ, expires_at=None
    )
    response = page.request.get(
        f"{base}/api/v1/cycles/{cycle.pk}/results",
        headers={"Authorization": f"Bearer {plaintext}"},
    )
    assert response.status == 200, response.text()
    (found,) = response.json()["results"]
    assert found["evaluation_id"] == evaluation.pk
    nodes = {node["code"]: node for node in found["nodes"]}
    for node in domains + aspects:
        assert nodes[node.code]["name"] == node.name
        assert nodes[node.code]["index"] is not None
    assert found["dimensions"] == {}
    page.context.close()
