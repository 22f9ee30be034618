"""Assessor consistency on the ministry's dashboard, computed by hand on the dashboard world.

Kutai Kartanegara and Semarang are published, Jakarta Pusat finalised; no item is settled unless
a test settles it here.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from cityeval.evaluations.models import AssessorAssignment, ItemValue, ReviewStatus
from cityeval.frameworks.models import FrameworkNode
from tests.world import JAKPUS, KUKAR, SEMARANG
from tests.world import Picture as World

pytestmark = pytest.mark.django_db


def _items(world: World, tag: str, kind: str = "maturity") -> list[str]:
    nodes = FrameworkNode.objects.filter(version=world.cycle.framework_version, kind=kind)
    return sorted(n.code for n in nodes if tag in (n.tags or []))[:4]


def _settle(world: World, region: str, code: str, own: str, verified: str) -> None:
    status = ReviewStatus.ACCEPTED if own == verified else ReviewStatus.ADJUSTED
    ItemValue.objects.filter(evaluation=world.evaluation(region), indicator__code=code).update(
        self_value=Decimal(own), verified_value=Decimal(verified), review_status=status
    )


@pytest.fixture
def claims(world: World) -> World:
    gov, eco = _items(world, "GOV"), _items(world, "ECO")
    # Kutai Kartanegara: four GOV items, two claimed one level too high.
    for code, own in zip(gov, ["4", "4", "3", "3"], strict=True):
        _settle(world, KUKAR, code, own, "3")
    # Semarang: one GOV item claimed two levels too low, one right; two ECO items right.
    _settle(world, SEMARANG, gov[0], "2", "4")
    _settle(world, SEMARANG, gov[1], "3", "3")
    _settle(world, SEMARANG, eco[0], "5", "5")
    _settle(world, SEMARANG, eco[1], "5", "5")
    # Not counted: a percentage item (another unit), an item still pending.
    percentage = _items(world, "GOV", kind="percentage")
    _settle(world, SEMARANG, percentage[0], "90", "10")
    ItemValue.objects.filter(evaluation=world.evaluation(JAKPUS), indicator__code=gov[2]).update(
        self_value=5, verified_value=1
    )
    AssessorAssignment.objects.create(
        cycle=world.cycle,
        region=world.evaluation(KUKAR).region,
        user=world.people["assessor"],
        is_lead=True,
    )
    return world


def test_consistency_figures_by_dimension_region_and_team(claims: World) -> None:
    page = claims.client("national_viewer").get(reverse("dashboard:national"))
    board = page.context["board"]
    found = board.consistency
    # Overall: 8 settled maturity items, 3 adjusted; gaps +1 +1 0 0 -2 0 0 0 = 0.
    assert (found.overall.items, found.overall.adjusted) == (8, 3)
    assert found.overall.mean_gap == Decimal("0.00")
    assert found.overall.adjusted_percent == Decimal("37.50")
    by_dimension = {d.code: d.tally for d in found.dimensions}
    # GOV: six items (4 + 2), three adjusted, gaps sum to 0.
    assert (by_dimension["GOV"].items, by_dimension["GOV"].adjusted) == (6, 3)
    assert by_dimension["GOV"].mean_gap == Decimal("0.00")
    assert by_dimension["ECO"].mean_gap == Decimal("0.00")
    assert by_dimension["ECO"].adjusted_percent == Decimal("0.00")
    # Kutai Kartanegara over-claims by +0.50 (2 / 4); Semarang under-claims by -0.50 (-2 / 4).
    assert [(r.region, r.tally.mean_gap) for r in found.over] == [
        ("Kabupaten Kutai Kartanegara", Decimal("0.50"))
    ]
    assert [(r.region, r.tally.mean_gap) for r in found.under] == [
        ("Kota Semarang", Decimal("-0.50"))
    ]
    teams = {t.lead: (t.regions, t.tally.mean_gap, t.tally.adjusted_percent) for t in found.teams}
    assert teams == {
        "assessor": (1, Decimal("0.50"), Decimal("50.00")),
        "": (1, Decimal("-0.50"), Decimal("25.00")),
    }
    html = page.content.decode()
    assert 'data-testid="consistency"' in html
    assert 'id="chart-consistency"' in html


def test_consistency_is_not_on_the_public_dashboard(claims: World) -> None:
    page = claims.client("anonymous").get(reverse("dashboard:public"))
    assert page.context["board"].consistency is None
    html = page.content.decode()
    assert 'data-testid="consistency"' not in html
    assert "chart-consistency" not in html


@pytest.mark.parametrize("persona", ["coordinator", "viewer", "assessor"])
def test_regional_people_cannot_open_the_ministrys_dashboard(claims: World, persona: str) -> None:
    assert claims.client(persona).get(reverse("dashboard:national")).status_code == 403


def test_without_settled_items_the_section_says_so(world: World) -> None:
    html = world.client("admin").get(reverse("dashboard:national")).content.decode()
    assert 'data-testid="consistency-empty"' in html
