"""Numbers and dates as a person reads them (issue 11 §5), on every page of the world.

Every HTML page of the URL table (`tests/security/url_table.py`) is read in Indonesian by a
persona who may see it; its text (tags, scripts and attributes removed) must carry no raw
four-place decimal ("91,6667", a value that skipped `core/numbers.py`) and no English date
("December", "a.m.", an abbreviated "Dec." of Django's default formats).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django import DjangoDbBlocker

from cityeval.mentoring import views as mentoring_views
from cityeval.scorecards import pdf_views
from tests.security.url_table import TABLE
from tests.world import World

pytestmark = pytest.mark.django_db

RAW_DECIMAL = re.compile(r"\d+[.,]\d{4}\b")
# English month names that differ from the Indonesian ones, English clock suffixes, and the
# abbreviated months with a dot of Django's default `N` format ("5 Jan. 2027").
ENGLISH_DATE = re.compile(
    r"\b(January|February|March|May|June|July|August|October|December)\b"
    r"|\b[ap]\.m\.|\b(Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|Agu|Okt|Des)\.\s*\d"
)
# The coordinates' help text shows how to type four-place degrees; it is an example, not a value.
EXAMPLES = re.compile(r"Derajat desimal, misalnya \S+ dan \S+ ditulis \S+ dan \S+\.")
CHECKS = ((RAW_DECIMAL, "raw decimal"), (ENGLISH_DATE, "date not in the Indonesian format"))
# Who reads each page: the first of these who gets 200.
READERS = ("admin", "national_viewer", "lead_a", "coordinator_a", "contributor_a", "viewer_a")


def visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    page = re.sub(r"(?s)<[^>]*>", " ", page)
    return html.unescape(page)


def html_pages(world: World) -> Iterator[tuple[str, str, str]]:
    """(URL name, path, persona) of every HTML page in the table with a persona who reads it."""
    for name, row in TABLE.items():
        if row.api or name.startswith(("admin:", "api:")):
            continue
        persona = next((p for p in READERS if row.get.get(p) == 200), None)
        if persona is None:
            continue
        yield name, reverse(name.split("@")[0], kwargs=row.at(world)), persona


def test_no_page_shows_a_raw_decimal_or_an_english_date_in_indonesian(
    shared_world: World, django_db_blocker: DjangoDbBlocker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_views, "render_scorecard_pdf", lambda evaluation, language: b"%PDF")
    monkeypatch.setattr(mentoring_views, "render_berita_acara_pdf", lambda visit, language: b"%PDF")
    clients: dict[str, Client] = {}
    problems: list[str] = []
    read = 0
    with django_db_blocker.unblock(), translation.override("id"):
        for name, path, persona in html_pages(shared_world):
            client = clients.setdefault(persona, shared_world.client(persona))
            cache.clear()
            with transaction.atomic():
                response = client.get(path, headers={"accept-language": "id"})
                transaction.set_rollback(True)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            read += 1
            text = EXAMPLES.sub(" ", visible_text(response.content.decode()))
            for pattern, what in (
                (RAW_DECIMAL, "raw decimal"),
                (ENGLISH_DATE, "date not in the Indonesian format"),
            ):
                for found in pattern.finditer(text):
                    around = text[max(0, found.start() - 40) : found.end() + 20]
                    problems.append(f"{name} ({path}) {what}: …{' '.join(around.split())}…")
    assert read > 40, f"only {read} pages were read"
    assert not problems, "\n".join(problems)
