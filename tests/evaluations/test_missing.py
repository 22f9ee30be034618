"""What is missing: evidence state, the item list's filters and counts, the submission summary."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cityeval.evaluations.models import (
    Evaluation,
    EvaluationStatus,
    EvidenceState,
    ItemValue,
    ReviewStatus,
    Round,
)
from cityeval.evaluations.services import Deadlines, open_cycle
from cityeval.evidence.models import Evidence, EvidenceKind
from cityeval.frameworks.models import FrameworkNode, FrameworkVersion
from cityeval.reviews.models import ClarificationItem, ClarificationRequest
from tests.world import TeamWorld as World

pytestmark = pytest.mark.django_db


def items_of(evaluation: Evaluation) -> list[ItemValue]:
    return list(ItemValue.objects.filter(evaluation=evaluation).order_by("id"))


def link(item: ItemValue, number: int, *, removed: bool = False) -> None:
    Evidence.objects.create(
        item=item,
        kind=EvidenceKind.LINK,
        url=f"https://data.example.id/{item.pk}/{number}",
        original_name=f"tautan {number}",
        removed_at=timezone.now() if removed else None,
    )


def craft(world: World) -> list[ItemValue]:
    """Dinkes (items 0–9): 6 filled, 2 of them with evidence, one whose only link was removed.
    PUPR (10–19): 2 filled, no evidence. The rest unassigned and empty. Item 3 was asked about
    (clarification) and item 4 changed since the assessors asked."""
    items = items_of(world.evaluation)
    filled = [*items[0:6], *items[10:12]]
    ItemValue.objects.filter(pk__in=[i.pk for i in filled]).update(self_value=Decimal(3))
    link(items[0], 1)
    link(items[0], 2)
    link(items[1], 1)
    link(items[2], 1, removed=True)
    ItemValue.objects.filter(pk__in=[items[3].pk, items[4].pk]).update(
        review_status=ReviewStatus.CLARIFICATION
    )
    request = ClarificationRequest.objects.create(
        evaluation=world.evaluation, message="Mohon jelaskan.", requested_at=timezone.now()
    )
    ClarificationItem.objects.create(
        request=request, item=items[3], self_value=Decimal(3), narrative="", evidence=[]
    )
    ClarificationItem.objects.create(  # the region has since changed 2 → 3
        request=request, item=items[4], self_value=Decimal(2), narrative="", evidence=[]
    )
    return items_of(world.evaluation)


def client_of(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.people[persona])
    return client


def shown(world: World, persona: str, **params: str) -> list[int]:
    response = client_of(world, persona).get(f"/evaluations/{world.evaluation.pk}/items/", params)
    assert response.status_code == 200
    return [item.pk for item in response.context["items"]]


def test_each_item_shows_its_evidence_state(world: World) -> None:
    items = craft(world)
    response = client_of(world, "coordinator").get(f"/evaluations/{world.evaluation.pk}/items/")
    states = {item.pk: item.evidence_state for item in response.context["items"]}

    assert states[items[0].pk] == EvidenceState.COMPLETE
    assert states[items[1].pk] == EvidenceState.COMPLETE
    assert states[items[2].pk] == EvidenceState.NO_EVIDENCE  # its only link was removed
    assert states[items[6].pk] == EvidenceState.EMPTY
    text = response.content.decode()
    assert text.count('data-state="complete"') == 2
    assert text.count('data-state="no_evidence"') == 6


def test_the_list_filters_by_what_is_missing(world: World) -> None:
    items = craft(world)
    pks = [item.pk for item in items]

    assert shown(world, "coordinator", state="no_evidence") == [
        pks[i] for i in (2, 3, 4, 5, 10, 11)
    ]
    assert shown(world, "coordinator", state="flagged") == [pks[3], pks[4]]
    assert shown(world, "coordinator", state="changed") == [pks[4]]
    assert len(shown(world, "coordinator", state="empty")) == len(items) - 8


def test_the_filters_combine_with_the_opd_and_the_dimension(world: World) -> None:
    items = craft(world)
    pks = [item.pk for item in items]
    health = str(world.health.pk)

    assert shown(world, "coordinator", state="no_evidence", opd=health) == [
        pks[i] for i in (2, 3, 4, 5)
    ]
    assert shown(world, "coordinator", state="empty", opd=health) == [pks[i] for i in (6, 7, 8, 9)]
    unassigned = shown(world, "coordinator", opd="none")
    assert unassigned == pks[20:]
    tags = {item.pk: item.indicator.tags for item in items}
    code = items[2].indicator.tags[0]
    in_dimension = shown(world, "coordinator", state="no_evidence", dimension=code)
    assert in_dimension
    assert all(code in tags[pk] for pk in in_dimension)
    assert set(in_dimension) <= {pks[i] for i in (2, 3, 4, 5, 10, 11)}


def test_a_contributor_filters_within_their_own_opd_only(world: World) -> None:
    items = craft(world)
    pks = [item.pk for item in items]

    assert shown(world, "contributor", state="empty") == [pks[i] for i in (6, 7, 8, 9)]
    # Asking for another OPD's items does not widen the scope.
    assert shown(world, "contributor", opd=str(world.roads.pk)) == []
    response = client_of(world, "contributor").get(f"/evaluations/{world.evaluation.pk}/items/")
    assert [row.key for row in response.context["by_opd"]] == [str(world.health.pk)]


def test_an_unknown_filter_value_filters_nothing(world: World) -> None:
    items = craft(world)
    assert len(shown(world, "coordinator", state="<script>", dimension="X", opd="abc")) == len(
        items
    )


def test_counts_per_opd_link_to_that_opds_items(world: World) -> None:
    craft(world)
    client = client_of(world, "coordinator")
    response = client.get(f"/evaluations/{world.evaluation.pk}/items/")
    rows = {row.key: row for row in response.context["by_opd"]}

    health, roads = rows[str(world.health.pk)], rows[str(world.roads.pk)]
    assert (health.total, health.empty, health.no_evidence, health.flagged, health.changed) == (
        10,
        4,
        4,
        2,
        1,
    )
    assert (roads.total, roads.empty, roads.no_evidence) == (10, 8, 2)
    assert rows["none"].label == "(belum ditugaskan)"
    text = response.content.decode()
    href = f"/evaluations/{world.evaluation.pk}/items/?opd={world.health.pk}&amp;state=no_evidence"
    assert href in text
    followed = client.get(f"/evaluations/{world.evaluation.pk}/items/?opd={world.health.pk}")
    assert {item.opd_id for item in followed.context["items"]} == {world.health.pk}


def test_counts_per_smart_dimension_cover_every_tagged_item(world: World) -> None:
    craft(world)
    response = client_of(world, "coordinator").get(f"/evaluations/{world.evaluation.pk}/items/")
    rows = response.context["by_group"]

    assert response.context["group_heading"] == "Per dimensi smart city"
    assert len(rows) == 6
    assert sum(row.no_evidence for row in rows) == 6
    assert sum(row.total for row in rows) == len(items_of(world.evaluation))


def test_a_framework_without_tags_counts_per_top_level_node(world: World) -> None:
    version = FrameworkVersion.objects.get_by_ref("SPBE@2020")
    cycle = open_cycle(
        year=2025,
        round=Round.TAHAP_1,
        framework_version=version,
        regions=[world.evaluation.region],
        deadlines=Deadlines(),
        user=world.people["admin"],
    )
    evaluation = Evaluation.objects.get(cycle=cycle)
    response = client_of(world, "coordinator").get(f"/evaluations/{evaluation.pk}/items/")

    domains = FrameworkNode.objects.filter(version=version, depth=1).order_by("sequence")
    rows = response.context["by_group"]
    assert [row.label for row in rows] == [node.name for node in domains]
    assert sum(row.total for row in rows) == ItemValue.objects.filter(evaluation=evaluation).count()
    assert response.context["group_heading"] != "Per dimensi smart city"
    first = rows[0].key
    filtered = client_of(world, "coordinator").get(
        f"/evaluations/{evaluation.pk}/items/", {"dimension": first}
    )
    assert len(filtered.context["items"]) == rows[0].total


def test_the_overview_counts_link_to_the_filtered_list(world: World) -> None:
    craft(world)
    response = client_of(world, "coordinator").get(f"/evaluations/{world.evaluation.pk}/")
    text = response.content.decode()
    assert f"/evaluations/{world.evaluation.pk}/items/?opd={world.health.pk}" in text
    assert len(response.context["by_group"]) == 6


def count_queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_item_list_makes_the_same_number_of_queries_for_few_and_many_items(
    world: World, kinds: Evaluation
) -> None:
    craft(world)  # the large one: 100+ items with evidence, clarifications and changes
    small_item = items_of(kinds)[0]  # the small one has each kind of row once
    ItemValue.objects.filter(pk=small_item.pk).update(
        self_value=Decimal(2), review_status=ReviewStatus.CLARIFICATION
    )
    link(small_item, 1)
    request = ClarificationRequest.objects.create(
        evaluation=kinds, message="Mohon jelaskan.", requested_at=timezone.now()
    )
    ClarificationItem.objects.create(
        request=request, item=small_item, self_value=Decimal(1), narrative="", evidence=[]
    )
    few = ItemValue.objects.filter(evaluation=kinds).count()
    many = ItemValue.objects.filter(evaluation=world.evaluation).count()
    assert few * 5 < many
    client = client_of(world, "coordinator")
    for state in ("", "no_evidence", "changed"):
        small = count_queries(client, f"/evaluations/{kinds.pk}/items/?state={state}")
        large = count_queries(client, f"/evaluations/{world.evaluation.pk}/items/?state={state}")
        assert small == large, state


def test_the_submit_page_names_what_is_missing(world: World) -> None:
    items = craft(world)
    response = client_of(world, "coordinator").get(f"/evaluations/{world.evaluation.pk}/submit/")

    summary = response.context["summary"]
    empty = len(items) - 8
    assert (summary.total, summary.empty, summary.no_evidence) == (len(items), empty, 6)
    confirmation = response.context["confirmation"]
    assert f"{len(items)} butir" in confirmation
    assert f"{empty} butir belum diisi" in confirmation
    assert "6 butir terisi tanpa bukti dukung" in confirmation
    opd_rows = {row.key: (row.empty, row.no_evidence) for row in response.context["by_opd"]}
    assert opd_rows[str(world.health.pk)] == (4, 4)
    assert opd_rows[str(world.roads.pk)] == (8, 2)
    assert world.evaluation.__class__.objects.get(pk=world.evaluation.pk).status == (
        EvaluationStatus.SELF_ASSESSMENT
    )


def test_submitting_with_gaps_stays_the_coordinators_decision(world: World) -> None:
    craft(world)
    response = client_of(world, "coordinator").post(f"/evaluations/{world.evaluation.pk}/submit/")

    assert response.status_code == 302
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == EvaluationStatus.SUBMITTED


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("contributor", 403), ("viewer", 403), ("lead", 403), ("other_coordinator", 404)],
)
def test_only_the_regions_coordinator_opens_the_submit_page(
    world: World, persona: str, expected: int
) -> None:
    for method in ("get", "post"):
        response = getattr(client_of(world, persona), method)(
            f"/evaluations/{world.evaluation.pk}/submit/"
        )
        assert response.status_code == expected, method
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == EvaluationStatus.SELF_ASSESSMENT


def test_the_item_page_shows_the_evidence_state(world: World) -> None:
    items = craft(world)
    client = client_of(world, "coordinator")
    for item, state in ((items[0], "complete"), (items[2], "no_evidence"), (items[7], "empty")):
        response = client.get(f"/evaluations/{world.evaluation.pk}/items/{item.pk}/")
        assert f'data-state="{state}"' in response.content.decode()


def test_the_submit_confirmation_says_which_empty_items_the_submission_computes(
    world: World,
) -> None:
    computed = ItemValue.objects.filter(
        evaluation=world.evaluation, indicator__data_source="programs", self_value__isnull=True
    ).count()
    assert computed  # G100SC@2022 has items computed from the masterplan registry
    response = client_of(world, "coordinator").get(f"/evaluations/{world.evaluation.pk}/submit/")
    assert f"{computed} dihitung dari daftar program masterplan" in response.context["confirmation"]
