"""Publishing one region's result asks first, as reopening does: the buttons lead to a page that
says what publishing does, and only its form publishes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityeval.evaluations.models import EvaluationStatus
from cityeval.reports.services import finalise_evaluation
from tests.world import TeamWorld as World

pytestmark = pytest.mark.django_db
S = EvaluationStatus


@pytest.fixture
def finalised(world: World) -> World:
    world.verify(world.evaluation)
    world.at(S.FIELD_VISIT, world.evaluation)
    finalise_evaluation(evaluation=world.evaluation, user=world.people["lead"])
    world.evaluation.refresh_from_db()
    return world


def test_the_publish_buttons_lead_to_a_confirmation_not_a_publication(finalised: World) -> None:
    world = finalised
    admin = world.client("admin")
    url = reverse("reports:publish_one", args=[world.evaluation.pk])
    pages = [
        reverse("evaluations:overview", args=[world.evaluation.pk]),
        reverse("reports:publish", args=[world.evaluation.cycle_id]),
    ]
    for page in pages:
        content = admin.get(page).content.decode()
        assert f'action="{url}"' not in content  # no form that publishes at once
        assert f'href="{url}' in content
    confirm = admin.get(url, {"back": "cycle"})
    assert confirm.status_code == 200
    content = confirm.content.decode()
    assert 'data-testid="publish-confirm"' in content
    assert 'name="back" value="cycle"' in content
    assert "Kutai Kartanegara" in content
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == S.FINALISED  # looking at the page published nothing


def test_the_confirmation_form_publishes(finalised: World) -> None:
    world = finalised
    url = reverse("reports:publish_one", args=[world.evaluation.pk])
    response = world.client("admin").post(url, {"back": "cycle"})
    assert response.status_code == 302
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == S.PUBLISHED


@pytest.mark.parametrize(("persona", "status"), [("coordinator", 403), ("lead", 403)])
def test_only_an_admin_sees_the_confirmation(finalised: World, persona: str, status: int) -> None:
    url = reverse("reports:publish_one", args=[finalised.evaluation.pk])
    assert finalised.client(persona).get(url).status_code == status
