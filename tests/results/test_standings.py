"""The one ranking of published results (`results.standings`), and every surface that prints a rank
reads it: the public results page, the open-data exports, the API, the public dashboard and a
published scorecard.

The world (the dashboards' `Picture` of tests/world.py): 2024 has Kota Semarang 3.4649 and
Kutai Kartanegara 3.456 (both published as 3.46: a tie), Kota Surabaya 3.10, and Kota Jakarta
Pusat 4.80 finalised but NOT published (it must neither show nor move an official rank).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.test import RequestFactory

from cityeval.api.routes.results import list_results
from cityeval.api.schemas import Paging
from cityeval.dashboard.data import dashboard
from cityeval.dashboard.forms import Filters
from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus
from cityeval.exports.access import exportable_evaluations
from cityeval.exports.builder import build_export
from cityeval.exports.public import public_results
from cityeval.results.figures import decimal_of, decimals, published_figure
from cityeval.results.models import ResultSnapshot
from cityeval.results.standings import published_standings
from cityeval.scorecards.ranking import cycle_entries, ranks_of
from tests.world import JAKPUS, KUKAR, SEMARANG, SURABAYA, build_national_picture
from tests.world import Picture as World

OFFICIAL = {SEMARANG: 1, KUKAR: 1, SURABAYA: 3}


@pytest.fixture
def world(db: None) -> World:
    return build_national_picture()


Ranks = dict[str, int | None]


def public_page(cycle: Cycle) -> Ranks:
    (entry,) = [e for e in public_results() if e.cycle.pk == cycle.pk]
    return {s.region_code: s.rank for s in entry.leaders}


def export(cycle: Cycle) -> Ranks:
    # The admin sees the unpublished row too: it must carry no rank.
    found = build_export(cycle, exportable_evaluations(AnonymousUser(), cycle), results=Q())
    return {row.code: row.rank_national for row in found.regions}


def export_for_the_ministry(cycle: Cycle) -> Ranks:
    evaluations = Evaluation.objects.with_region().select_related("region__cohort")
    found = build_export(cycle, evaluations.filter(cycle=cycle), results=Q())
    return {row.code: row.rank_national for row in found.regions if row.rank_national}


def api(cycle: Cycle) -> Ranks:
    body = list_results(RequestFactory().get("/"), cycle.pk, Paging(limit=50, offset=0))
    return {row["region"]["code"]: row["rank"] for row in body["results"]}


def public_dashboard(cycle: Cycle) -> Ranks:
    found = dashboard(cycle, [cycle], Filters(), public=True)
    codes = dict(Evaluation.objects.filter(cycle=cycle).values_list("pk", "region__code"))
    return {codes[row.evaluation_id]: row.rank for row in found.rows}


def published_scorecards(cycle: Cycle) -> Ranks:
    found: Ranks = {}
    for evaluation in Evaluation.objects.filter(
        cycle=cycle, status=EvaluationStatus.PUBLISHED
    ).select_related("region__province", "cycle__framework_version"):
        entries = cycle_entries(evaluation)
        own = next(e.index for e in entries if e.evaluation_id == evaluation.pk)
        national = ranks_of(evaluation, own, entries)[0]
        found[evaluation.region.code] = national.rank
    return found


SURFACES: dict[str, Callable[[Cycle], Ranks]] = {
    "public results page": public_page,
    "open-data export (anonymous)": export,
    "open-data export (ministry)": export_for_the_ministry,
    "API results": api,
    "public dashboard": public_dashboard,
    "published scorecard": published_scorecards,
}


@pytest.mark.django_db
def test_the_official_standings_rank_published_figures_with_shared_ties(world: World) -> None:
    standings = published_standings(world.cycle)
    assert [(s.region_code, s.rank) for s in standings] == [
        (SEMARANG, 1),  # 3.4649 and 3.456 are both published as 3.46: one rank, code order
        (KUKAR, 1),
        (SURABAYA, 3),  # the next rank skips
    ]
    assert [s.index for s in standings] == [Decimal("3.46"), Decimal("3.46"), Decimal("3.10")]
    assert JAKPUS not in {s.region_code for s in standings}  # finalised, not published
    assert all(s.rank_province == 1 for s in standings)  # three provinces, one region each
    kukar = standings[1]
    assert kukar.tag_index("ECO") == Decimal("2.00")  # the published figure, half-up
    assert kukar.tag_index("ENV") is None
    assert kukar.predicate == "MAPAN"
    assert kukar.predicate_label == world.cycle.framework_version.predicate_label("MAPAN")


@pytest.mark.django_db
@pytest.mark.parametrize("surface", list(SURFACES))
def test_every_surface_prints_the_official_ranks(world: World, surface: str) -> None:
    ranks = SURFACES[surface](world.cycle)
    assert {code: rank for code, rank in ranks.items() if rank is not None} == OFFICIAL


@pytest.mark.django_db
def test_a_cycle_without_published_results_has_no_standings(world: World) -> None:
    ResultSnapshot.objects.filter(evaluation__cycle=world.cycle).update(is_current=False)
    assert published_standings(world.cycle) == []


@pytest.mark.django_db
def test_the_snapshot_reads_its_figures_as_exact_decimals(world: World) -> None:
    snapshot = ResultSnapshot.objects.published().get(
        evaluation__region__code=KUKAR, evaluation__cycle=world.cycle
    )
    assert snapshot.tag_index("ECO") == Decimal("2.004")
    assert snapshot.tag_index("SOC") is None
    assert snapshot.published_index(2) == Decimal("3.46")
    assert snapshot.input_values() == {}


def test_stored_figures_become_decimals_by_one_rule() -> None:
    assert decimal_of("3.1000") == Decimal("3.1000")
    assert decimal_of(3.1) == Decimal("3.1")  # the float's text, never its binary value
    assert decimal_of(None) is None
    assert decimal_of("") is None
    assert decimals({"A": "1", "B": None}) == {"A": Decimal(1), "B": None}
    assert published_figure("3.455", 2) == Decimal("3.46")  # half-up, not half-even
    assert published_figure("2.345", 1) == Decimal("2.3")
