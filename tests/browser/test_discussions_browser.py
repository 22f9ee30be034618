"""Issue #12 §3 in the browser: two OPDs of Kutai Kartanegara and their coordinator discuss an
item; a mention raises the mentioned coordinator's unread count; the health office asks the
public works office for data, which answers with a file from its home and closes the request.
In Indonesian and in English (switched through the header), no Indonesian interface word left in
English. Screenshots at desktop and phone width: /tmp/shots/threads/{id,en}-*.png."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cityeval.discussions.models import DataRequest, Post, Thread
from cityeval.discussions.services import start_thread
from cityeval.evidence.samples import tiny_pdf
from cityeval.notifications.models import Notification
from tests.browser import language
from tests.browser.language import LANGUAGES, assert_in_language, say
from tests.world import World, build_world

pytestmark = pytest.mark.browser
SHOTS = Path(tempfile.gettempdir()) / "shots" / "threads"
PASSWORD = "diskusi-antar-opd-2024"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(browser: Browser, base: str, username: str, lang: str, *, phone: bool = False) -> Page:
    return language.sign_in(
        browser,
        base,
        username,
        lang,
        password=PASSWORD,
        phone=phone,
        timeout_ms=30_000,
        accept_dialogs=True,
    )


def _unread(w: World, persona: str) -> int:
    return Notification.objects.of(w.people[persona]).unread().count()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_two_opds_and_the_coordinator_discuss_an_item_and_exchange_data(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path, lang: str
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    w = build_world()
    for persona in ("contributor_a", "contributor_a2", "coordinator_a", "lead_a"):
        w.people[persona].set_password(PASSWORD)
        w.people[persona].save()
    base = live_server.url
    item_page = base + reverse("evaluations:item", args=[w.running.pk, w.item.pk])
    before = _unread(w, "coordinator_a")
    # Data the world and the walk hold in Indonesian (names, typed text), not interface strings.
    data = (
        w.region_a.full_name,
        w.region_a.name,
        w.item.indicator.name,
        w.roads.name,
        "Jumlah puskesmas terhubung",
        "mohon arahan; @PUPR apakah data jaringan jalan ke puskesmas ada?",
        "Gunakan data SIMPUS 2024. @PUPR mohon lengkapi.",
        "Mohon peta jaringan jalan ke 32 puskesmas.",
        "Peta terlampir. @DINKES silakan dicek.",
        "SK tim pelaksana sudah diunggah.",
        "Untuk tim asesor",
    )

    # 1. The health office opens a thread beside the rubric and mentions the coordinator and
    #    the public works office.
    health = sign_in(browser, base, "contributor_a", lang)
    health.goto(item_page)
    panel = health.locator("[data-testid=discussion]")
    expect(panel).to_be_visible()
    expect(panel.locator("[data-testid=no-threads]")).to_be_visible()
    form = panel.locator("[data-testid=start-thread]")
    form.locator("input[name=title]").fill("Jumlah puskesmas terhubung")
    form.locator("textarea[name=body]").fill(
        "@coordinator_a mohon arahan; @PUPR apakah data jaringan jalan ke puskesmas ada?"
    )
    assert_in_language(health, lang, allowed=data)
    shot(health, f"{lang}-1-item-page-start-thread-desktop")
    form.locator("button[type=submit]").click()
    expect(health.locator("[data-testid=posts] .post")).to_have_count(1)
    expect(health.locator(".messages, [role=status], body")).to_contain_text("@coordinator_a")
    assert_in_language(health, lang, allowed=data)
    shot(health, f"{lang}-2-thread-started-desktop")
    thread = Thread.objects.get(title="Jumlah puskesmas terhubung")

    # 2. The coordinator's unread count rose by one; the notification leads to the thread.
    coordinator = sign_in(browser, base, "coordinator_a", lang)
    expect(coordinator.locator("[data-testid=unread-count]")).to_have_text(str(before + 1))
    coordinator.click("[data-testid=notifications-link]")
    coordinator.locator("[data-testid=notification]").first.locator("button[name=open]").click()
    expect(coordinator.locator("h1")).to_have_text("Jumlah puskesmas terhubung")
    coordinator.locator("[data-testid=reply-form] textarea[name=body]").fill(
        "Gunakan data SIMPUS 2024. @PUPR mohon lengkapi."
    )
    coordinator.locator("[data-testid=reply-form] button[type=submit]").click()
    expect(coordinator.locator("[data-testid=posts] .post")).to_have_count(2)

    # 3. The health office asks the public works office for data with a due date.
    health.goto(item_page)
    expect(health.locator("[data-testid=thread]")).to_have_count(1)
    health.click("[data-testid=ask-data]")
    ask = health.locator("[data-testid=ask-form]")
    ask.locator("select[name=to_opd]").select_option(value=str(w.roads.pk))
    ask.locator("input[name=due_on]").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    ask.locator("textarea[name=body]").fill("Mohon peta jaringan jalan ke 32 puskesmas.")
    assert_in_language(health, lang, allowed=data)
    shot(health, f"{lang}-3-ask-data-desktop")
    ask.locator("button[type=submit]").click()
    expect(health.locator("[data-testid=data-request]")).to_contain_text(
        say(lang, "terbuka", "open")
    )
    asked = DataRequest.objects.get(thread__item=w.item)

    # 4. The public works office finds it on its home (on a phone), answers with a file and
    #    closes the request.
    roads = sign_in(browser, base, "contributor_a2", lang, phone=True)
    home = roads.locator("[data-testid=home-data-requests]")
    expect(home).to_contain_text(w.item.indicator.code)
    assert_in_language(roads, lang, allowed=data)
    shot(roads, f"{lang}-4-home-data-request-phone")
    home.locator("a").first.click()
    expect(roads.locator("[data-testid=data-request]")).to_be_visible()
    reply = roads.locator("[data-testid=reply-form]")
    reply.locator("textarea[name=body]").fill("Peta terlampir. @DINKES silakan dicek.")
    pdf = tmp_path / "peta-jalan-puskesmas.pdf"
    pdf.write_bytes(tiny_pdf(["Peta jaringan jalan"]))
    reply.locator("input[name=upload]").set_input_files(str(pdf))
    assert_in_language(roads, lang, allowed=data)
    shot(roads, f"{lang}-5-answer-with-file-phone")
    reply.locator("button[type=submit]").click()
    expect(roads.locator("[data-testid=posts]")).to_contain_text("peta-jalan-puskesmas.pdf")
    roads.click("[data-testid=close-request]")
    expect(roads.locator("[data-testid=data-request]")).to_contain_text(
        say(lang, "ditutup", "closed")
    )
    assert_in_language(roads, lang, allowed=data)
    shot(roads, f"{lang}-6-request-closed-phone")
    answer = Post.objects.filter(thread=asked.thread).order_by("pk").last()
    assert answer is not None
    assert answer.attachment is not None
    assert answer.attachment.item_id == w.item.pk

    # 5. Back on the item page the health office sees both threads, and the file as evidence.
    health.goto(item_page)
    expect(health.locator("[data-testid=thread]")).to_have_count(2)
    expect(health.locator("body")).to_contain_text("peta-jalan-puskesmas.pdf")
    assert_in_language(health, lang, allowed=data)
    shot(health, f"{lang}-7-item-page-two-threads-desktop")
    phone = sign_in(browser, base, "contributor_a", lang, phone=True)
    phone.goto(item_page)
    expect(phone.locator("[data-testid=discussion]")).to_be_visible()
    assert_in_language(phone, lang, allowed=data)
    shot(phone, f"{lang}-8-item-page-phone")
    phone.goto(base + reverse("discussions:thread", args=[thread.pk]))
    expect(phone.locator("[data-testid=posts] .post")).to_have_count(2)
    assert_in_language(phone, lang, allowed=data)
    shot(phone, f"{lang}-9-thread-phone")

    # 6. The assessor's item page shows the shared threads only, beside the rubric.
    start_thread(
        item=w.item,
        evaluation=w.running,
        user=w.people["coordinator_a"],
        title="Untuk tim asesor",
        body="SK tim pelaksana sudah diunggah.",
        shared=True,
    )
    team = sign_in(browser, base, "lead_a", lang)
    team.goto(base + reverse("reviews:item", args=[w.running.pk, w.item.pk]))
    expect(team.locator("[data-testid=thread]")).to_have_count(1)
    expect(team.locator("[data-testid=discussion]")).to_contain_text("Untuk tim asesor")
    assert_in_language(team, lang, allowed=data)
    shot(team, f"{lang}-10-review-page-shared-thread-desktop")
    team_phone = sign_in(browser, base, "lead_a", lang, phone=True)
    team_phone.goto(base + reverse("reviews:item", args=[w.running.pk, w.item.pk]))
    expect(team_phone.locator("[data-testid=discussion]")).to_be_visible()
    assert_in_language(team_phone, lang, allowed=data)
    shot(team_phone, f"{lang}-11-review-page-phone")
