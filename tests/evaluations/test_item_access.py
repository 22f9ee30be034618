"""`evaluations.access.item_for`: the one way to fetch one item for a person.

Every item page, API route and evidence view goes through it; the matrix below is the rule
(contributors of another OPD and people outside the region get 404, people who see the item
but lack the capability 403), and the query test guards that authorising one item reads that
item, not the evaluation's whole item list.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from cityeval.accounts.models import User
from cityeval.evaluations.access import Can, item_for
from cityeval.evaluations.models import ItemValue
from tests.world import World

pytestmark = pytest.mark.django_db

OK, DENIED, HIDDEN = "ok", 403, 404

# Outcome per persona for `world.item` (A's Dinkes item, in self-assessment), per capability.
EXPECTED: dict[str, dict[Can, object]] = {
    "admin": {Can.VIEW: OK, Can.FILL: DENIED, Can.REVIEW: DENIED},
    "national_viewer": {Can.VIEW: OK, Can.FILL: DENIED, Can.REVIEW: DENIED},
    "lead_a": {Can.VIEW: OK, Can.FILL: DENIED, Can.REVIEW: OK},
    "member_a": {Can.VIEW: OK, Can.FILL: DENIED, Can.REVIEW: OK},
    "assessor_b": {Can.VIEW: HIDDEN, Can.FILL: HIDDEN, Can.REVIEW: HIDDEN},
    "coordinator_a": {Can.VIEW: OK, Can.FILL: OK, Can.REVIEW: DENIED},
    "contributor_a": {Can.VIEW: OK, Can.FILL: OK, Can.REVIEW: DENIED},
    "contributor_a2": {Can.VIEW: HIDDEN, Can.FILL: HIDDEN, Can.REVIEW: HIDDEN},
    "viewer_a": {Can.VIEW: OK, Can.FILL: DENIED, Can.REVIEW: DENIED},
    "coordinator_b": {Can.VIEW: HIDDEN, Can.FILL: HIDDEN, Can.REVIEW: HIDDEN},
    "contributor_b": {Can.VIEW: HIDDEN, Can.FILL: HIDDEN, Can.REVIEW: HIDDEN},
    "viewer_b": {Can.VIEW: HIDDEN, Can.FILL: HIDDEN, Can.REVIEW: HIDDEN},
    "anonymous": {Can.VIEW: HIDDEN, Can.FILL: HIDDEN, Can.REVIEW: HIDDEN},
}


def _person(world: World, persona: str) -> User | AnonymousUser:
    if persona == "anonymous":
        return AnonymousUser()
    # A fresh instance: the access scope is remembered on the user object.
    return User.objects.get(pk=world.people[persona].pk)


def _outcome(world: World, persona: str, need: Can, **kwargs: int) -> object:
    try:
        evaluation, item = item_for(_person(world, persona), world.item.pk, need, **kwargs)
    except Http404:
        return HIDDEN
    except PermissionDenied:
        return DENIED
    assert (item.pk, evaluation.pk, item.evaluation.pk) == (
        world.item.pk,
        world.running.pk,
        world.running.pk,
    )
    return OK


@pytest.mark.parametrize("persona", EXPECTED)
def test_it_answers_each_persona_by_the_items_visibility(shared_world: World, persona: str) -> None:
    outcomes = {need: _outcome(shared_world, persona, need) for need in EXPECTED[persona]}
    assert outcomes == EXPECTED[persona]


def test_it_hides_an_item_fetched_under_another_evaluation(shared_world: World) -> None:
    wrong = shared_world.running_b.pk
    assert _outcome(shared_world, "admin", Can.VIEW, evaluation_pk=wrong) == HIDDEN
    right = shared_world.running.pk
    assert _outcome(shared_world, "admin", Can.VIEW, evaluation_pk=right) == OK


def test_it_hides_an_item_that_does_not_exist(shared_world: World) -> None:
    missing = ItemValue.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    with pytest.raises(Http404):
        item_for(_person(shared_world, "admin"), missing)


ITEM_TABLE = ItemValue._meta.db_table


def _item_queries(world: World, persona: str, need: Can) -> tuple[int, list[str]]:
    """How many queries one authorisation runs, and those of them that read items without
    naming the item's primary key (that is, a list of items)."""
    user = _person(world, persona)
    with CaptureQueriesContext(connection) as queries:
        item_for(user, world.item.pk, need)
    pk_filter = re.compile(rf'"{ITEM_TABLE}"\."id" = ')
    lists = [
        q["sql"]
        for q in queries.captured_queries
        if f'FROM "{ITEM_TABLE}"' in q["sql"] and not pk_filter.search(q["sql"])
    ]
    return len(queries.captured_queries), lists


@pytest.mark.parametrize(
    ("persona", "need"),
    [("contributor_a", Can.FILL), ("lead_a", Can.REVIEW), ("coordinator_a", Can.VIEW)],
)
def test_it_reads_one_item_not_the_evaluations_list(
    shared_world: World, persona: str, need: Can
) -> None:
    count, lists = _item_queries(shared_world, persona, need)
    assert lists == []
    # The person's roles, the evaluation, the assessor team, the item: a few, whatever the size.
    assert count <= 4
