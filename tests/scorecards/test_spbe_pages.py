"""Every results page of an SPBE cycle follows the instrument's own tree (issue 14 §2).

SPBE has no tag axis: the pages show its 4 domains and 8 aspects, titled in its own words, and
carry nothing of G100SC (smart dimensions, quick wins, masterplans). The G100SC pages keep their
wording (their own tests, and the last test here).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from cityeval.evaluations.models import Cycle, Evaluation, ItemValue, Round
from cityeval.evaluations.services import Deadlines, assign_assessor, open_cycle, submit_evaluation
from cityeval.frameworks.loader import load_framework_file
from cityeval.frameworks.models import FrameworkNode
from cityeval.frameworks.services import store_document
from cityeval.reports.editing import add_recommendation
from cityeval.reports.models import Priority
from cityeval.reports.services import finalise_evaluation, publish_evaluation
from cityeval.reviews.services import bulk_accept, start_field_visit, start_review
from cityeval.scorecards.pdf import scorecard_html
from tests.world import World

pytestmark = pytest.mark.django_db

G100SC_WORDS = re.compile(r"smart city|dimensi smart|smart dimension|quick win|masterplan", re.I)


def _fill(evaluation: Evaluation) -> None:
    items = list(ItemValue.objects.filter(evaluation=evaluation).order_by("indicator__sequence"))
    for number, item in enumerate(items):
        item.self_value = Decimal(1 + (number * 3) % 5)
        item.narrative = "Berjalan."
    ItemValue.objects.bulk_update(items, ["self_value", "narrative"])


def _reviewed(evaluation: Evaluation, world: World, coordinator: str, lead: str) -> None:
    _fill(evaluation)
    submit_evaluation(evaluation=evaluation, user=world.people[coordinator])
    start_review(evaluation=evaluation, user=world.people[lead])
    bulk_accept(evaluation=evaluation, items=evaluation.items.all(), user=world.people[lead])
    start_field_visit(evaluation=evaluation, user=world.people[lead])


@pytest.fixture(scope="module")
def spbe(shared_world: World, django_db_blocker: DjangoDbBlocker) -> Iterator[Cycle]:
    """An SPBE cycle through the real services: A published with a recommendation, B final."""
    world = shared_world
    with django_db_blocker.unblock(), transaction.atomic():
        version = store_document(
            document=load_framework_file(settings.FRAMEWORKS_DIR / "spbe-2020.yaml")
        ).version
        admin = world.people["admin"]
        cycle = open_cycle(
            year=2025,
            round=Round.ANNUAL,
            framework_version=version,
            regions=[world.region_a, world.region_b],
            deadlines=Deadlines(self_assessment=timezone.localdate() + timedelta(days=30)),
            user=admin,
        )
        for region, person, lead in [
            (world.region_a, "lead_a", True),
            (world.region_a, "member_a", False),
            (world.region_b, "assessor_b", True),
        ]:
            assign_assessor(
                cycle=cycle, region=region, assessor=world.people[person], is_lead=lead, user=admin
            )
        a = Evaluation.objects.get(cycle=cycle, region=world.region_a)
        b = Evaluation.objects.get(cycle=cycle, region=world.region_b)
        _reviewed(a, world, "coordinator_a", "lead_a")
        add_recommendation(
            evaluation=a,
            user=world.people["lead_a"],
            dimension="D2",
            text="Tetapkan arsitektur SPBE daerah.",
            priority=Priority.HIGH,
        )
        finalise_evaluation(evaluation=a, user=world.people["lead_a"])
        publish_evaluation(evaluation=a, user=admin)
        _reviewed(b, world, "coordinator_b", "assessor_b")
        finalise_evaluation(evaluation=b, user=world.people["assessor_b"])
        yield cycle
        transaction.set_rollback(True)


def _tree_names(cycle: Cycle) -> list[str]:
    nodes = FrameworkNode.objects.filter(version=cycle.framework_version, depth__in=[1, 2])
    names = [n.name for n in nodes.filter(kind="group").order_by("sequence")]
    assert len(names) == 4 + 8
    return names


def _main(html: str) -> str:
    """The page's own content: the navigation bar names every section of the site."""
    match = re.search(r"<main>(.*)</main>", html, re.S)
    return match.group(1) if match else html


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return _main(response.content.decode())


def _visible(html: str) -> str:
    """Text and attribute values, with HTML entities of the JSON scripts undone."""
    return html.replace("\\u0026", "&").replace("&amp;", "&").replace("&quot;", '"')


def _pages(world: World, cycle: Cycle) -> dict[str, str]:
    a = cycle.evaluations.get(region=world.region_a)
    admin = world.client("admin")
    return {
        "scorecard (public)": _page(Client(), reverse("scorecards:scorecard", args=[a.pk])),
        "scorecard PDF": scorecard_html(a, "id"),
        "result": _page(admin, reverse("reports:result", args=[a.pk])),
        "report": _page(admin, reverse("reports:report", args=[a.pk])),
        "public dashboard": _page(Client(), reverse("dashboard:public") + f"?cycle={cycle.pk}"),
        "national dashboard": _page(admin, reverse("dashboard:national") + f"?cycle={cycle.pk}"),
        "overview (coordinator)": _page(
            world.client("coordinator_a"), reverse("evaluations:overview", args=[a.pk])
        ),
    }


def test_spbe_results_pages_carry_no_g100sc_wording(shared_world: World, spbe: Cycle) -> None:
    for name, html in _pages(shared_world, spbe).items():
        found = G100SC_WORDS.findall(_visible(html))
        assert not found, f"{name}: {found}"


def test_the_scorecard_and_its_pdf_show_every_domain_and_aspect(
    shared_world: World, spbe: Cycle
) -> None:
    pages = _pages(shared_world, spbe)
    names = _tree_names(spbe)
    for page in ("scorecard (public)", "scorecard PDF", "result"):
        text = _visible(pages[page])
        missing = [name for name in names if name not in text]
        assert not missing, f"{page} lacks {missing}"
        assert "Domain" in text and "Aspek" in text, page
    assert "Kartu skor SPBE" in pages["scorecard PDF"]


def test_the_scorecard_compares_self_assessed_and_verified_per_domain(
    shared_world: World, spbe: Cycle
) -> None:
    a = spbe.evaluations.get(region=shared_world.region_a)
    html = _page(Client(), reverse("scorecards:scorecard", args=[a.pk]))
    table = re.search(r'data-testid="claims">(.*?)</table>', html, re.S)
    assert table is not None
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", table.group(1))
    domains = [n.name for n in FrameworkNode.objects.filter(version=spbe.framework_version, depth=1)]
    assert sorted(r[0] for r in rows) == sorted(domains)
    # Both sides are computed: no dash where the region and the assessors gave values.
    assert all(r[1] != "—" and r[2] != "—" for r in rows)


def test_the_dashboards_average_per_domain_without_a_quick_win_panel(
    shared_world: World, spbe: Cycle
) -> None:
    pages = _pages(shared_world, spbe)
    domains = [n.name for n in FrameworkNode.objects.filter(version=spbe.framework_version, depth=1)]
    for page in ("public dashboard", "national dashboard"):
        means = re.search(r'data-testid="dimensions">(.*?)</section>', pages[page], re.S)
        assert means is not None
        assert all(name in means.group(1) for name in domains), page
        assert 'data-testid="quick-wins"' not in pages[page]
    consistency = re.search(
        r'data-testid="consistency-dimensions">(.*?)</table>', pages["national dashboard"], re.S
    )
    assert consistency is not None
    assert all(name in consistency.group(1) for name in domains)


def test_g100sc_pages_keep_their_wording(shared_world: World, spbe: Cycle) -> None:
    published = shared_world.published
    html = _page(Client(), reverse("scorecards:scorecard", args=[published.pk]))
    assert "Dimensi smart city" in html
    assert "Kartu skor smart city" in scorecard_html(published, "id")
    board = _page(Client(), reverse("dashboard:public") + f"?cycle={published.cycle_id}")
    assert "Rata-rata per dimensi smart city" in board
    assert 'data-testid="quick-wins"' in board
    overview = _page(
        shared_world.client("coordinator_a"),
        reverse("evaluations:overview", args=[shared_world.running.pk]),
    )
    assert "Masterplan daerah" in overview
