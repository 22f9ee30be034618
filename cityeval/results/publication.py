"""The marker of what is published: the one key of everything rendered from published results.

Publishing and reopening recompute the rank intervals inside their own transaction and audit that
with one of `PUBLICATION_ACTIONS`; audit ids only grow (append-only, hash-chained), so the newest
such entry's id names the published state. The stored scorecard PDFs (`scorecards.stored`) are
keyed on it; the public pages (`results.public_pages`, the dashboard's board) on
`PUBLIC_PAGE_ACTIONS`, which adds what else they draw (the operator's boundary file, for the map).
The ministry's dashboard (`dashboard.cache.internal_board`) keys on `DASHBOARD_ACTIONS`, which adds
what moves its figures before anything is published: every status move (submit, finalise with its
result, publish, reopen), each review verdict (assessor consistency, quick wins), the assessor
teams, entry exceptions and new cycles (progress, overdue self-assessments).

The public pages ask for their marker on every hit (`public_pages_state`): with a shared cache
(`settings.PUBLICATION_MARKER_IN_CACHE`, on with Redis) it is read from the cache, not the
database. A new entry of `PUBLIC_PAGE_ACTIONS` stores the newest marker there when its transaction
commits (`_store_after_commit`, on every audit write, one entry or a bulk_create, whoever writes
it: `audit.models.entries_written`), so a publish through one server is seen at once by every
server. The marker is the database's own state read after the commit, and it is stored only if
it is greater than the one kept (a compare and set in one step: a Lua script on Redis), so two
commits storing out of order, or the fill of an empty cache (a restart, an eviction) from an
older read, never replace a newer marker.
With a per-process cache (no Redis: one machine, several worker processes) a process cannot see
another's publish in its own memory, so the marker is read from the database on every hit.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.dispatch import receiver

from cityeval.audit.models import AuditEntry, entries_written
from cityeval.evaluations.models import EvaluationStatus
from cityeval.reviews.models import VerdictKind

PUBLICATION_ACTIONS = ("results.rank_intervals.computed", "results.rank_intervals.cleared")
PUBLIC_PAGE_ACTIONS = (
    *PUBLICATION_ACTIONS,
    "regions.boundaries.uploaded",
    "regions.boundaries.removed",
)
DASHBOARD_ACTIONS = (
    *PUBLIC_PAGE_ACTIONS,
    *(f"evaluation.status.{status.value}" for status in EvaluationStatus),
    *(f"item.review.{kind.value}" for kind in VerdictKind),
    "cycle.open",
    "cycle.assign_assessor",
    "evaluation.entry_exception",
)


@dataclass(frozen=True)
class Publication:
    marker: int  # id of the newest audit entry of the actions asked for (0 before any)
    at: datetime | None  # when it was written


def publication(actions: Sequence[str] = PUBLICATION_ACTIONS) -> Publication:
    """The newest entry among `actions`, read from the database (one indexed query)."""
    newest = (
        AuditEntry.objects.filter(action__in=actions)
        .order_by("-id")
        .values_list("id", "at")
        .first()
    )
    return Publication(0, None) if newest is None else Publication(newest[0], newest[1])


def publication_marker() -> int:
    """The id of the newest audit entry that changed what is published (0 before any)."""
    return publication().marker


def public_page_marker() -> int:
    """The marker of what the public pages show: the published results and the boundary file."""
    return publication(PUBLIC_PAGE_ACTIONS).marker


def dashboard_marker() -> int:
    """The marker of what the ministry's dashboard shows (`DASHBOARD_ACTIONS`)."""
    return publication(DASHBOARD_ACTIONS).marker


# Where the public pages' marker is kept in the shared cache. A store never replaces a newer
# marker (`_keep_if_newer`: a compare and set in one step), so two publishes committing at once
# cannot leave the older marker there; the expiry only bounds what an unnoticed change (a region
# renamed) can leave, as the pages' own entries do.
MARKER_KEY = "publication:public-pages"
MARKER_SECONDS = 5 * 60

# Redis: SET the marker only if the kept one is smaller (or none), atomically on the server.
# The value is "<marker>|<ISO time>", so the script compares the number before the bar.
_NEWER_ONLY = """
local kept = redis.call('GET', KEYS[1])
if kept then
  local marker = tonumber(string.match(kept, '^(%d+)|'))
  if marker and marker >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EX', ARGV[3])
return 1
"""
# Any other cache lives in this process: a lock makes its read-compare-set one step.
_LOCAL = threading.Lock()


def _redis() -> tuple[Any, str] | None:
    """The Redis client and full key of the marker, when the cache is Redis."""
    # `cache` is a proxy to the backend: ask the backend itself what it is.
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(backend, RedisCache):
        return None
    key = backend.make_and_validate_key(MARKER_KEY)
    return backend._cache.get_client(key, write=True), key


def _kept() -> Publication | None:
    redis = _redis()
    if redis is None:
        kept = cache.get(MARKER_KEY)
        return None if kept is None else Publication(*kept)
    client, key = redis
    raw = client.get(key)
    if raw is None:
        return None
    try:
        marker, _, at = raw.decode().partition("|")
        return Publication(int(marker), datetime.fromisoformat(at) if at else None)
    except ValueError:  # not ours (an older release's value): read from the database again
        return None


def _keep_if_newer(state: Publication) -> None:
    redis = _redis()
    if redis is not None:
        client, key = redis
        at = state.at.isoformat() if state.at else ""
        client.eval(_NEWER_ONLY, 1, key, state.marker, at, MARKER_SECONDS)
        return
    with _LOCAL:
        kept = cache.get(MARKER_KEY)
        if kept is None or kept[0] < state.marker:
            cache.set(MARKER_KEY, (state.marker, state.at), MARKER_SECONDS)


def public_pages_state() -> Publication:
    """The public pages' marker: from the shared cache when there is one (see the docstring)."""
    if not settings.PUBLICATION_MARKER_IN_CACHE:
        return publication(PUBLIC_PAGE_ACTIONS)
    kept = _kept()
    if kept is not None:
        return kept
    state = publication(PUBLIC_PAGE_ACTIONS)
    _keep_if_newer(state)
    return state


def store_public_pages_state() -> Publication:
    """Read the marker from the database and keep it in the cache unless a newer one is there
    (after a publish commits); returns what the cache holds now."""
    _keep_if_newer(publication(PUBLIC_PAGE_ACTIONS))
    kept = _kept()
    return kept if kept is not None else publication(PUBLIC_PAGE_ACTIONS)


@receiver(entries_written, dispatch_uid="results.publication.marker")
def _store_after_commit(sender: Any, entries: list[AuditEntry], using: str, **kwargs: Any) -> None:
    """Every audit write (one entry saved or a bulk_create) reaches here: a publishing entry
    stores the marker once its transaction commits."""
    if any(entry.action in PUBLIC_PAGE_ACTIONS for entry in entries):
        transaction.on_commit(store_public_pages_state, using=using)
