"""Flash messages carry figures as the pages do: rounded to the framework's places and in the
active language's format (issue 11 §5: "2.89" in a message beside "2,89" on the page)."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from cityeval.core.numbers import figure
from cityeval.evaluations.models import EvaluationStatus
from cityeval.masterplans.upload import MAX_UPLOAD_BYTES, size_problem
from cityeval.results.models import ResultSnapshot
from tests.world import TeamWorld as World


@pytest.mark.parametrize(("language", "separator"), [("id", ","), ("en", ".")])
def test_the_finalise_message_shows_the_index_as_the_result_page_does(
    world: World, language: str, separator: str
) -> None:
    world.verify()
    world.at(EvaluationStatus.FIELD_VISIT)
    client = world.client("lead")
    client.cookies["django_language"] = language
    response = client.post(reverse("reports:finalise", args=[world.evaluation.pk]))
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    snapshot = ResultSnapshot.objects.get(evaluation=world.evaluation)
    places = world.evaluation.cycle.framework_version.rounding_places()
    shown = re.search(r"(\d+)([.,])(\d+)\.?$", message)
    assert shown, message
    assert shown.group(2) == separator
    assert len(shown.group(3)) == places
    with translation.override(language):
        assert figure(snapshot.index, places) in message


@pytest.mark.parametrize(
    ("value", "places", "language", "expected"),
    [
        ("91.6667", 2, "id", "91,67"),
        ("91.6667", 2, "en", "91.67"),
        ("2.885", 2, "id", "2,89"),  # half-up, as the published figures
        ("1234.5", 2, "id", "1234,50"),
        ("7", 3, "en", "7.000"),
        (None, 2, "id", "—"),
        ("NaN", 2, "id", "—"),
        ("not a number", 2, "id", "—"),
    ],
)
def test_figure_rounds_to_the_places_and_follows_the_language(
    value: str | None, places: int, language: str, expected: str
) -> None:
    with translation.override(language):
        assert figure(value, places) == expected


@pytest.mark.parametrize(("language", "shown"), [("id", "(6,5 MB)"), ("en", "(6.5 MB)")])
def test_an_upload_size_message_follows_the_language(language: str, shown: str) -> None:
    assert int(6.5 * 1024 * 1024) > MAX_UPLOAD_BYTES
    with translation.override(language):
        assert shown in (size_problem(int(6.5 * 1024 * 1024)) or "")
