"""Each role's home page: the work that needs the person, by when, and nobody else's."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus, ItemValue, Round
from cityeval.evaluations.services import (
    Deadlines,
    assign_assessor,
    assign_items,
    open_cycle,
    submit_evaluation,
)
from cityeval.regions.models import Region
from tests.world import World

pytestmark = pytest.mark.django_db
HOME = "/"


def section(w: World, persona: str, testid: str) -> str:
    """The HTML of one section of the persona's home page ('' when the page has none)."""
    page = w.client(persona).get(HOME).content.decode()
    match = re.search(rf'<section data-testid="{testid}">(.*?)</section>', page, re.S)
    return match.group(1) if match else ""


def test_the_contributor_sees_the_opds_items_what_is_missing_and_the_deadline(
    shared_world: World,
) -> None:
    w = shared_world
    html = section(w, "contributor_a", "home-contributor")
    assert w.region_a.full_name in html
    assert str(w.running_cycle) in html
    row = re.search(r'data-testid="contributor-row">(.*?)</tr>', html, re.S)
    assert row is not None
    cells = re.findall(r'<td class="num">(?:<a [^>]*>)?(\d+)', row.group(1))
    # Dinkes holds 10 items, none filled; the item with evidence has no value yet either.
    assert cells[:2] == ["10", "10"]
    assert "30 hari lagi" in row.group(1)


def test_a_contributor_of_another_opd_or_region_sees_none_of_it(shared_world: World) -> None:
    w = shared_world
    # PUPR's contributor sees PUPR's ten items, B's contributor none of A's.
    assert w.region_a.full_name in section(w, "contributor_a2", "home-contributor")
    other = section(w, "contributor_b", "home-contributor")
    assert w.region_a.full_name not in other
    assert 'data-testid="contributor-row"' not in other
    assert section(w, "contributor_b", "home-coordinator") == ""
    assert section(w, "contributor_b", "home-assessor") == ""


def test_the_coordinator_sees_progress_per_opd_and_open_clarifications_with_due_dates(
    shared_world: World,
) -> None:
    w = shared_world
    html = section(w, "coordinator_a", "home-coordinator")
    assert "Dinkes" in html
    assert "PUPR" in html
    assert "(belum ditugaskan)" in html
    clarifications = re.search(r'data-testid="open-clarifications">(.*?)</table>', html, re.S)
    assert clarifications is not None
    assert str(w.review_cycle) in clarifications.group(1)
    due = w.clarification.due_date
    assert due is not None
    assert due > timezone.localdate()
    assert 'data-testid="clarification-due">' in clarifications.group(1)
    assert "Tidak ada klarifikasi" not in clarifications.group(1)
    # The other region's coordinator: none of A's evaluations or clarifications.
    other = section(w, "coordinator_b", "home-coordinator")
    assert w.region_a.full_name not in other
    assert w.region_b.full_name in other
    assert "Tidak ada klarifikasi yang terbuka" in other


def test_the_region_sees_the_clarification_due_date(shared_world: World) -> None:
    w = shared_world
    page = w.client("coordinator_a").get(reverse("reviews:clarification", args=[w.reviewing.pk]))
    assert 'data-testid="clarification-due"' in page.content.decode()


def test_the_assessor_queue_holds_the_teams_evaluations_only(shared_world: World) -> None:
    w = shared_world
    html = section(w, "lead_a", "home-assessor")
    assert reverse("reviews:workspace", args=[w.reviewing.pk]) in html
    assert reverse("reviews:workspace", args=[w.reviewing_b.pk]) not in html
    assert w.region_b.full_name not in html
    assert w.region_a.full_name not in section(w, "assessor_b", "home-assessor")


def test_the_admin_sees_every_cycles_status(shared_world: World) -> None:
    w = shared_world
    html = section(w, "admin", "home-admin")
    for cycle in (w.published_cycle, w.review_cycle, w.running_cycle):
        assert str(cycle) in html
    assert section(w, "coordinator_a", "home-admin") == ""


def _big_cycle(w: World, year: int, size: int) -> Cycle:
    """A cycle of `size` regions (A last by code) all in lead A's team, under review but A."""
    before_a = list(
        Region.objects.filter(code__lt=w.region_a.code).exclude(pk=w.region_b.pk).order_by("code")
    )[: size - 1]
    admin = w.people["admin"]
    cycle = open_cycle(
        year=year,
        round=Round.ANNUAL,
        framework_version=w.running_cycle.framework_version,
        regions=[*before_a, w.region_a],
        deadlines=Deadlines(self_assessment=timezone.localdate() + timedelta(days=10)),
        user=admin,
    )
    for region in [*before_a, w.region_a]:
        assign_assessor(
            cycle=cycle, region=region, assessor=w.people["lead_a"], is_lead=True, user=admin
        )
    Evaluation.objects.filter(cycle=cycle).exclude(region=w.region_a).update(
        status=EvaluationStatus.DOCUMENT_REVIEW,
        submitted_at=timezone.now() - timedelta(days=3),
    )
    mine = Evaluation.objects.get(cycle=cycle, region=w.region_a)
    items = list(mine.items.all()[:5])
    assign_items(evaluation=mine, items=items, opd=w.health, user=w.people["coordinator_a"])
    return cycle


def test_a_region_that_just_submitted_is_at_the_top_of_the_lead_assessors_home(
    shared_world: World,
) -> None:
    """Kutai Kartanegara (64.02) submits last in a team of ten regions that sort before it."""
    w = shared_world
    cycle = _big_cycle(w, 2030, 10)
    kukar = Evaluation.objects.get(cycle=cycle, region=w.region_a)
    ItemValue.objects.filter(evaluation=kukar).update(self_value=1)
    submit_evaluation(evaluation=kukar, user=w.people["coordinator_a"])
    html = section(w, "lead_a", "home-assessor")
    links = re.findall(r'href="/review/(\d+)/"', html)
    assert links[0] == str(kukar.pk)
    assert len(links) >= 10  # no cap: the whole queue


PERSONAS = ["lead_a", "coordinator_a", "contributor_a", "admin", "viewer_a"]


def _queries(w: World, persona: str) -> int:
    client = w.client(persona)
    client.get(HOME)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries.captured_queries)


def test_each_home_makes_the_same_number_of_queries_for_more_work(shared_world: World) -> None:
    w = shared_world
    _big_cycle(w, 2031, 3)
    few = {persona: _queries(w, persona) for persona in PERSONAS}
    _big_cycle(w, 2032, 12)
    many = {persona: _queries(w, persona) for persona in PERSONAS}
    assert few == many
