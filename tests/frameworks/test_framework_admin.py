"""The admin shows imported frameworks but never edits them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.services import import_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(minimal_path: Path) -> FrameworkVersion:
    return import_framework(path=minimal_path)


@pytest.mark.parametrize("model", ["frameworkversion", "frameworknode"])
def test_it_lists_versions_and_nodes_with_search(
    admin_client: Client, version: FrameworkVersion, model: str
) -> None:
    url = reverse(f"admin:frameworks_{model}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "MINI"}).status_code == 200


def test_it_shows_a_version_read_only(admin_client: Client, version: FrameworkVersion) -> None:
    url = reverse("admin:frameworks_frameworkversion_change", args=[version.pk])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"name_en": "Changed"})
    version.refresh_from_db()
    assert version.name_en == "Mini framework"


def test_it_offers_no_way_to_add_or_delete(admin_client: Client, version: FrameworkVersion) -> None:
    add = reverse("admin:frameworks_frameworkversion_add")
    delete = reverse("admin:frameworks_frameworkversion_delete", args=[version.pk])
    assert admin_client.get(add).status_code == 403
    assert admin_client.get(delete).status_code == 403
