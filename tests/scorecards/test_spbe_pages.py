"""Every results page of an SPBE cycle follows the instrument's own tree (issue 14 §2).

SPBE has no tag axis: the pages show its 4 domains and 8 aspects, titled in its own words, and
carry nothing of G100SC (smart dimensions, quick wins, masterplans). The G100SC pages keep their
wording (their own tests, and the last test here).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from cityeval.evaluations.models import Cycle, Evaluation, ItemValue, Round
from cityeval.evaluations.services import Deadlines, assign_assessor, open_cycle, submit_evaluation
from cityeval.frameworks.axes import comparison_axis
from cityeval.frameworks.loader import load_framework_file
from cityeval.frameworks.models import FrameworkNode
from cityeval.frameworks.services import store_document
from cityeval.reports.editing import add_recommendation
from cityeval.reports.models import Priority
from cityeval.reports.services import finalise_evaluation, publish_evaluation
from cityeval.reviews.services import bulk_accept, start_field_visit, start_review
from cityeval.scorecards.pdf import scorecard_html
from cityeval.workbooks.workbook_export import build_workbook
from cityeval.workbooks.workbook_format import COLUMNS, ITEMS_SHEET
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


def _domains(cycle: Cycle) -> list[str]:
    return [n.name for n in FrameworkNode.objects.filter(version=cycle.framework_version, depth=1)]


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
        # The dashboards' program choice names the other program, by design.
        html = re.sub(r'<form method="get" class="filters".*?</form>', "", html, flags=re.S)
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
        assert "Domain" in text, page
        assert "Aspek" in text, page
    assert "Kartu skor SPBE" in pages["scorecard PDF"]


def test_the_scorecard_compares_self_assessed_and_verified_per_domain(
    shared_world: World, spbe: Cycle
) -> None:
    a = spbe.evaluations.get(region=shared_world.region_a)
    html = _page(Client(), reverse("scorecards:scorecard", args=[a.pk]))
    table = re.search(r'data-testid="claims">(.*?)</table>', html, re.S)
    assert table is not None
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", table.group(1))
    domains = [
        n.name for n in FrameworkNode.objects.filter(version=spbe.framework_version, depth=1)
    ]
    assert sorted(r[0] for r in rows) == sorted(domains)
    # Both sides are computed: no dash where the region and the assessors gave values.
    assert all(r[1] != "—" and r[2] != "—" for r in rows)


def test_the_dashboards_average_per_domain_without_a_quick_win_panel(
    shared_world: World, spbe: Cycle
) -> None:
    pages = _pages(shared_world, spbe)
    domains = [
        n.name for n in FrameworkNode.objects.filter(version=spbe.framework_version, depth=1)
    ]
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


# Programs are separate (issue 14 §3): a newer SPBE cycle does not displace G100SC's results.


def _shown_cycle(html: str) -> str:
    """The cycle the dashboard's cycle field has selected."""
    field = re.search(r'<select name="cycle"[^>]*>(.*?)</select>', html, re.S)
    assert field is not None
    chosen = re.search(r'<option value="(\d+)"[^>]*selected', field.group(1))
    first = re.search(r'<option value="(\d+)"', field.group(1))
    found = chosen or first
    assert found is not None
    return found.group(1)


def test_the_public_dashboard_defaults_to_the_first_program_not_the_newest_cycle(
    shared_world: World, spbe: Cycle
) -> None:
    html = _page(Client(), reverse("dashboard:public"))
    g100sc = shared_world.published_cycle
    assert _shown_cycle(html) == str(g100sc.pk)
    assert shared_world.published.region.full_name in html
    assert "Kebijakan Internal SPBE" not in html  # no SPBE domain among the results


def test_each_program_has_its_own_default_cycle(shared_world: World, spbe: Cycle) -> None:
    url = reverse("dashboard:public")
    html = _page(Client(), f"{url}?program=SPBE")
    assert _shown_cycle(html) == str(spbe.pk)
    assert "Kebijakan Internal SPBE" in html
    # A cycle of the other program (left over when switching programs) gives way to the
    # chosen program's own default.
    html = _page(Client(), f"{url}?program=SPBE&cycle={shared_world.published_cycle.pk}")
    assert _shown_cycle(html) == str(spbe.pk)
    # The cycle field offers the chosen program's cycles only.
    assert f'value="{shared_world.published_cycle.pk}"' not in html.split('name="cycle"')[1]


def test_an_unknown_program_is_a_form_error_and_shows_the_default(
    shared_world: World, spbe: Cycle
) -> None:
    html = _page(Client(), reverse("dashboard:public") + "?program=NOPE")
    assert 'data-testid="filter-errors"' in html
    assert _shown_cycle(html) == str(shared_world.published_cycle.pk)


def test_the_home_page_links_each_programs_published_results(
    shared_world: World, spbe: Cycle
) -> None:
    html = _page(Client(), reverse("home"))
    programs = re.search(r'data-testid="programs">(.*?)</ul>', html, re.S)
    assert programs is not None
    assert "?program=G100SC" in programs.group(1)
    assert "?program=SPBE" in programs.group(1)
    assert programs.group(1).index("G100SC") < programs.group(1).index("SPBE")


# Entry and review know the tree (issue 14 §3).


def _item_codes(html: str) -> set[str]:
    return set(re.findall(r">(I\d\d)<", html))


def _codes_under(cycle: Cycle, group: str) -> set[str]:
    node = FrameworkNode.objects.get(version=cycle.framework_version, code=group)
    found: set[str] = set()
    level = [node]
    while level:
        children = list(FrameworkNode.objects.filter(parent__in=level))
        found |= {c.code for c in children if c.kind != "group"}
        level = [c for c in children if c.kind == "group"]
    return found


@pytest.mark.parametrize("group", ["D2", "A3"])
def test_the_item_list_and_the_review_workspace_filter_by_domain_and_aspect(
    shared_world: World, spbe: Cycle, group: str
) -> None:
    a = spbe.evaluations.get(region=shared_world.region_a)
    expected = _codes_under(spbe, group)
    assert expected
    pages = {
        "items": (shared_world.client("coordinator_a"), reverse("evaluations:items", args=[a.pk])),
        "workspace": (shared_world.client("lead_a"), reverse("reviews:workspace", args=[a.pk])),
    }
    for name, (client, url) in pages.items():
        everything = _page(client, url)
        assert 'label="Domain"' in everything, name
        assert 'label="Aspek"' in everything, name
        shown = _item_codes(_page(client, f"{url}?dimension={group}"))
        assert shown == expected, name
        assert _item_codes(_page(client, f"{url}?dimension=NOPE")) == _item_codes(everything)


def test_item_pages_name_the_domain_the_aspect_and_the_levels(
    shared_world: World, spbe: Cycle
) -> None:
    a = spbe.evaluations.get(region=shared_world.region_a)
    item = a.items.select_related("indicator").get(indicator__code="I01")
    for client, url in [
        (shared_world.client("coordinator_a"), reverse("evaluations:item", args=[a.pk, item.pk])),
        (shared_world.client("lead_a"), reverse("reviews:item", args=[a.pk, item.pk])),
    ]:
        html = _page(client, url)
        place = re.search(r'data-testid="item-place">(.*?)</p>', html, re.S)
        assert place is not None, url
        assert "Domain: <strong>Kebijakan Internal SPBE</strong>" in place.group(1)
        assert "Aspek: <strong>Kebijakan Internal Tata Kelola SPBE</strong>" in place.group(1)
        names = re.findall(r'data-testid="level-name">(.*?)<', html)
        assert names == [
            "Rintisan",
            "Terkelola",
            "Terstandardisasi",
            "Terintegrasi dan Terukur",
            "Optimum",
        ]


def test_the_workbook_names_each_items_domain(shared_world: World, spbe: Cycle) -> None:
    a = spbe.evaluations.get(region=shared_world.region_a)
    user = shared_world.people["coordinator_a"]
    # Every item (the published evaluation locks them, so `workbook_items` would offer none).
    items = list(a.items.select_related("indicator", "opd").order_by("indicator__sequence"))
    content = build_workbook(user=user, evaluation=a, items=items)
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True)[ITEMS_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    column = [c.key for c in COLUMNS].index("dimension")
    by_code = {row[0]: row[column] for row in rows[1:]}
    assert by_code["I01"] == "Kebijakan Internal SPBE"
    assert by_code["I47"] == "Layanan SPBE"
    assert all(by_code.values())
    rubric = next(row[4] for row in rows[1:] if row[0] == "I01")
    assert "1 — Rintisan: " in str(rubric)


def test_g100sc_item_pages_have_no_level_names(shared_world: World, spbe: Cycle) -> None:
    item = shared_world.item
    html = _page(
        shared_world.client("coordinator_a"),
        reverse("evaluations:item", args=[item.evaluation_id, item.pk]),
    )
    assert 'data-testid="level-name"' not in html


# The column over the compared members says the program's word (SPBE: "Domain").

AXIS_TABLES = {
    "scorecard (public)": r'data-testid="claims">\s*<thead><tr><th>(.*?)</th>',
    "scorecard PDF": r'<section id="claims".*?<thead><tr><th>(.*?)</th>',
    "public dashboard": r'data-testid="dimensions">.*?<thead><tr><th>(.*?)</th>',
    "national dashboard": r'data-testid="dimensions">.*?<thead><tr><th>(.*?)</th>',
    "national dashboard (consistency)": (
        r'data-testid="consistency-dimensions">\s*<thead><tr><th>(.*?)</th>'
    ),
}


def _axis_headings(pages: dict[str, str]) -> dict[str, str]:
    headings = {}
    for name, pattern in AXIS_TABLES.items():
        found = re.search(pattern, pages[name.split(" (consistency)")[0]], re.S)
        assert found is not None, name
        headings[name] = found.group(1)
    return headings


def test_the_tables_of_domains_head_their_column_domain(shared_world: World, spbe: Cycle) -> None:
    headings = _axis_headings(_pages(shared_world, spbe))
    assert headings == dict.fromkeys(AXIS_TABLES, "Domain")


def test_the_g100sc_tables_keep_their_dimension_column(shared_world: World, spbe: Cycle) -> None:
    published = shared_world.published
    admin = shared_world.client("admin")
    dashboard = f"?cycle={published.cycle_id}"
    pages = {
        "scorecard (public)": _page(Client(), reverse("scorecards:scorecard", args=[published.pk])),
        "scorecard PDF": scorecard_html(published, "id"),
        "public dashboard": _page(Client(), reverse("dashboard:public") + dashboard),
        "national dashboard": _page(admin, reverse("dashboard:national") + dashboard),
    }
    assert _axis_headings(pages) == dict.fromkeys(AXIS_TABLES, "Dimensi")


def test_the_follow_up_table_heads_its_column_with_the_programs_word(
    shared_world: World, spbe: Cycle
) -> None:
    """The table of last cycle's recommendations (report editor, follow-up page)."""
    for version, word in [
        (spbe.framework_version, "Domain"),
        (shared_world.published_cycle.framework_version, "Dimensi"),
    ]:
        html = render_to_string(
            "reports/_follow_ups_table.html", {"rows": [], "axis": comparison_axis(version)}
        )
        heading = re.search(r"<thead><tr><th>(.*?)</th>", html)
        assert heading is not None
        assert heading.group(1) == word


def test_a_scorecard_without_findings_says_so(shared_world: World, spbe: Cycle) -> None:
    """B was finalised without a report: its domains exist but carry nothing to show."""
    b = spbe.evaluations.get(region=shared_world.region_b)
    pages = {
        "scorecard": _page(
            shared_world.client("admin"), reverse("scorecards:scorecard", args=[b.pk])
        ),
        "scorecard PDF": scorecard_html(b, "id"),
    }
    for name, html in pages.items():
        findings = re.search(r"Temuan dan rekomendasi asesor</h2>(.*?)</section>", html, re.S)
        assert findings is not None, name
        assert "Belum ada laporan asesor." in findings.group(1), name
    # A's recommendation is shown, without the empty message.
    a = spbe.evaluations.get(region=shared_world.region_a)
    html = scorecard_html(a, "id")
    findings = re.search(r"Temuan dan rekomendasi asesor</h2>(.*?)</section>", html, re.S)
    assert findings is not None
    assert "Tetapkan arsitektur SPBE daerah." in findings.group(1)
    assert "Belum ada laporan asesor." not in findings.group(1)
