"""The offline Excel round-trip in a real browser: download, a rejected upload, a preview, confirm.

Screenshots: artifacts/screenshots/workbook-*.png.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.evaluations.models import Evaluation, ItemValue, Round
from cityeval.evaluations.services import Deadlines, open_cycle, save_self_assessment
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.services import import_shipped
from cityeval.regions.models import Region
from cityeval.workbooks import workbook_format as fmt
from tests.browser.conftest import screenshot
from tests.world import load_test_regions

pytestmark = pytest.mark.browser
PASSWORD = "jalan-kota-cerdas-99"


def build_world() -> Evaluation:
    load_test_regions()
    import_shipped()
    kukar = Region.objects.get(code="64.02")
    admin = User.objects.create_user("admin", email="admin@example.id", password=PASSWORD)
    RoleGrant.objects.create(user=admin, role=Role.PROGRAM_ADMIN)
    coordinator = User.objects.create_user(
        "koordinator", email="k@example.id", password=PASSWORD, full_name="Diskominfo Kukar"
    )
    RoleGrant.objects.create(user=coordinator, role=Role.COORDINATOR, region=kukar)
    other = User.objects.create_user(
        "dinkes", email="k2@example.id", password=PASSWORD, full_name="Dinkes Kukar"
    )
    RoleGrant.objects.create(user=other, role=Role.COORDINATOR, region=kukar)
    cycle = open_cycle(
        year=2025,
        round=Round.TAHAP_1,
        framework_version=FrameworkVersion.objects.get_by_ref("G100SC@2022"),
        regions=[kukar],
        deadlines=Deadlines(),
        user=admin,
    )
    return Evaluation.objects.get(cycle=cycle)


def sign_in(browser: Browser, base: str) -> Page:
    page = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "koordinator")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.locator("header")).to_contain_text("Keluar")
    return page


def filled(path: Path, values: dict[int, Any], target: Path) -> Path:
    """The downloaded workbook with the value cells of some rows (2 = first item) filled."""
    book = load_workbook(path)
    sheet = book[fmt.ITEMS_SHEET]
    for row, value in values.items():
        sheet.cell(row=row, column=fmt.INDEX["value"] + 1).value = value
        sheet.cell(row=row, column=fmt.INDEX["narrative"] + 1).value = "Diisi saat rapat OPD."
    output = io.BytesIO()
    book.save(output)
    target.write_bytes(output.getvalue())
    return target


def test_a_coordinator_fills_the_workbook_offline(
    browser: Browser, live_server: Any, tmp_path: Path
) -> None:
    evaluation = build_world()
    page = sign_in(browser, live_server.url)
    page.goto(f"{live_server.url}/evaluations/{evaluation.pk}/")
    page.click("a[data-testid=workbook]")
    expect(page.locator("h1")).to_have_text("Isi offline dengan Excel")

    with page.expect_download() as info:
        page.click("a[data-testid=workbook-download]")
    downloaded = tmp_path / info.value.suggested_filename
    info.value.save_as(downloaded)
    assert downloaded.name.endswith(".xlsx")

    # A first try with two bad cells: the error table names them, nothing is saved.
    bad = filled(downloaded, {2: 4, 3: 7, 4: "tinggi"}, tmp_path / "isian-kukar.xlsx")
    page.set_input_files("input[name=file]", str(bad))
    page.click("form[data-testid=workbook-upload] button[type=submit]")
    problems = page.locator("table[data-testid=problems] tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_contain_text("Tingkat harus salah satu dari 1, 2, 3, 4, 5")
    expect(problems.nth(1)).to_contain_text("Tingkat harus berupa angka")
    expect(page.locator("main")).to_contain_text("isian-kukar.xlsx")
    screenshot(page, "workbook-errors")
    assert not ItemValue.objects.filter(evaluation=evaluation, self_value__isnull=False).exists()

    # Corrected: a preview, then the confirm step writes the rows.
    good = filled(downloaded, {2: 4, 3: 3, 4: 2}, tmp_path / "isian-kukar-2.xlsx")
    page.set_input_files("input[name=file]", str(good))
    page.click("form[data-testid=workbook-upload] button[type=submit]")
    expect(page.locator("[data-testid=preview-summary]")).to_contain_text("3 butir akan berubah")
    screenshot(page, "workbook-preview")
    page.click("button[data-testid=workbook-confirm]")
    expect(page.locator(".msg-success")).to_contain_text("3 butir disimpan dari isian-kukar-2.xlsx")
    values = ItemValue.objects.filter(evaluation=evaluation, self_value__isnull=False)
    assert sorted(item.self_value or 0 for item in values) == [2, 3, 4]

    # Meanwhile an OPD saves the first item in the application; the old workbook now conflicts.
    first = ItemValue.objects.get(evaluation=evaluation, indicator__code="BAS-GOV-PS")
    save_self_assessment(
        item=first,
        user=User.objects.get(username="dinkes"),
        value=first.self_value,
        narrative="Diperbarui Dinas Kesehatan di aplikasi.",
        expected_version=first.version,
    )
    stale = filled(downloaded, {2: 5, 5: 1}, tmp_path / "isian-kukar-lama.xlsx")
    page.goto(f"{live_server.url}/evaluations/{evaluation.pk}/workbook/")
    page.set_input_files("input[name=file]", str(stale))
    page.click("form[data-testid=workbook-upload] button[type=submit]")
    expect(page.locator("[data-testid=preview-summary]")).to_contain_text("1 konflik")
    expect(page.locator("table[data-testid=conflicts]")).to_contain_text("Dinkes Kukar")
    screenshot(page, "workbook-conflict")
