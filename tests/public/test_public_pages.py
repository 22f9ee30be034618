"""Every public page is rendered once per publication state and served from the shared cache
(results/public_pages.py) as stored, gzipped once: conditional requests, no per-visitor part
(no CSRF token, no cookie), signed-in readers never given the anonymous copy, publish and reopen
seen at once."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware import gzip as gzip_middleware
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import text

from cityeval.reports.services import publish_evaluation, reopen_evaluation
from cityeval.results import public_pages
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


@pytest.mark.parametrize("page", list(PAGES))
def test_a_public_page_is_rendered_once_and_then_served_from_the_cache(
    site: World, page: str
) -> None:
    url = PAGES[page](site)
    first, rendering = _get(Client(), url)
    second, serving = _get(Client(), url)
    assert first.status_code == second.status_code == 200
    # Nothing per visitor: the very same bytes, no CSRF token, no cookie set.
    assert second.content == first.content
    assert b"csrfmiddlewaretoken" not in first.content
    assert not first.cookies
    assert not second.cookies
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


def _counting(function: Any, calls: list[int]) -> Any:
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return function(*args, **kwargs)

    return counted


@pytest.mark.parametrize("page", list(PAGES))
def test_a_gzip_reader_gets_the_page_compressed_once_and_then_as_stored(
    site: World, page: str
) -> None:
    url = PAGES[page](site)
    plain, _ = _get(Client(), url)
    compressions: list[int] = []
    counted = _counting(text.compress_string, compressions)
    with (
        mock.patch.object(public_pages, "compress_string", counted),
        mock.patch.object(gzip_middleware, "compress_string", counted),
    ):
        first, _ = _get(Client(), url, accept_encoding="gzip, deflate")
        second, serving = _get(Client(), url, accept_encoding="gzip")
    assert serving == 1
    assert compressions == []  # both copies were stored at the first rendering
    assert second.content == first.content
    assert "Accept-Encoding" in second["Vary"]
    if plain["Content-Type"].startswith(("text/", "application/json")):
        assert second["Content-Encoding"] == "gzip"
        assert gzip.decompress(second.content) == plain.content
        assert second["ETag"] == f"W/{plain['ETag']}"
        again, _ = _get(Client(), url, accept_encoding="gzip", if_none_match=second["ETag"])
        assert again.status_code == 304
    else:  # a workbook is compressed already
        assert not second.has_header("Content-Encoding")
        assert second.content == plain.content


def test_a_page_that_uses_a_csrf_token_is_never_stored(site: World) -> None:
    # Should a form with a token come back into a public page, each visitor gets their own page.
    request = RequestFactory().get("/anything/")
    request.user = AnonymousUser()
    renderings: list[int] = []

    def render() -> HttpResponse:
        renderings.append(1)
        return HttpResponse(get_token(request))

    for _ in range(2):
        response = public_pages.public_page(request, "token-page", render)
        assert response.status_code == 200
        assert "ETag" not in response
    assert len(renderings) == 2


def test_an_anonymous_visitor_switches_the_language_with_a_get_form(site: World) -> None:
    url = PAGES["scorecard"](site)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url).content.decode()
    switch = reverse("choose_language")
    assert f'action="{switch}" method="get"' in page
    assert "data-guard-unsaved" in page
    chosen = visitor.get(switch, {"language": "en", "next": url})
    assert chosen.status_code == 302
    assert chosen["Location"] == url
    assert visitor.get(url)["Content-Language"] == "en"


@pytest.mark.parametrize(
    ("query", "location", "cookie"),
    [
        ({"language": "xx", "next": "/data/"}, "/data/", False),  # not offered: nothing set
        ({"language": "en", "next": "https://evil.example/"}, "/", True),  # another site
        ({"language": "en"}, "/", True),
    ],
)
def test_the_get_switch_refuses_bad_input(
    site: World, query: dict[str, str], location: str, cookie: bool
) -> None:
    response = Client().get(reverse("choose_language"), query)
    assert response.status_code == 302
    assert response["Location"] == location
    assert (settings.LANGUAGE_COOKIE_NAME in response.cookies) is cookie
    assert Client().post(reverse("choose_language"), query).status_code == 405


def test_a_signed_in_page_keeps_the_post_switch_with_its_guard(site: World) -> None:
    page = site.client("coordinator_a").get(PAGES["scorecard"](site)).content.decode()
    assert f'action="{reverse("set_language")}" method="post"' in page
    assert "data-guard-unsaved" in page
    assert "csrfmiddlewaretoken" in page


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
        # The form in the cached page has no token: the simulation needs none (it writes nothing).
        projected = Client(enforce_csrf_checks=True).post(url, {})
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
