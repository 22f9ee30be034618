"""The public dashboard's board, rendered once per state of the published results.

Anonymous visitors get the whole page from `results.public_pages` (the one mechanism for public
pages); a signed-in reader of the public dashboard gets the page around the board rendered for
them and the board from here, under a key of the same mechanism (`state_key`).

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
from typing import Any

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from cityeval.dashboard.forms import Filters
from cityeval.evaluations.models import Cycle
from cityeval.regions.models import BoundaryFile
from cityeval.results.public_pages import SECONDS, state_key
from cityeval.results.publication import dashboard_marker, public_page_marker


def _parts(cycle: Cycle, filters: Filters) -> tuple[object, ...]:
    return (cycle.pk, filters.cohort, filters.province, filters.kind, filters.peer_group)


def board_key(cycle: Cycle, filters: Filters, marker: int, boundaries: int, page: int = 1) -> str:
    return state_key("dashboard-board", marker, boundaries, *_parts(cycle, filters), page)


def cached_board(
    cycle: Cycle, filters: Filters, page: int, render: Callable[[int], str]
) -> SafeString:
    """The public board's HTML with the leaderboard's `page`, from the cache, or `render(page)`ed
    and stored."""
    key = board_key(cycle, filters, public_page_marker(), BoundaryFile.objects.current_id(), page)
    html: str | None = cache.get(key)
    if html is None:
        html = render(page)
        cache.set(key, html, SECONDS)
    return mark_safe(html)  # noqa: S308 -- our own template's output, escaped when rendered


def internal_key(cycle: Cycle, filters: Filters, marker: int, boundaries: int, part: object) -> str:
    named = (marker, boundaries, timezone.localdate(), translation.get_language(), part)
    digest = hashlib.sha256(repr((*named, *_parts(cycle, filters))).encode()).hexdigest()
    return f"internal:dashboard-board:{digest[:32]}"


def internal_board(
    cycle: Cycle,
    filters: Filters,
    page: int,
    compute: Callable[[], dict[str, Any]],
    render: Callable[[dict[str, Any], int], str],
) -> SafeString:
    """The ministry's board with the leaderboard's `page` (see above): its HTML from the cache,
    else `render(data, page)`ed from the state's data, itself from the cache or `compute()`d."""
    marker, boundaries = dashboard_marker(), BoundaryFile.objects.current_id()
    key = internal_key(cycle, filters, marker, boundaries, page)
    html: str | None = cache.get(key)
    if html is None:
        data_key = internal_key(cycle, filters, marker, boundaries, "data")
        found: dict[str, Any] | None = cache.get(data_key)
        if found is None:
            found = compute()
            cache.set(data_key, found, SECONDS)
        html = render(found, page)
        cache.set(key, html, SECONDS)
    return mark_safe(html)  # noqa: S308 -- our own template's output, escaped when rendered
