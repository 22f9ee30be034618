"""Every named URL × every persona × GET/POST (and each API operation's method) answers what
the one table in `url_table.py` says. A URL without a row fails, so a new view cannot ship
without one; a row for a URL that no longer exists fails too.

The world is built once for the module; each request runs in a savepoint that is rolled back.
Every mismatch is reported in one message (URL, method, persona, expected, got).
"""

from __future__ import annotations

import os
import time

import pytest
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from cityeval.mentoring import views as mentoring_views
from cityeval.scorecards import pdf_views
from tests.security.matrix import Hole, Outcome, Requester, Row, check, named_routes
from tests.security.url_table import TABLE, holes, row_for, variants
from tests.world import PERSONAS, World

# Each test runs in a savepoint inside the module's world (see `shared_world`).
pytestmark = pytest.mark.django_db


def show(checked: list[Outcome]) -> None:
    """What every persona gets today, one line per URL and method (CITYEVAL_MATRIX_SHOW=1)."""
    rows: dict[tuple[str, str], dict[str, int]] = {}
    for outcome in checked:
        rows.setdefault((outcome.name, outcome.method), {})[outcome.persona] = outcome.got
    print("\n" + " " * 42 + " ".join(persona[:9].rjust(9) for persona in PERSONAS))
    for (name, method), got in rows.items():
        line = " ".join(str(got.get(persona, "-")).rjust(9) for persona in PERSONAS)
        print(f"{name:<34} {method:<7} {line}")


def test_every_url_answers_every_persona_as_the_table_says(
    shared_world: World, django_db_blocker: DjangoDbBlocker, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Who may have the PDF is decided before it is printed; printing it 26 times would take
    # most of the run (tests/scorecards cover the printing).
    monkeypatch.setattr(pdf_views, "render_scorecard_pdf", lambda evaluation, language: b"%PDF")
    monkeypatch.setattr(mentoring_views, "render_berita_acara_pdf", lambda visit, language: b"%PDF")
    started = time.perf_counter()
    with django_db_blocker.unblock():
        missing, wrong, checked = check(
            shared_world, row_for, variants(), os.environ.get("CITYEVAL_MATRIX_ONLY", "")
        )
    elapsed = time.perf_counter() - started
    print(f"\nURL matrix: {len(checked)} cells (URL, persona, method) in {elapsed:.1f} s")
    if os.environ.get("CITYEVAL_MATRIX_SHOW"):
        show(checked)
    stale = sorted(
        key for key in TABLE if key.split("@")[0] not in {route.name for route in named_routes()}
    )
    problems = []
    if missing:
        problems.append(
            "URLs without a row in tests/security/url_table.py (add one; "
            "CITYEVAL_MATRIX_SHOW=1 prints what each persona gets today):\n  "
            + "\n  ".join(missing)
        )
    if stale:
        problems.append("Rows for URLs that no longer exist:\n  " + "\n  ".join(stale))
    if wrong:
        problems.append(
            f"{len(wrong)} cells answer otherwise than the table says:\n  "
            + "\n  ".join(str(outcome) for outcome in wrong)
        )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("name", "hole"),
    [
        pytest.param(
            name,
            hole,
            id=f"{name}-{hole.method}-{hole.persona}",
            marks=pytest.mark.xfail(strict=True, reason=hole.reason),
        )
        for name, hole in holes()
    ],
)
def test_known_holes(
    shared_world: World, django_db_blocker: DjangoDbBlocker, name: str, hole: Hole
) -> None:
    row = TABLE[name]
    with django_db_blocker.unblock():
        path = reverse(name.split("@")[0], kwargs=row.at(shared_world))
        got = Requester(shared_world).status(row, path, hole.persona, hole.method, hole)
    assert got == hole.expected


def test_a_url_without_a_row_fails_with_its_name(
    shared_world: World, django_db_blocker: DjangoDbBlocker
) -> None:
    with django_db_blocker.unblock():
        missing, _wrong, checked = check(shared_world, lambda name: None, {}, only="home")
    assert missing == ["home  ()"]
    assert checked == []


def test_an_api_operation_without_its_method_fails(
    shared_world: World, django_db_blocker: DjangoDbBlocker
) -> None:
    row = TABLE["api:put_self_assessment"]
    without_put = Row(at=row.at, get=row.get, post=row.post, api=True)
    with django_db_blocker.unblock():
        missing, _wrong, _checked = check(
            shared_world, lambda name: without_put, {}, only="api:put_self_assessment"
        )
    assert missing == [
        "api:put_self_assessment PUT  (api/v1/items/<item_id>/self-assessment): add `put=`"
    ]
