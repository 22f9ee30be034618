"""A published result that is reopened: a visitor who may not read it now learns that it is under
review (page and PDF), instead of a login page or a 404; those who may read it still do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityeval.reports.services import reopen_evaluation
from tests.world import Finalised, publish

pytestmark = pytest.mark.django_db


def reopened(finalised: Finalised) -> Finalised:
    publish(finalised)
    world = finalised.world
    reopen_evaluation(evaluation=world.evaluation, user=world.people["admin"], reason="Koreksi.")
    return finalised


@pytest.mark.parametrize("page", ["scorecards:scorecard", "scorecards:pdf"])
@pytest.mark.parametrize(
    "persona", ["anonymous", "other_coordinator", "contributor", "coordinator"]
)
def test_a_reopened_result_says_it_is_under_review(
    finalised: Finalised, persona: str, page: str
) -> None:
    world = reopened(finalised).world
    response = world.client(persona).get(reverse(page, args=[world.evaluation.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="under-review"' in content
    assert "Kutai Kartanegara" in content


@pytest.mark.parametrize("persona", ["admin", "national_viewer", "lead"])
def test_those_who_may_read_it_still_read_the_reopened_scorecard(
    finalised: Finalised, persona: str
) -> None:
    world = reopened(finalised).world
    response = world.client(persona).get(
        reverse("scorecards:scorecard", args=[world.evaluation.pk])
    )
    assert response.status_code == 200
    assert 'data-testid="under-review"' not in response.content.decode()


def test_a_result_never_published_still_asks_a_visitor_to_sign_in(finalised: Finalised) -> None:
    world = finalised.world
    url = reverse("scorecards:scorecard", args=[world.evaluation.pk])
    response = world.client("anonymous").get(url)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert world.client("other_coordinator").get(url).status_code == 404
