"""The public pages' publication marker kept in the shared cache (results/publication.py): a hit
runs no query at all, a publish or reopen stores the new marker when it commits (every action that
changes the public pages, whoever writes it), a rolled-back one stores nothing, and an empty cache
is filled from the database without overwriting what a publish stored meanwhile."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from cityeval.audit.log import record
from cityeval.audit.models import AuditEntry
from cityeval.reports.services import publish_evaluation, reopen_evaluation
from cityeval.results import publication
from cityeval.results.publication import (
    MARKER_KEY,
    PUBLIC_PAGE_ACTIONS,
    public_pages_state,
)
from tests.public.test_public_pages import PAGES
from tests.public.test_two_servers import redis_url  # noqa: F401 (a fixture)
from tests.world import World

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


@pytest.fixture
def site(shared_world: World) -> Iterator[World]:
    cache.clear()
    with override_settings(PUBLICATION_MARKER_IN_CACHE=True), transaction.atomic():
        yield shared_world
        transaction.set_rollback(True)
    cache.clear()


def _get(url: str, **headers: str) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url, headers=headers)
    return response, len(queries)


@pytest.mark.parametrize("page", list(PAGES))
def test_a_cached_public_page_is_served_without_any_query(site: World, page: str) -> None:
    url = PAGES[page](site)
    first, _ = _get(url, accept_encoding="gzip")
    second, serving = _get(url, accept_encoding="gzip")
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert serving == 0
    again, conditional = _get(url, accept_encoding="gzip", if_none_match=second["ETag"])
    assert again.status_code == 304
    assert conditional == 0


def test_an_empty_cache_is_filled_from_the_database(site: World) -> None:
    with CaptureQueriesContext(connection) as queries:
        state = public_pages_state()
    assert len(queries) == 1
    assert state == publication.publication(PUBLIC_PAGE_ACTIONS)
    assert cache.get(MARKER_KEY) == (state.marker, state.at)
    with CaptureQueriesContext(connection) as queries:
        assert public_pages_state() == state
    assert len(queries) == 0


@pytest.mark.parametrize("action", PUBLIC_PAGE_ACTIONS)
def test_every_action_that_changes_the_public_pages_stores_the_marker_on_commit(
    site: World, action: str, django_capture_on_commit_callbacks: Capture
) -> None:
    before = public_pages_state()  # now in the cache
    with django_capture_on_commit_callbacks(execute=False) as pending:
        entry = record(actor=site.people["admin"], action=action, target=site.published_cycle)
    # Until the writer's transaction commits, every server keeps serving the old state.
    assert public_pages_state() == before
    for callback in pending:
        callback()
    assert public_pages_state().marker == entry.pk > before.marker


def test_another_action_or_a_rolled_back_publish_stores_nothing(
    site: World, django_capture_on_commit_callbacks: Capture
) -> None:
    before = public_pages_state()
    with django_capture_on_commit_callbacks(execute=True) as pending:
        admin, cycle = site.people["admin"], site.published_cycle
        record(actor=admin, action="evaluations.submitted", target=cycle)
        try:
            with transaction.atomic():
                publish_evaluation(evaluation=site.finalised_b, user=site.people["admin"])
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert pending == []
    assert public_pages_state() == before


def test_a_fill_from_the_database_never_overwrites_a_marker_a_publish_stored(
    site: World, django_capture_on_commit_callbacks: Capture
) -> None:
    stale = publication.publication(PUBLIC_PAGE_ACTIONS)  # a reader read this before the publish
    with django_capture_on_commit_callbacks(execute=True):
        publish_evaluation(evaluation=site.finalised_b, user=site.people["admin"])
    cache.add(MARKER_KEY, (stale.marker, stale.at), publication.MARKER_SECONDS)  # its late fill
    assert public_pages_state().marker > stale.marker


def test_publish_and_reopen_are_seen_at_once_through_the_cached_marker(
    site: World, django_capture_on_commit_callbacks: Capture
) -> None:
    semarang = site.finalised_b.region.name
    board = PAGES["public dashboard"](site)
    card = PAGES["scorecard"](site)
    before = {url: _get(url)[0] for url in (board, card)}
    assert semarang not in before[board].content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publish_evaluation(evaluation=site.finalised_b, user=site.people["admin"])
    assert semarang in _get(board)[0].content.decode()
    stale, _ = _get(card, if_none_match=before[card]["ETag"])
    assert stale.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        reopen_evaluation(evaluation=site.published, user=site.people["admin"], reason="Koreksi.")
    assert 'data-testid="under-review"' in _get(card)[0].content.decode()


def test_database_connections_are_kept_between_requests_on_every_engine() -> None:
    # Opening a SQLite connection (file, PRAGMAs, schema) cost ~10 ms of every public hit.
    kept = settings.DATABASES["default"]["CONN_MAX_AGE"]
    assert kept is None or kept > 0  # None: kept for ever


def _publishing_entry(site: World, action: str = PUBLIC_PAGE_ACTIONS[0]) -> AuditEntry:
    return AuditEntry(
        action=action, target_type="evaluations.cycle", target_id=str(site.published_cycle.pk)
    )


def test_a_bulk_written_publishing_entry_stores_the_marker_on_commit(
    site: World, django_capture_on_commit_callbacks: Capture
) -> None:
    """post_save is not sent for a bulk_create: every audit write reaches the marker."""
    before = public_pages_state()
    with django_capture_on_commit_callbacks(execute=False) as pending:
        AuditEntry.objects.bulk_create([_publishing_entry(site), _publishing_entry(site)])
    assert public_pages_state() == before
    for callback in pending:
        callback()
    newest = publication.publication(PUBLIC_PAGE_ACTIONS)
    assert newest.marker > before.marker
    assert public_pages_state() == newest


@pytest.fixture(params=["local memory", "redis"])
def marker_cache(request: pytest.FixtureRequest, site: World) -> Iterator[None]:
    """The marker kept in each kind of cache the settings choose (Redis: a throw-away server)."""
    if request.param == "local memory":
        yield
        return
    url = request.getfixturevalue("redis_url")
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    with override_settings(CACHES={"default": backend}):
        cache.clear()
        yield
        cache.clear()


def test_a_marker_stored_late_never_replaces_a_newer_one(
    site: World, marker_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two publishes commit at once: the first's store runs last, with what it read before the
    second committed. The newer marker stays (the marker only grows), with its time."""
    older = publication.publication(PUBLIC_PAGE_ACTIONS)
    entry = record(actor=site.people["admin"], action=PUBLIC_PAGE_ACTIONS[0], target=site.region_a)
    newer = publication.store_public_pages_state()
    assert newer.marker == entry.pk > older.marker
    monkeypatch.setattr(publication, "publication", lambda actions: older)  # the late read
    publication.store_public_pages_state()
    assert public_pages_state() == newer
    # The fill of an empty cache from an older read does not win either.
    cache.clear()
    public_pages_state()  # fills with `older` (the patched read)
    monkeypatch.undo()
    assert publication.store_public_pages_state() == newer
    assert public_pages_state() == newer


def test_with_redis_the_marker_is_compared_and_set_on_the_server(
    site: World,
    redis_url: str,  # noqa: F811 (the fixture imported above)
) -> None:
    """On Redis the compare and set is the server's one step (the Lua script), not this
    process's lock: the kept value is the script's "<marker>|<time>"."""
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    with override_settings(CACHES={"default": backend}):
        cache.clear()
        found = publication._redis()
        assert found is not None
        client, key = found
        state = publication.store_public_pages_state()
        assert client.get(key).decode().startswith(f"{state.marker}|")
        cache.clear()
