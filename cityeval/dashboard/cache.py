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
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from cityeval.dashboard.forms import Filters
from cityeval.evaluations.models import Cycle
from cityeval.results.publication import PUBLICATION_ACTIONS, publication_marker

__all__ = ["PUBLICATION_ACTIONS", "board_key", "cached_board", "publication_marker"]

# A safety net for what the marker does not see (a region renamed, a framework label corrected).
SECONDS = 15 * 60


def board_key(cycle: Cycle, filters: Filters, marker: int) -> str:
    parts = (
        marker,
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
    key = board_key(cycle, filters, publication_marker())
    html: str | None = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, SECONDS)
    return mark_safe(html)  # noqa: S308 -- our own template's output, escaped when rendered
