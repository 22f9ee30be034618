"""The item rows of an export follow the application's item rule (`items_for`), not a copy of it:
for every persona and every evaluation they may export, an unpublished evaluation gives exactly
the items the person sees on the item pages, a published one every item (open data)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from cityeval.accounts.access import AnyUser
from cityeval.evaluations.access import items_for
from cityeval.evaluations.models import EvaluationStatus, ItemValue
from cityeval.exports.access import exportable_evaluations, exportable_items
from tests.exports.conftest import Exports


@pytest.mark.django_db
def test_every_persona_exports_the_items_it_sees_in_the_application(world: Exports) -> None:
    people: dict[str, AnyUser] = {"anonymous": AnonymousUser(), **world.people}
    seen = {}
    for persona, user in people.items():
        rule = exportable_items(user, world.cycle)
        for evaluation in exportable_evaluations(user, world.cycle):
            exported = set(
                ItemValue.objects.filter(rule, evaluation=evaluation).values_list("pk", flat=True)
            )
            if evaluation.status == EvaluationStatus.PUBLISHED:
                expected = set(evaluation.items.values_list("pk", flat=True))
            else:
                expected = {item.pk for item in items_for(user, evaluation)}
            assert exported == expected, (persona, evaluation.region.code)
            seen[persona, evaluation.region.code] = len(exported)
    # The wrong hands are in the walk: a contributor of another OPD exports the unpublished
    # evaluation of its region with its own OPD's items only, an outsider not at all.
    assert seen["other_contributor", "33.74"] < seen["other_coordinator", "33.74"]
    assert ("anonymous", "33.74") not in seen
    assert ("stranger_assessor", "64.02") in seen  # published: open data
    assert ("stranger_assessor", "35.78") not in seen
