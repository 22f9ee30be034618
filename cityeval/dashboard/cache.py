"""The public dashboard's board, rendered once per state of the published results.

The public board (every published region of a cycle: leaderboard, distribution, quick wins) costs
some 150 ms of CPU at 514 regions, most of it drawing the table, and it reads only published
results, which change a few times a year. It is cached as rendered HTML, keyed by a marker that
changes whenever the set of published results changes anywhere: publishing and reopening
recompute the rank intervals inside their own transaction and audit that with one of
`PUBLICATION_ACTIONS`; audit ids only grow (append-only, hash-chained), so the newest such entry's
id names the published state. Every server process reads the marker from the database, so a
publication on one server is seen by all at once, whatever the cache backend. The part around the
board (navigation, language switch, the filters form) is rendered per request and never cached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Max
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from cityeval.audit.models import AuditEntry
from cityeval.dashboard.forms import Filters
from cityeval.evaluations.models import Cycle
from cityeval.regions.models import BoundaryFile

PUBLICATION_ACTIONS = ("results.rank_intervals.computed", "results.rank_intervals.cleared")
# A safety net for what the marker does not see (a region renamed, a framework label corrected).
SECONDS = 15 * 60


def publication_marker() -> int:
    """The id of the newest audit entry that changed what is published (0 before any)."""
    newest = AuditEntry.objects.filter(action__in=PUBLICATION_ACTIONS).aggregate(m=Max("id"))
    return int(newest["m"] or 0)


def board_key(cycle: Cycle, filters: Filters, marker: int, boundaries: int) -> str:
    parts = (
        marker,
        boundaries,
        translation.get_language(),
        cycle.pk,
        filters.cohort,
        filters.province,
        filters.kind,
        filters.peer_group,
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"dashboard:public:{digest}"


def cached_board(cycle: Cycle, filters: Filters, render: Callable[[], str]) -> SafeString:
    """The public board's HTML from the cache, or `render()`ed and stored."""
    key = board_key(cycle, filters, publication_marker(), BoundaryFile.objects.current_id())
    html: str | None = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, SECONDS)
    return mark_safe(html)  # noqa: S308 -- our own template's output, escaped when rendered
