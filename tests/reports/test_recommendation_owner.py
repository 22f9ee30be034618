"""A recommendation's responsible OPD and target date (issue #11 §6): set in the editor, checked
by the service, shown on the report, the scorecard and its PDF, tracked by the next follow-up."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.errors import WorkflowError
from cityeval.reports.editing import add_recommendation, update_recommendation
from cityeval.reports.models import Priority, Recommendation
from cityeval.scorecards.pdf import scorecard_html
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world: World) -> Iterator[World]:
    """The module's world; what a test changes in it is rolled back when the test ends."""
    with transaction.atomic():
        yield shared_world
        transaction.set_rollback(True)


def _later(days: int = 60) -> date:
    return timezone.localdate() + timedelta(days=days)


def _add(world: World, **owner: Any) -> Recommendation:
    return add_recommendation(
        evaluation=world.reviewing,
        user=world.people["lead_a"],
        dimension=world.recommendation.dimension,
        text="Integrasikan data kesehatan.",
        priority=Priority.HIGH,
        **owner,
    )


def test_the_service_keeps_the_owner_and_target_and_audits_them(world: World) -> None:
    rec = _add(world, responsible_opd=world.health, target_date=_later())
    rec.refresh_from_db()
    assert (rec.responsible_opd, rec.target_date) == (world.health, _later())
    entry = AuditEntry.objects.filter(action="recommendation.add").latest("pk")
    assert entry.after is not None
    assert entry.after["responsible_opd"] == world.health.pk
    assert entry.after["target_date"] == _later().isoformat()


def test_another_regions_opd_is_refused_and_nothing_is_written(world: World) -> None:
    before = Recommendation.objects.count()
    with pytest.raises(WorkflowError, match="bukan bagian dari daerah ini"):
        _add(world, responsible_opd=world.opd_b)
    assert Recommendation.objects.count() == before


def test_a_past_target_date_is_refused(world: World) -> None:
    with pytest.raises(WorkflowError, match="sudah lewat"):
        _add(world, target_date=timezone.localdate() - timedelta(days=1))


def test_an_unchanged_past_target_may_stay_when_the_text_changes(world: World) -> None:
    rec = _add(world, target_date=_later())
    past = timezone.localdate() - timedelta(days=3)
    Recommendation.objects.filter(pk=rec.pk).update(target_date=past)
    changed = update_recommendation(
        recommendation=rec,
        user=world.people["lead_a"],
        text="Integrasikan data kesehatan dan sosial.",
        priority=Priority.HIGH,
        item=None,
        expected_version=rec.version,
        target_date=past,
    )
    assert changed.target_date == past
    assert changed.text.endswith("sosial.")


def _post_add(world: World, persona: str, **fields: Any) -> Any:
    data = {
        "dimension": world.recommendation.dimension,
        "text": "Bentuk satgas data.",
        "priority": Priority.MEDIUM,
        **fields,
    }
    url = reverse("reports:add_recommendation", args=[world.reviewing.pk])
    return world.client(persona).post(url, data)


def test_the_editor_saves_an_opd_and_a_date_typed_in_the_indonesian_format(world: World) -> None:
    target = _later(30)
    response = _post_add(
        world, "lead_a", responsible_opd=world.health.pk, target_date=target.strftime("%d-%m-%Y")
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get(evaluation=world.reviewing, text="Bentuk satgas data.")
    assert (rec.responsible_opd_id, rec.target_date) == (world.health.pk, target)


@pytest.mark.parametrize(
    ("fields", "field", "said"),
    [
        ({"responsible_opd": "OPD_B"}, "responsible_opd", "Pilih"),
        ({"target_date": "32-01-2027"}, "target_date", "tidak dapat dibaca"),
    ],
)
def test_the_editor_refuses_another_regions_opd_or_a_garbled_date_beside_the_field(
    world: World, fields: dict[str, Any], field: str, said: str
) -> None:
    if fields.get("responsible_opd") == "OPD_B":
        fields = {"responsible_opd": world.opd_b.pk}
    before = Recommendation.objects.count()
    response = _post_add(world, "lead_a", **fields)
    assert response.status_code == 200
    form = next(
        s.add_form for s in response.context["sections"] if s.code == world.recommendation.dimension
    )
    assert said in " ".join(form.errors[field])
    assert Recommendation.objects.count() == before


@pytest.mark.parametrize("persona", ["contributor_a", "coordinator_a", "assessor_b"])
def test_nobody_outside_the_team_adds_one(world: World, persona: str) -> None:
    before = Recommendation.objects.count()
    response = _post_add(world, persona, responsible_opd=world.health.pk)
    assert response.status_code in (403, 404)
    assert Recommendation.objects.count() == before


def _owned_recommendation(world: World, target: date) -> None:
    Recommendation.objects.filter(pk=world.recommendation.pk).update(
        responsible_opd=world.health, target_date=target
    )


def test_the_report_the_scorecard_and_its_pdf_name_the_owner_and_date(world: World) -> None:
    _owned_recommendation(world, date(2030, 6, 30))
    pk = world.published.pk
    client = world.client("coordinator_a")
    for name in ("reports:report", "scorecards:scorecard"):
        html = client.get(reverse(name, args=[pk])).content.decode()
        assert world.health.short_name in html, name
        assert "30 Juni 2030" in html, name
    # The PDF's HTML, in both languages.
    for language, written in (("id", "30 Juni 2030"), ("en", "30 June 2030")):
        html = scorecard_html(world.published, language)
        assert world.health.short_name in html
        assert written in html, language


def test_the_next_follow_up_shows_the_owner_and_counts_a_missed_target(world: World) -> None:
    _owned_recommendation(world, timezone.localdate() - timedelta(days=1))
    client = world.client("coordinator_a")
    html = client.get(reverse("reports:follow_up", args=[world.running.pk])).content.decode()
    assert world.health.short_name in html
    assert "lewat target" in html
    assert 'data-testid="overdue"' in html


def test_a_future_target_is_not_counted_as_missed(world: World) -> None:
    _owned_recommendation(world, _later())
    client = world.client("coordinator_a")
    html = client.get(reverse("reports:follow_up", args=[world.running.pk])).content.decode()
    assert world.health.short_name in html
    assert 'data-testid="overdue"' not in html
