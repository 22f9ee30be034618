"""The leaderboard a page at a time (dashboard/paging.py), on the national picture of tests/world.py
with two rows a page: every figure still counts all rows, the links keep the filters, any page
number is answered, and the public board is cached per page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from cityeval.dashboard import paging
from cityeval.dashboard.data import Dashboard
from cityeval.dashboard.paging import Leaderboard
from tests.world import JAKPUS, KUKAR, SEMARANG, SURABAYA

pytestmark = pytest.mark.django_db

NATIONAL = reverse("dashboard:national")
PUBLIC = reverse("dashboard:public")


@pytest.fixture(autouse=True)
def two_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)


def shown(html: str) -> list[int]:
    """The evaluation ids of the leaderboard rows in the page, in order."""
    return [int(pk) for pk in re.findall(r'<tr data-testid="row-(\d+)">', html)]


def get(world: Any, persona: str, url: str, **params: Any) -> tuple[str, Any]:
    response = world.client(persona).get(url, params)
    assert response.status_code == 200
    return response.content.decode(), response.context


def test_the_pages_show_every_row_once_in_rank_order_with_ranks_among_all(world: Any) -> None:
    first, context = get(world, "national_viewer", NATIONAL)
    board = context["board"]
    assert isinstance(board, Dashboard)
    assert len(board.rows) == 4  # the figures count every row, not the page's
    second, context2 = get(world, "national_viewer", NATIONAL, page=2)
    assert shown(first) + shown(second) == [r.evaluation_id for r in board.rows]
    page: Leaderboard = context2["leaderboard"]
    assert [r.rank for r in page.rows] == [r.rank for r in board.rows[2:]]
    assert (page.number, page.pages, page.first, page.last, page.total) == (2, 2, 3, 4, 4)
    assert world.evaluation(JAKPUS).pk in shown(first)  # rank 1 on the first page


def test_the_pager_is_a_labelled_navigation_with_the_current_page_marked(world: Any) -> None:
    html, _context = get(world, "national_viewer", NATIONAL, page=2)
    nav = html[html.index('data-testid="leaderboard-pages"') :]
    nav = nav[: nav.index("</nav>")]
    assert "aria-label=" in html[html.index('<nav class="pager"') :][:120]
    assert re.search(r'aria-current="page"[^>]*>.*2</a>', nav)
    assert 'rel="prev"' in nav
    assert 'rel="next"' not in nav  # the last page
    assert "Baris 3–4 dari 4" in nav


def test_the_links_keep_the_program_cycle_and_filters_and_nothing_else(world: Any) -> None:
    html, context = get(world, "national_viewer", NATIONAL, kind="kota", page=1, junk="x")
    board = context["board"]
    assert len(board.rows) == 3  # Semarang, Surabaya, Jakarta Pusat
    nav = html[html.index('data-testid="leaderboard-pages"') :]
    link = re.search(r'href="([^"]*)" rel="next"', nav)
    assert link is not None
    url = link.group(1).replace("&amp;", "&")
    assert "kind=kota" in url
    assert "page=2" in url
    assert f"cycle={world.cycle.pk}" in url
    assert "junk" not in url
    assert url.endswith("#leaderboard")
    _html, following = get(world, "national_viewer", NATIONAL + url.split("#")[0])
    assert [r.evaluation_id for r in following["leaderboard"].rows] == [
        r.evaluation_id for r in board.rows[2:]
    ]


@pytest.mark.parametrize(("asked", "number"), [("abc", 1), ("0", 1), ("-3", 1), ("99", 2)])
def test_any_page_number_is_answered(world: Any, asked: str, number: int) -> None:
    _html, context = get(world, "national_viewer", NATIONAL, page=asked)
    assert context["leaderboard"].number == number


def test_a_single_page_has_no_pager(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", 50)
    html, _context = get(world, "national_viewer", NATIONAL)
    assert 'data-testid="leaderboard-pages"' not in html
    assert len(shown(html)) == 4


def test_the_public_board_is_paged_and_cached_per_page(world: Any) -> None:
    first, _ = get(world, "anonymous", PUBLIC)
    second, _ = get(world, "anonymous", PUBLIC, page=2)
    again, _ = get(world, "coordinator", PUBLIC, page=2)  # signed in: the cached board
    published = {world.evaluation(code).pk for code in (KUKAR, SEMARANG, SURABAYA)}
    assert len(shown(first)) == 2
    assert set(shown(first)) | set(shown(second)) == published
    assert shown(second) == shown(again) == [world.evaluation(SURABAYA).pk]
