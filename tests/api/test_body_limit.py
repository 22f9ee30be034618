"""A request body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 in the API's error shape, nothing stored."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.fixtures import Settings

from cityeval.audit.models import AuditEntry
from cityeval.evidence.models import Evidence
from tests.world import API, token_for
from tests.world import TeamWorld as World

LIMIT = 2_000


@pytest.fixture
def small_limit(settings: Settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT


def assert_too_large(response: object) -> None:
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/json"  # type: ignore[index]
    error = json.loads(response.content)["error"]  # type: ignore[attr-defined]
    assert error["code"] == "payload_too_large"
    assert str(LIMIT) in json.dumps(error["details"])
    assert error["message"]


def test_a_json_body_over_the_limit_is_413_and_stores_nothing(
    world: World, small_limit: None
) -> None:
    item = world.item(world.health)
    client = world.api("coordinator")  # creating the token is audited
    audit = AuditEntry.objects.count()
    response = client.put(
        f"/items/{item.pk}/self-assessment",
        {"value": "3", "narrative": "x" * (LIMIT * 2), "version": item.version},
    )
    assert_too_large(response)
    assert world.fresh(item).narrative == item.narrative
    assert world.fresh(item).version == item.version
    assert AuditEntry.objects.count() == audit


def test_a_multipart_upload_over_the_limit_is_413_and_stores_nothing(
    world: World, small_limit: None
) -> None:
    item = world.item(world.health)
    token = token_for(world.people["coordinator"])
    evidence = Evidence.objects.count()
    response = Client().post(
        f"{API}/items/{item.pk}/evidence-links",
        {
            "url": "https://contoh.go.id/perbup.pdf",
            "description": "bukti",
            "file": SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * (LIMIT * 2)),
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert_too_large(response)
    assert Evidence.objects.count() == evidence


def test_a_body_within_the_limit_still_works(world: World, small_limit: None) -> None:
    item = world.item(world.health)
    response = world.api("coordinator").put(
        f"/items/{item.pk}/self-assessment",
        {"value": "3", "narrative": "Berjalan.", "version": item.version},
    )
    assert response.status_code == 200
