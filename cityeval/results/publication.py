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
commits (`_store_after_commit`, on every audit entry saved, whoever writes it), so a publish
through one server is seen at once by every server; an empty cache (a restart, an eviction) is
filled from the database with `add`, which never overwrites a marker a publish stored meanwhile.
With a per-process cache (no Redis: one machine, several worker processes) a process cannot see
another's publish in its own memory, so the marker is read from the database on every hit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from cityeval.audit.models import AuditEntry
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


# Where the public pages' marker is kept in the shared cache. The expiry is a safety net only (two
# publishes committing in the same instant may store their markers out of order): a publish
# stores the new marker at once, it does not wait for the expiry.
MARKER_KEY = "publication:public-pages"
MARKER_SECONDS = 5 * 60


def public_pages_state() -> Publication:
    """The public pages' marker: from the shared cache when there is one (see the docstring)."""
    if not settings.PUBLICATION_MARKER_IN_CACHE:
        return publication(PUBLIC_PAGE_ACTIONS)
    kept = cache.get(MARKER_KEY)
    if kept is not None:
        return Publication(*kept)
    state = publication(PUBLIC_PAGE_ACTIONS)
    cache.add(MARKER_KEY, (state.marker, state.at), MARKER_SECONDS)
    return state


def store_public_pages_state() -> Publication:
    """Read the marker from the database and store it in the cache (after a publish commits)."""
    state = publication(PUBLIC_PAGE_ACTIONS)
    cache.set(MARKER_KEY, (state.marker, state.at), MARKER_SECONDS)
    return state


@receiver(post_save, sender=AuditEntry, dispatch_uid="results.publication.marker")
def _store_after_commit(sender: Any, instance: AuditEntry, created: bool, **kwargs: Any) -> None:
    if created and instance.action in PUBLIC_PAGE_ACTIONS:
        using = kwargs.get("using")
        transaction.on_commit(store_public_pages_state, using=using)
