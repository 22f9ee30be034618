"""Every public page is rendered once per publication state and served from the shared cache
(results/public_pages.py): conditional requests, a fresh CSRF token per visitor, signed-in
readers never given the anonymous copy, publish and reopen seen at once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cityeval.reports.services import publish_evaluation, reopen_evaluation
from cityeval.results.public_pages import CSRF_PLACEHOLDER
from tests.world import World

pytestmark = pytest.mark.django_db

# Every page the mechanism serves: (name, url builder). A new public page gets a row here.
PAGES: dict[str, Any] = {
    "scorecard": lambda w: reverse("scorecards:scorecard", args=[w.published.pk]),
    "public dashboard": lambda w: reverse("dashboard:public"),
    "public dashboard, filtered": lambda w: (
        reverse("dashboard:public") + f"?cycle={w.published_cycle.pk}&kind=kota"
    ),
    "open data": lambda w: reverse("exports:index"),
    "workbook": lambda w: reverse("exports:xlsx", args=[w.published_cycle.pk]),
    "regions csv": lambda w: reverse("exports:regions_csv", args=[w.published_cycle.pk]),
    "items csv": lambda w: reverse("exports:items_csv", args=[w.published_cycle.pk]),
    "json": lambda w: reverse("exports:json", args=[w.published_cycle.pk]),
}
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def site(shared_world: World) -> Iterator[World]:
    cache.clear()
    with transaction.atomic():
        yield shared_world
        transaction.set_rollback(True)
    cache.clear()


def _get(client: Client, url: str, **headers: str) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


def _without_tokens(content: bytes) -> bytes:
    return TOKEN.sub(b"", content)


@pytest.mark.parametrize("page", list(PAGES))
def test_a_public_page_is_rendered_once_and_then_served_from_the_cache(
    site: World, page: str
) -> None:
    url = PAGES[page](site)
    first, rendering = _get(Client(), url)
    second, serving = _get(Client(), url)
    assert first.status_code == second.status_code == 200
    assert _without_tokens(second.content) == _without_tokens(first.content)
    assert CSRF_PLACEHOLDER.encode() not in first.content + second.content
    # One query: the publication marker. Nothing is rendered again.
    assert serving == 1 < rendering
    assert second["ETag"] == first["ETag"]
    assert "Last-Modified" in second
    assert "Cookie" in second["Vary"]
    assert second["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("page", list(PAGES))
def test_a_browser_that_has_the_page_gets_304_without_rendering(site: World, page: str) -> None:
    url = PAGES[page](site)
    first, _ = _get(Client(), url)
    again, queries = _get(Client(), url, if_none_match=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert queries == 1
    since, _ = _get(Client(), url, if_modified_since=first["Last-Modified"])
    assert since.status_code == 304
    stale, _ = _get(Client(), url, if_none_match='"another-state"')
    assert stale.status_code == 200


def test_each_visitor_gets_a_working_token_of_their_own(site: World) -> None:
    url = PAGES["scorecard"](site)
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(url)
        found = TOKEN.findall(page.content)
        assert found
        tokens.append(found[0])
        # The cached page's token is accepted with this visitor's cookie (language switch).
        switched = visitor.post(
            reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": found[0].decode()}
        )
        assert switched.status_code == 302
    assert tokens[0] != tokens[1]


def test_a_signed_in_reader_never_gets_the_anonymous_copy(site: World) -> None:
    for page in ("scorecard", "public dashboard", "open data"):
        url = PAGES[page](site)
        anonymous, _ = _get(Client(), url)
        signed_in, _ = _get(site.client("coordinator_a"), url)
        logout = f'action="{reverse("logout")}"'
        assert logout not in anonymous.content.decode()
        assert logout in signed_in.content.decode()
        assert "ETag" not in signed_in


def test_the_simulator_stays_live(site: World) -> None:
    url = reverse("scorecards:simulate", args=[site.published.pk])
    Client().get(PAGES["scorecard"](site))  # cached now
    with CaptureQueriesContext(connection) as queries:
        projected = Client().post(url, {})
    assert projected.status_code == 200
    assert len(queries) > 1
    assert "ETag" not in projected


def test_publishing_and_reopening_change_every_public_page_at_once(site: World) -> None:
    anonymous = Client()
    semarang = site.finalised_b.region.name
    board = PAGES["public dashboard"](site)
    csv = PAGES["regions csv"](site)
    card = PAGES["scorecard"](site)
    card_b = reverse("scorecards:scorecard", args=[site.finalised_b.pk])
    before = {url: _get(anonymous, url)[0] for url in (board, csv, card)}
    assert semarang not in before[board].content.decode()
    assert semarang not in before[csv].content.decode()
    assert anonymous.get(card_b).status_code == 302  # not yet published: sign in

    publish_evaluation(evaluation=site.finalised_b, user=site.people["admin"])
    assert semarang in anonymous.get(board).content.decode()
    assert semarang in anonymous.get(csv).content.decode()
    assert anonymous.get(card_b).status_code == 200
    # An old copy in the browser is stale now: its ETag no longer matches.
    assert anonymous.get(card, headers={"if_none_match": before[card]["ETag"]}).status_code == 200

    reopen_evaluation(evaluation=site.published, user=site.people["admin"], reason="Koreksi.")
    reopened = anonymous.get(card)
    assert reopened.status_code == 200
    assert 'data-testid="under-review"' in reopened.content.decode()
    assert 'data-testid="under-review"' not in before[card].content.decode()
