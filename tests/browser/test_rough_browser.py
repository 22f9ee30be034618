"""Issue #11 §6 in the browser: the language switch does not silently drop typed work, the team
picker searches and ticks regions, a second lead says whom it replaces, a recommendation takes a
responsible OPD and a target date. Screenshots: /tmp/shots/rough/."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Dialog, Page, expect

from cityeval.accounts.models import Role
from cityeval.evaluations.models import AssessorAssignment, EvaluationStatus
from cityeval.regions.models import OPD
from cityeval.reports.models import Recommendation
from tests.browser.test_typed_work_browser import PASSWORD, build_world, saved
from tests.world import person

pytestmark = pytest.mark.browser
SHOTS = Path(tempfile.gettempdir()) / "shots" / "rough"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


class Answers:
    """Answers the page's dialogs: confirmations by the queued answers (then yes), and refuses
    to leave a page with unsaved work (beforeunload)."""

    def __init__(self, page: Page, *confirm: bool) -> None:
        self.queue = list(confirm)
        self.seen: list[tuple[str, str]] = []
        page.on("dialog", self.handle)

    def handle(self, dialog: Dialog) -> None:
        self.seen.append((dialog.type, dialog.message))
        refuse = dialog.type == "beforeunload" or (bool(self.queue) and not self.queue.pop(0))
        if refuse:
            dialog.dismiss()
        else:
            dialog.accept()


def sign_in(browser: Browser, base: str, username: str, *confirm: bool) -> tuple[Page, Answers]:
    page = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(60_000)
    answers = Answers(page, *confirm)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.locator("header")).to_contain_text("Keluar")
    return page, answers


def test_switching_language_with_typed_work_asks_first(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    evaluation, item = build_world()
    page, answers = sign_in(browser, live_server.url, "kontributor", False, False)
    page.goto(f"{live_server.url}/evaluations/{evaluation.pk}/items/{item.pk}/")
    narrative = page.locator("textarea[name=narrative]")
    narrative.fill("Perbup 12/2023 sudah ditetapkan.")

    # Refused: the page stays, the text stays, the switch shows the language still in use.
    page.select_option("#lang-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert [kind for kind, _message in answers.seen] == ["confirm"]
    assert "belum disimpan" in answers.seen[0][1]
    expect(narrative).to_have_value("Perbup 12/2023 sudah ditetapkan.")
    expect(page.locator("#lang-select")).to_have_value("id")
    shot(page, "lang-switch-refused")

    # Signing out with the text typed asks first (the page's guard of typed work elsewhere).
    page.locator("header form[action$='/logout/'] button").click()
    assert answers.seen[-1][0] == "confirm"
    assert "belum disimpan" in answers.seen[-1][1]
    expect(page.locator("header")).to_contain_text("Keluar")
    expect(narrative).to_have_value("Perbup 12/2023 sudah ditetapkan.")

    # Agreed: the page comes back in English; nothing was saved behind the person's back.
    page.select_option("#lang-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert saved(item) == (None, "")
    shot(page, "lang-switch-accepted")


def test_switching_language_without_typed_work_asks_nothing(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    evaluation, item = build_world()
    page, answers = sign_in(browser, live_server.url, "kontributor")
    page.goto(f"{live_server.url}/evaluations/{evaluation.pk}/items/{item.pk}/")
    page.select_option("#lang-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert answers.seen == []


def test_the_team_picker_searches_ticks_and_names_the_replaced_lead(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    evaluation, _item = build_world()
    person("ketua2", (Role.ASSESSOR, None, None), password=PASSWORD, full_name="Ketua2")
    page, _answers = sign_in(browser, live_server.url, "admin")
    page.goto(f"{live_server.url}/evaluations/cycles/{evaluation.cycle_id}/")
    select = page.locator("select[name=regions]")
    expect(select).to_be_hidden()
    search = page.locator(".picker-search")
    search.fill("kutai kart")
    visible = page.locator(".picker-list label:visible")
    expect(visible).to_have_count(1)
    visible.first.locator("input").check()
    expect(page.locator(".picker-count")).to_contain_text("Kutai Kartanegara")
    page.select_option("select[name=assessor]", label="Ketua2")
    page.check("input[name=is_lead]")
    shot(page, "team-picker")
    page.get_by_role("button", name="Tetapkan").click()
    expect(page.locator("body")).to_contain_text("Ketua2 menggantikan Ketua sebagai ketua tim")
    shot(page, "team-lead-replaced")
    leads = AssessorAssignment.objects.filter(cycle_id=evaluation.cycle_id, is_lead=True)
    assert [a.user.username for a in leads] == ["ketua2"]


def test_a_recommendation_takes_its_region_opd_and_a_target_date(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    evaluation, _item = build_world()
    type(evaluation).objects.filter(pk=evaluation.pk).update(
        status=EvaluationStatus.DOCUMENT_REVIEW
    )
    page, _answers = sign_in(browser, live_server.url, "ketua")
    page.goto(f"{live_server.url}/reports/{evaluation.pk}/edit/")
    page.locator("details:has(form[action$='/recommendations/add/']) summary").first.click()
    form = page.locator("form[action$='/recommendations/add/']").first
    form.locator("textarea[name=text]").fill("Integrasikan data kesehatan ke satu portal.")
    form.locator("select[name=responsible_opd]").select_option(label="Dinas Kesehatan")
    target = timezone.localdate() + timedelta(days=90)
    form.locator("input[name=target_date]").fill(target.isoformat())
    shot(page, "recommendation-owner-form")
    form.get_by_role("button", name="Tambah").click()
    expect(page.locator("body")).to_contain_text("Rekomendasi ditambahkan")
    expect(page.locator(".rec-edit [data-testid=rec-owner]")).to_contain_text("Dinas Kesehatan")
    rec = Recommendation.objects.get(evaluation=evaluation)
    assert rec.responsible_opd == OPD.objects.get(code="DINKES")
    assert rec.target_date == target
    shot(page, "recommendation-owner")
