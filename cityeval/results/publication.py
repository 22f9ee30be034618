"""The marker of what is published: the one key of everything rendered from published results.

Publishing and reopening recompute the rank intervals inside their own transaction and audit that
with one of `PUBLICATION_ACTIONS`; audit ids only grow (append-only, hash-chained), so the newest
such entry's id names the published state. The public dashboard's cache (`dashboard.cache`) and
the stored scorecard PDFs (`scorecards.stored`) are keyed on it.
"""

from __future__ import annotations

from django.db.models import Max

from cityeval.audit.models import AuditEntry

PUBLICATION_ACTIONS = ("results.rank_intervals.computed", "results.rank_intervals.cleared")


def publication_marker() -> int:
    """The id of the newest audit entry that changed what is published (0 before any)."""
    newest = AuditEntry.objects.filter(action__in=PUBLICATION_ACTIONS).aggregate(m=Max("id"))
    return int(newest["m"] or 0)
