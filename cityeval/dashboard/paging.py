"""The leaderboard a page at a time: 514 rows drawn per request were most of a page's cost.

Ranks, the distribution, the map and every other figure are still counted over all the rows the
filters choose (`data.dashboard`); only the table shows `PAGE_SIZE` of them. The page is a query
parameter beside the filters, and each link carries the program, the cycle and the filters the
board was drawn for (never the rest of the request's query string), so the public board's HTML
cached per filters and page (`cache.cached_board`) holds the same links for every reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.http import urlencode

from cityeval.dashboard.data import Dashboard, Row
from cityeval.dashboard.forms import Filters

PAGE_SIZE = 50
# A page number beyond this is read as the first page (no cache entry per absurd number).
HIGHEST_ASKED = 10_000
ANCHOR = "#leaderboard"


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: the gap of an elided range ("…")
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class Leaderboard:
    rows: list[Row]
    number: int
    pages: int
    first: int  # the position of the page's first row among all rows (1-based; 0 when none)
    last: int
    total: int
    links: list[PageLink]
    previous_url: str
    next_url: str


def asked_page(asked: str | None) -> int:
    """The page number a query parameter asks for; 1 for anything that is not one."""
    try:
        number = int(asked or 1)
    except ValueError:
        return 1
    return number if 1 <= number <= HIGHEST_ASKED else 1


def page_url(board: Dashboard, filters: Filters, number: int) -> str:
    query: dict[str, str | int] = {"program": board.cycle.program, "cycle": board.cycle.pk}
    query.update(
        (name, value)
        for name, value in (
            ("cohort", filters.cohort),
            ("province", filters.province),
            ("kind", filters.kind),
            ("peer_group", filters.peer_group),
        )
        if value
    )
    if number > 1:
        query["page"] = number
    return f"?{urlencode(query)}{ANCHOR}"


def leaderboard_page(board: Dashboard, filters: Filters, asked: str | None) -> Leaderboard:
    """The asked page of the board's rows (past the end: the last page)."""
    paginator = Paginator(board.rows, PAGE_SIZE)
    page = paginator.get_page(asked_page(asked))
    links = [
        PageLink(n, page_url(board, filters, n), n == page.number)
        if isinstance(n, int)
        else PageLink(None)  # Paginator.ELLIPSIS
        for n in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return Leaderboard(
        rows=list(page.object_list),
        number=page.number,
        pages=paginator.num_pages,
        first=page.start_index(),
        last=page.end_index(),
        total=paginator.count,
        links=links if paginator.num_pages > 1 else [],
        previous_url=page_url(board, filters, page.number - 1) if page.has_previous() else "",
        next_url=page_url(board, filters, page.number + 1) if page.has_next() else "",
    )
