"""What the busiest pages of the 50-user load (bench/load.py) no longer do on every request.

bench/load_costs.py measures each request type of the load; these tests keep the causes it found
from coming back (figures are printed by the bench, never asserted here):

- the framework version's ~250 kB JSON document was fetched and decoded on every evaluation page
  (`Evaluation.objects.with_region()` joined it; the item pages loaded the indicator's version
  again for its code): now deferred, fetched once per process, decoded once, read-only;
- the discussion panel of an item page joined the item, its indicator (with its rubrics) and the
  evaluation again for every thread, although the page holds them.
"""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cityeval.discussions.models import Thread, Visibility
from cityeval.frameworks.frozenjson import FrozenDict, FrozenList, decode
from cityeval.frameworks.models import FrameworkNode, FrameworkVersion
from tests.world import World

pytestmark = pytest.mark.django_db

DOCUMENT_COLUMN = '"frameworks_frameworkversion"."document"'


def _pages(world: World) -> dict[str, tuple[str, str]]:
    """Each page of the load's signed-in mix: (persona, path)."""
    item, review_item = world.item, world.review_item
    return {
        "contributor: item list": ("contributor_a", f"/evaluations/{item.evaluation_id}/items/"),
        "contributor: open item": (
            "contributor_a",
            f"/evaluations/{item.evaluation_id}/items/{item.pk}/",
        ),
        "assessor: queue": ("lead_a", "/review/"),
        "assessor: workspace": ("lead_a", f"/review/{review_item.evaluation_id}/"),
        "assessor: open item": (
            "lead_a",
            f"/review/{review_item.evaluation_id}/items/{review_item.pk}/",
        ),
    }


def _second_request(client: Client, path: str) -> list[dict[str, Any]]:
    assert client.get(path).status_code == 200  # the first may fill this process's copies
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return captured.captured_queries


@pytest.mark.parametrize(
    "page",
    [
        "contributor: item list",
        "contributor: open item",
        "assessor: queue",
        "assessor: workspace",
        "assessor: open item",
    ],
)
def test_a_page_of_the_load_does_not_fetch_the_framework_document_again(
    shared_world: World, page: str
) -> None:
    persona, path = _pages(shared_world)[page]
    queries = _second_request(shared_world.client(persona), path)
    assert [q["sql"] for q in queries if DOCUMENT_COLUMN in q["sql"]] == []


@pytest.mark.parametrize("page", ["contributor: open item", "assessor: open item"])
def test_an_item_page_does_not_load_the_framework_version_again(
    shared_world: World, page: str
) -> None:
    persona, path = _pages(shared_world)[page]
    queries = _second_request(shared_world.client(persona), path)
    assert [q["sql"] for q in queries if 'FROM "frameworks_frameworkversion"' in q["sql"]] == []


def test_the_document_is_still_there_when_read(shared_world: World) -> None:
    from cityeval.evaluations.models import Evaluation

    evaluation = Evaluation.objects.with_region().get(pk=shared_world.item.evaluation_id)
    version = evaluation.cycle.framework_version
    fresh = FrameworkVersion.objects.get(pk=version.pk)
    assert version.document == fresh.document
    assert version.document["tree"]["code"] == fresh.document["tree"]["code"]


def test_framework_json_is_decoded_once_per_process_and_read_only(shared_world: World) -> None:
    version_pk = shared_world.item.indicator.version_id
    first = FrameworkVersion.objects.get(pk=version_pk).document
    second = FrameworkVersion.objects.get(pk=version_pk).document
    assert first is second  # one decoded copy, shared
    assert isinstance(first, FrozenDict)
    changes: list[Callable[[], object]] = [
        lambda: first.__setitem__("rounding", {}),
        lambda: first.update({"rounding": {}}),
        lambda: first.pop("tree"),
        lambda: first.setdefault("other", 1),
        lambda: first.clear(),
        lambda: first["tree"].__setitem__("code", "X"),
    ]
    children = first["tree"]["children"]
    assert isinstance(children, FrozenList)
    changes += [lambda: children.append({}), lambda: children.sort(), lambda: children.pop()]
    for change in changes:
        with pytest.raises(TypeError, match="read-only"):
            change()
    assert first == FrameworkVersion.objects.values_list("document", flat=True).get(pk=version_pk)

    # A copy is the reader's own and may change; the value still serialises and pickles.
    own = copy.deepcopy(first)
    own["tree"]["children"].append({"code": "new"})
    assert type(own) is dict
    assert len(own["tree"]["children"]) == len(children) + 1
    assert json.loads(json.dumps(first)) == first
    assert pickle.loads(pickle.dumps(first)) == first  # noqa: S301 - our own bytes

    node = FrameworkNode.objects.filter(version_id=version_pk).exclude(levels={}).first()
    assert node is not None
    with pytest.raises(TypeError):
        node.levels["1"] = {}


def test_a_different_text_is_decoded_anew() -> None:
    assert decode('{"a": [1, 2]}') == {"a": [1, 2]}
    assert decode('{"a": [1, 3]}') == {"a": [1, 3]}
    assert decode("[]") == []


def test_the_discussion_panel_does_not_join_the_item_again(shared_world: World) -> None:
    item = shared_world.item
    Thread.objects.create(
        item=item,
        evaluation_id=item.evaluation_id,
        title="Data kunjungan",
        visibility=Visibility.REGION,
        created_by=shared_world.people["contributor_a"],
    )
    _persona, path = _pages(shared_world)["contributor: open item"]
    client = shared_world.client("contributor_a")
    queries = _second_request(client, path)
    threads = [q["sql"] for q in queries if 'FROM "discussions_thread"' in q["sql"]]
    assert threads, "the panel reads the item's threads"
    for sql in threads:
        assert "frameworks_frameworknode" not in sql
        assert "evaluations_evaluation" not in sql
    assert "Data kunjungan" in client.get(path).content.decode()


@pytest.mark.parametrize(
    ("page", "most"),
    [
        ("contributor: item list", 12),
        ("contributor: open item", 17),
        ("assessor: queue", 10),
        ("assessor: workspace", 14),
        ("assessor: open item", 19),
    ],
)
def test_the_pages_of_the_load_keep_their_query_counts(
    shared_world: World, page: str, most: int, django_assert_max_num_queries: Any
) -> None:
    persona, path = _pages(shared_world)[page]
    client = shared_world.client(persona)
    assert client.get(path).status_code == 200
    with django_assert_max_num_queries(most):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("page", ["contributor: open item", "assessor: open item"])
def test_an_item_page_reads_only_its_own_item_with_the_indicator(
    shared_world: World, page: str
) -> None:
    """The navigation needs the other items' keys (and statuses), not their rubrics."""
    persona, path = _pages(shared_world)[page]
    queries = _second_request(shared_world.client(persona), path)
    with_rubrics = [
        q["sql"]
        for q in queries
        if 'FROM "evaluations_itemvalue"' in q["sql"]
        and '"frameworks_frameworknode"."levels"' in q["sql"]
    ]
    assert with_rubrics, "the page reads its item with the indicator"
    for sql in with_rubrics:
        assert '"evaluations_itemvalue"."id" =' in sql, sql
