"""The public board is cached per published state, language and filters (dashboard/cache.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cityeval.audit.log import record
from cityeval.results.publication import PUBLICATION_ACTIONS, publication_marker

pytestmark = pytest.mark.django_db


def _get(client: Client, **params: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard:public"), params)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _board(html: str) -> str:
    # The board only: the rest of the page carries per-request tokens.
    start = html.index('data-testid="leaderboard"')
    return html[start : html.index("</main>", start) if "</main>" in html else len(html)]


def test_a_repeated_request_is_served_from_the_cache_with_the_same_board(world: Any) -> None:
    client = world.client("anonymous")
    first, misses = _get(client)
    second, hits = _get(client)
    assert _board(second) == _board(first)
    assert "Kutai Kartanegara" in _board(first)
    assert hits < misses


def test_publishing_a_result_changes_the_marker_and_the_board(world: Any) -> None:
    from cityeval.reports.services import publish_evaluation

    client = world.client("anonymous")
    before, _ = _get(client)
    assert "Jakarta Pusat" not in _board(before)
    marker = publication_marker()
    publish_evaluation(evaluation=world.evaluation("31.71"), user=world.people["admin"])
    assert publication_marker() > marker
    after, _ = _get(client)
    assert "Jakarta Pusat" in _board(after)


def test_only_publication_entries_move_the_marker(world: Any) -> None:
    marker = publication_marker()
    record(actor=world.people["admin"], action="evaluation.note", target=world.cycle)
    assert publication_marker() == marker
    record(actor=world.people["admin"], action=PUBLICATION_ACTIONS[1], target=world.cycle)
    assert publication_marker() > marker


def test_languages_and_filters_are_cached_apart(world: Any) -> None:
    client = world.client("anonymous")
    indonesian, _ = _get(client)
    client.cookies["django_language"] = "en"
    english, _ = _get(client)
    assert "Peringkat" in _board(indonesian)
    assert "Ranking" in _board(english) or "Rank" in _board(english)
    assert _board(english) != _board(indonesian)
    filtered, _ = _get(client, kind="kabupaten")
    assert "Kutai Kartanegara" in _board(filtered)
    assert "Kota Semarang" not in _board(filtered)


def test_the_ministry_dashboard_is_never_cached(world: Any) -> None:
    client = world.client("admin")
    client.get(reverse("dashboard:national"))  # the session's first-request writes
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("dashboard:national"))
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("dashboard:national"))
    assert len(second) == len(first)
