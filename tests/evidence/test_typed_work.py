"""Evidence actions keep the self-assessment typed on the item page but not yet saved.

The page's script copies the changed self-assessment fields into the evidence form it submits as
`carried-…` fields (tests/browser/test_typed_work_browser.py drives that in Chromium); here the
server side: saved through `save_self_assessment`, or kept and shown again, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import resolve, reverse

from cityeval.accounts.models import User
from cityeval.audit.models import AuditEntry
from cityeval.evaluations.models import EvaluationStatus, ItemValue
from cityeval.evaluations.services import save_self_assessment
from cityeval.evidence.models import Evidence
from cityeval.evidence.services import add_file_evidence
from tests.evidence.conftest import PDF_BYTES, upload
from tests.world import TeamWorld as World

NARRATIVE = "Perbup 12/2023 tentang Masterplan Smart City sudah ditetapkan."


def carried(item: ItemValue, value: str = "3", version: int | None = None) -> dict[str, str]:
    return {
        "carried-value": value,
        "carried-narrative": NARRATIVE,
        "carried-version": str(item.version if version is None else version),
    }


def post_upload(client: Client, item: ItemValue, extra: dict[str, str]) -> Any:
    data: dict[str, Any] = {"uploads": [upload("perbup.pdf", PDF_BYTES)], **extra}
    return client.post(reverse("evidence:add_files", args=[item.pk]), data)


def post_link(client: Client, item: ItemValue, extra: dict[str, str]) -> Any:
    data = {"url": "https://kukarkab.go.id/perbup", "description": "", **extra}
    return client.post(reverse("evidence:add_link", args=[item.pk]), data)


def post_remove(client: Client, item: ItemValue, extra: dict[str, str]) -> Any:
    evidence = add_file_evidence(
        item=item,
        user=User.objects.get(username="contributor"),
        upload=upload("lama.pdf", PDF_BYTES),
        description="",
    )
    return client.post(reverse("evidence:remove", args=[evidence.pk]), extra)


# Every evidence action of the item page, by URL name; the page test below holds it complete.
ACTIONS: dict[str, Callable[[Client, ItemValue, dict[str, str]], Any]] = {
    "evidence:add_files": post_upload,
    "evidence:add_link": post_link,
    "evidence:remove": post_remove,
}


def item_page(world: World, item: ItemValue, persona: str = "contributor") -> str:
    url = reverse("evaluations:item", args=[world.evaluation.pk, item.pk])
    return str(world.client(persona).get(url).content.decode())


def test_every_evidence_form_of_the_item_page_carries_the_self_assessment(world: World) -> None:
    item = world.item()
    add_file_evidence(
        item=item,
        user=world.people["contributor"],
        upload=upload("a.pdf", PDF_BYTES),
        description="",
    )
    html = item_page(world, item)
    assert re.search(r'<form [^>]*id="self-assessment"[^>]*data-unsaved', html)
    forms = re.findall(r"<form [^>]*>", html)
    evidence_forms = [f for f in forms if 'action="/evidence/' in f]
    assert len(evidence_forms) == 3
    names = set()
    for form in evidence_forms:
        assert 'data-carry="self-assessment"' in form
        action = re.search(r'action="([^"]+)"', form)
        assert action is not None
        names.add(resolve(action.group(1)).view_name)
    assert names == set(ACTIONS)


@pytest.mark.parametrize("action", ACTIONS)
def test_an_evidence_action_saves_the_typed_self_assessment(world: World, action: str) -> None:
    item = world.item()
    response = ACTIONS[action](world.client("contributor"), item, carried(item))
    assert response.status_code == 302
    saved = ItemValue.objects.get(pk=item.pk)
    assert (saved.self_value, saved.narrative) == (Decimal(3), NARRATIVE)
    assert saved.version == item.version + 1
    assert saved.updated_by == world.people["contributor"]
    assert AuditEntry.objects.filter(action="item.self_assessment", target_id=str(item.pk)).exists()
    assert Evidence.objects.filter(item=item).exists()


def test_without_carried_fields_the_self_assessment_is_untouched(world: World) -> None:
    item = world.item()
    post_upload(world.client("contributor"), item, {})
    saved = ItemValue.objects.get(pk=item.pk)
    assert (saved.self_value, saved.narrative, saved.version) == (None, "", item.version)
    assert Evidence.objects.filter(item=item).count() == 1


@pytest.mark.parametrize("action", ACTIONS)
def test_a_stale_draft_is_not_saved_and_comes_back_with_the_conflict(
    world: World, action: str
) -> None:
    item = world.item()
    opened = item.version
    save_self_assessment(
        item=item,
        user=world.people["coordinator"],
        value=Decimal(1),
        narrative="Isian koordinator",
        expected_version=opened,
    )
    client = world.client("contributor")
    response = ACTIONS[action](client, item, carried(item, version=opened))
    assert response.status_code == 302
    saved = ItemValue.objects.get(pk=item.pk)
    assert (saved.self_value, saved.narrative) == (Decimal(1), "Isian koordinator")
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="conflict"' in html
    assert "Isian koordinator" in html  # the newer saved text, beside…
    assert NARRATIVE in html  # …the person's own, still in the form
    assert re.search(r'<input type="radio" name="value" value="3" checked>', html)
    assert f'name="version" value="{saved.version}"' in html
    assert 'data-unsaved="pending"' in html
    assert "belum disimpan" in html
    # Shown once: the next visit shows the saved item.
    assert NARRATIVE not in client.get(response["Location"]).content.decode()


def test_an_invalid_draft_is_kept_with_its_error(world: World) -> None:
    item = world.item()
    client = world.client("contributor")
    response = post_link(client, item, carried(item, value="9"))
    assert ItemValue.objects.get(pk=item.pk).version == item.version
    html = client.get(response["Location"]).content.decode()
    assert NARRATIVE in html
    assert "errorlist" in html
    assert 'data-unsaved="pending"' in html
    assert Evidence.objects.filter(item=item).count() == 1  # the link itself was added


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("other_contributor", 404),
        ("roads_contributor", 404),
        ("other_coordinator", 404),
        ("viewer", 403),
        ("lead", 403),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("action", ["evidence:add_files", "evidence:add_link"])
def test_wrong_hands_save_nothing(world: World, persona: str, status: int, action: str) -> None:
    item = world.item()
    response = ACTIONS[action](world.client(persona), item, carried(item))
    assert response.status_code == status
    saved = ItemValue.objects.get(pk=item.pk)
    assert (saved.self_value, saved.narrative, saved.version) == (None, "", item.version)


def test_after_submission_a_carried_draft_saves_nothing(world: World) -> None:
    item = world.item()
    world.set_status(EvaluationStatus.SUBMITTED)
    post_link(world.client("contributor"), item, carried(item))
    saved = ItemValue.objects.get(pk=item.pk)
    assert (saved.self_value, saved.narrative, saved.version) == (None, "", item.version)
