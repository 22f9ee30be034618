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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

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
