from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.models import AssessorAssignment, Cycle, Evaluation
from cityeval.frameworks.models import FrameworkVersion
from cityeval.regions.services import assign_cohort
from tests.world import TeamWorld as World

pytestmark = pytest.mark.django_db


# Deadlines lie ahead: the form refuses a deadline already past.
AHEAD = timezone.localdate().year + 1


def open_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "framework_version": FrameworkVersion.objects.get_by_ref("SPBE@2020").pk,
        "year": 2025,
        "round": "tahap_2",
        "region_codes": "64.02 33.74",
        "self_assessment_deadline": f"{AHEAD}-08-01",
        "review_deadline": f"{AHEAD}-09-01",
        "field_visit_deadline": "",
        "finalisation_deadline": f"{AHEAD}-11-30",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["coordinator", "lead", "national_viewer", "contributor"])
def test_only_program_admins_manage_cycles(client: Client, world: World, persona: str) -> None:
    client.force_login(world.people[persona])
    assert client.get("/evaluations/cycles/").status_code == 403
    assert client.post("/evaluations/cycles/new/", open_form()).status_code == 403
    assert Cycle.objects.count() == 1


def test_the_admin_opens_a_cycle_by_cohort_and_by_hand(client: Client, world: World) -> None:
    assign_cohort(year=2019, region_codes=["11.01", "11.02"])
    client.force_login(world.people["admin"])
    cohort = world.evaluation.region.__class__.objects.get(code="11.01").cohort
    assert cohort is not None
    response = client.post("/evaluations/cycles/new/", open_form(cohorts=[cohort.pk]))
    cycle = Cycle.objects.get(program="SPBE", year=2025)
    assert response.status_code == 302
    assert response["Location"] == f"/evaluations/cycles/{cycle.pk}/"
    codes = set(Evaluation.objects.filter(cycle=cycle).values_list("region__code", flat=True))
    assert codes == {"11.01", "11.02", "33.74", "64.02"}
    assert cycle.self_assessment_deadline == date(AHEAD, 8, 1)


def test_it_names_unknown_region_codes_and_opens_nothing(client: Client, world: World) -> None:
    client.force_login(world.people["admin"])
    response = client.post("/evaluations/cycles/new/", open_form(region_codes="64.02 99.99"))
    assert response.status_code == 200
    assert "Kode tidak dikenal: 99.99" in response.content.decode()
    assert not Cycle.objects.filter(program="SPBE").exists()


def test_it_refuses_deadlines_out_of_order(client: Client, world: World) -> None:
    client.force_login(world.people["admin"])
    response = client.post("/evaluations/cycles/new/", open_form(review_deadline=f"{AHEAD}-07-01"))
    assert "tahapan berurutan" in response.content.decode()
    assert not Cycle.objects.filter(program="SPBE").exists()


def test_the_admin_forms_an_assessor_team_with_one_lead(client: Client, world: World) -> None:
    client.force_login(world.people["admin"])
    region = world.evaluation.region
    client.post(
        f"/evaluations/cycles/{world.cycle.pk}/assessors/",
        {"assessor": world.people["member"].pk, "regions": [region.pk], "is_lead": "on"},
    )
    leads = AssessorAssignment.objects.filter(cycle=world.cycle, region=region, is_lead=True)
    assert [a.user.username for a in leads] == ["member"]
    assert AssessorAssignment.objects.filter(cycle=world.cycle, region=region).count() == 2


def test_a_lock_exception_reopens_entry_for_one_region(client: Client, world: World) -> None:
    Cycle.objects.filter(pk=world.cycle.pk).update(
        self_assessment_deadline=timezone.localdate() - timedelta(days=2)
    )
    client.force_login(world.people["admin"])
    until = (timezone.localdate() + timedelta(days=5)).isoformat()
    client.post(
        f"/evaluations/{world.evaluation.pk}/entry-exception/",
        {"until": until, "reason": "Gangguan jaringan di kabupaten"},
    )
    world.evaluation.refresh_from_db()
    assert world.evaluation.entry_deadline_override is not None
    entry = AuditEntry.objects.get(action="evaluation.entry_exception")
    assert entry.note == "Gangguan jaringan di kabupaten"


def test_a_lock_exception_needs_a_reason(client: Client, world: World) -> None:
    client.force_login(world.people["admin"])
    until = (timezone.localdate() + timedelta(days=5)).isoformat()
    client.post(f"/evaluations/{world.evaluation.pk}/entry-exception/", {"until": until})
    world.evaluation.refresh_from_db()
    assert world.evaluation.entry_deadline_override is None


def test_the_cycle_page_counts_overdue_regions(client: Client, world: World) -> None:
    Cycle.objects.filter(pk=world.cycle.pk).update(
        self_assessment_deadline=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(world.people["admin"])
    response = client.get(f"/evaluations/cycles/{world.cycle.pk}/")
    assert len(response.context["overdue"]) == 2


def test_the_cycle_page_links_the_cycle_wide_publish_page(client: Client, world: World) -> None:
    client.force_login(world.people["admin"])
    page = client.get(f"/evaluations/cycles/{world.cycle.pk}/")
    target = reverse("reports:publish", kwargs={"cycle_pk": world.cycle.pk})
    assert f'href="{target}"' in page.content.decode()
    assert client.get(target).status_code == 200  # the link leads to a page the admin may use


@pytest.mark.parametrize("persona", ["coordinator", "lead", "national_viewer", "contributor"])
def test_nobody_else_sees_the_cycle_page_or_its_publish_link(
    client: Client, world: World, persona: str
) -> None:
    client.force_login(world.people[persona])
    page = client.get(f"/evaluations/cycles/{world.cycle.pk}/")
    assert page.status_code == 403
    assert b"cycle-publish" not in page.content
