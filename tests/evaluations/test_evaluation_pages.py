from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from cityeval.evaluations.models import EvaluationStatus, ItemValue
from tests.world import TeamWorld as World

pytestmark = pytest.mark.django_db

PERSONAS = [
    "admin",
    "lead",
    "member",
    "stranger_assessor",
    "coordinator",
    "other_coordinator",
    "contributor",
    "roads_contributor",
    "other_contributor",
    "viewer",
    "national_viewer",
]

# (name, url builder, method, {persona: expected status}); anonymous always goes to login.
Url = Callable[[World], str]


def overview(w: World) -> str:
    return f"/evaluations/{w.evaluation.pk}/"


def item_list(w: World) -> str:
    return f"/evaluations/{w.evaluation.pk}/items/"


def health_item(w: World) -> str:
    return f"/evaluations/{w.evaluation.pk}/items/{w.item(w.health).pk}/"


def history(w: World) -> str:
    return f"/evaluations/{w.evaluation.pk}/items/{w.item(w.health).pk}/history/"


def log(w: World) -> str:
    return f"/evaluations/{w.evaluation.pk}/log.csv"


def submit(w: World) -> str:
    return f"/evaluations/{w.evaluation.pk}/submit/"


READERS = {
    "admin",
    "lead",
    "member",
    "coordinator",
    "contributor",
    "roads_contributor",
    "viewer",
    "national_viewer",
}
OUTSIDERS = {"stranger_assessor", "other_coordinator", "other_contributor"}

MATRIX: list[tuple[str, Url, str, dict[str, int]]] = [
    ("overview", overview, "get", {p: 200 if p in READERS else 404 for p in PERSONAS}),
    ("items", item_list, "get", {p: 200 if p in READERS else 404 for p in PERSONAS}),
    (
        "health item",
        health_item,
        "get",
        {p: 200 if p in READERS - {"roads_contributor"} else 404 for p in PERSONAS},
    ),
    (
        "history",
        history,
        "get",
        {p: 200 if p in READERS - {"roads_contributor"} else 404 for p in PERSONAS},
    ),
    ("log", log, "get", {p: 200 if p in READERS else 404 for p in PERSONAS}),
    (
        "submit summary",
        submit,
        "get",
        {p: 200 if p == "coordinator" else (404 if p in OUTSIDERS else 403) for p in PERSONAS},
    ),
    (
        "submit",
        submit,
        "post",
        {p: 302 if p == "coordinator" else (404 if p in OUTSIDERS else 403) for p in PERSONAS},
    ),
]


@pytest.mark.parametrize(
    ("name", "url", "method", "persona", "expected"),
    [
        (name, url, method, persona, expected[persona])
        for name, url, method, expected in MATRIX
        for persona in PERSONAS
    ],
)
def test_every_page_answers_each_persona_as_expected(
    client: Client, world: World, name: str, url: Url, method: str, persona: str, expected: int
) -> None:
    client.force_login(world.people[persona])
    response = getattr(client, method)(url(world))
    assert response.status_code == expected, f"{name} as {persona}"


@pytest.mark.parametrize(("name", "url", "method", "expected"), MATRIX)
def test_anonymous_visitors_are_sent_to_the_login_page(
    client: Client, world: World, name: str, url: Url, method: str, expected: object
) -> None:
    response = getattr(client, method)(url(world))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_contributor_sees_only_the_items_of_their_opd(client: Client, world: World) -> None:
    client.force_login(world.people["contributor"])
    response = client.get(item_list(world))
    assert len(response.context["items"]) == 10
    assert {item.opd_id for item in response.context["items"]} == {world.health.pk}


def test_a_contributor_saves_an_item_from_the_page(client: Client, world: World) -> None:
    client.force_login(world.people["contributor"])
    item = world.item(world.health)
    response = client.post(
        health_item(world), {"value": "4", "narrative": "Sudah berjalan", "version": item.version}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.self_value == 4


def test_a_stale_form_shows_the_conflict_and_keeps_the_typed_text(
    client: Client, world: World
) -> None:
    item = world.item(world.health)
    ItemValue.objects.filter(pk=item.pk).update(version=item.version + 1, self_value=2)
    client.force_login(world.people["contributor"])
    response = client.post(
        health_item(world), {"value": "5", "narrative": "Teks saya", "version": item.version}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "sudah diubah" in text
    assert "Teks saya" in text
    assert response.context["conflict"].self_value == 2
    item.refresh_from_db()
    assert item.self_value == 2


def test_a_locked_item_cannot_be_saved_from_the_page(client: Client, world: World) -> None:
    world.evaluation.status = EvaluationStatus.SUBMITTED
    world.evaluation.save(update_fields=["status"])
    client.force_login(world.people["contributor"])
    item = world.item(world.health)
    response = client.post(
        health_item(world), {"value": "4", "narrative": "", "version": item.version}, follow=True
    )
    assert "Terkunci" in response.content.decode()
    item.refresh_from_db()
    assert item.self_value is None


def test_an_off_scale_value_is_refused_with_the_reason(client: Client, world: World) -> None:
    client.force_login(world.people["coordinator"])
    item = world.item(world.health)
    response = client.post(
        health_item(world), {"value": "9", "narrative": "", "version": item.version}
    )
    assert response.status_code == 200
    assert "Pilih pilihan yang valid" in response.content.decode() or "valid" in str(
        response.context["form"].errors
    )


def test_the_coordinator_assigns_items_from_the_list(client: Client, world: World) -> None:
    client.force_login(world.people["coordinator"])
    items = list(ItemValue.objects.filter(evaluation=world.evaluation, opd__isnull=True)[:2])
    response = client.post(
        f"/evaluations/{world.evaluation.pk}/items/assign/",
        {"items": [i.pk for i in items], "opd": world.roads.pk},
    )
    assert response.status_code == 302
    assert ItemValue.objects.filter(pk__in=[i.pk for i in items], opd=world.roads).count() == 2


def test_a_contributor_cannot_assign_items(client: Client, world: World) -> None:
    client.force_login(world.people["contributor"])
    item = world.item(world.health)
    response = client.post(
        f"/evaluations/{world.evaluation.pk}/items/assign/", {"items": [item.pk], "opd": ""}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.opd_id == world.health.pk


def test_the_audit_log_export_lists_every_change(client: Client, world: World) -> None:
    client.force_login(world.people["contributor"])
    item = world.item(world.health)
    client.post(health_item(world), {"value": "3", "narrative": "x", "version": item.version})
    client.force_login(world.people["viewer"])
    csv_text = client.get(log(world)).content.decode()
    assert "item.self_assessment" in csv_text
    assert "contributor" in csv_text
