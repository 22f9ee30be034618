"""The map's geometry served once by its own URL (dashboard/maps.py, views.geometry), never inline
in a page, and an admin's removal of a boundary file (maps.remove_boundaries)."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cityeval.audit.models import AuditEntry
from cityeval.regions.models import BoundaryFile
from tests.dashboard.test_map import EVERY_CODE, drawn_codes, map_spec, upload
from tests.regions.test_boundaries import geojson

pytestmark = pytest.mark.django_db

PUBLIC = reverse("dashboard:public")
NATIONAL = reverse("dashboard:national")


def embedded(html: str) -> dict[str, Any]:
    found = re.search(r'<script id="chart-map" type="application/json">(.*?)</script>', html, re.S)
    assert found is not None
    spec: dict[str, Any] = json.loads(found.group(1))
    return spec


def remove_url(boundary: BoundaryFile) -> str:
    return reverse("dashboard:remove_boundaries", args=[boundary.pk])


@pytest.mark.parametrize(("persona", "url"), [("anonymous", PUBLIC), ("admin", NATIONAL)])
def test_a_page_names_the_geometry_by_url_and_carries_none_of_it(
    world: Any, persona: str, url: str
) -> None:
    upload(world, geojson(*EVERY_CODE))
    html = world.client(persona).get(url).content.decode()
    spec = embedded(html)
    stored = BoundaryFile.objects.get()
    assert spec["data"]["url"] == reverse("dashboard:geometry", args=[stored.pk, stored.checksum])
    assert "coordinates" not in html


def test_the_geometry_is_gzipped_cacheable_and_answered_304_when_unchanged(world: Any) -> None:
    upload(world, geojson(*EVERY_CODE))
    stored = BoundaryFile.objects.get()
    url = reverse("dashboard:geometry", args=[stored.pk, stored.checksum])
    client = Client()  # anonymous: the public dashboard draws it
    first = client.get(url, headers={"accept-encoding": "gzip, br"})
    assert first.status_code == 200
    assert first["Content-Type"] == "application/json"
    assert first["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in first["Cache-Control"]
    assert "Accept-Encoding" in first["Vary"]
    assert json.loads(gzip.decompress(first.content)) == stored.document
    plain = client.get(url)  # a client that takes no gzip
    assert "Content-Encoding" not in plain
    assert json.loads(plain.content) == stored.document
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_a_wrong_checksum_or_a_removed_file_is_404(world: Any) -> None:
    upload(world, geojson(*EVERY_CODE))
    stored = BoundaryFile.objects.get()
    client = Client()
    assert client.get(reverse("dashboard:geometry", args=[stored.pk, "0" * 64])).status_code == 404
    url = reverse("dashboard:geometry", args=[stored.pk, stored.checksum])
    assert client.get(url).status_code == 200  # now in the cache
    world.client("admin").post(remove_url(stored))
    assert client.get(url).status_code == 404


def test_an_admin_confirms_then_removes_the_file_and_the_public_map_goes(world: Any) -> None:
    upload(world, geojson(*EVERY_CODE))
    stored = BoundaryFile.objects.get()
    anonymous = world.client("anonymous")
    assert map_spec(anonymous.get(PUBLIC)) is not None  # cached with the map
    admin = world.client("admin")
    page = admin.get(remove_url(stored))
    assert page.status_code == 200
    assert "batas.geojson" in page.content.decode()
    assert 'data-testid="remove-effect"' in page.content.decode()
    assert BoundaryFile.objects.exists()  # a GET removes nothing
    response = admin.post(remove_url(stored))
    assert response.status_code == 302
    assert not BoundaryFile.objects.exists()
    entry = AuditEntry.objects.get(action="regions.boundaries.removed")
    assert entry.actor == world.people["admin"]
    assert entry.target_id == str(stored.pk)
    assert entry.before is not None
    assert entry.before["checksum"] == stored.checksum
    assert map_spec(anonymous.get(PUBLIC)) is None
    assert map_spec(world.client("national_viewer").get(NATIONAL)) is None


def test_removing_the_newest_file_draws_the_one_before(world: Any) -> None:
    upload(world, geojson("64.02", "33.74"), name="lama.geojson")
    upload(world, geojson(*EVERY_CODE), name="baru.geojson")
    newest = BoundaryFile.objects.current()
    assert newest is not None
    world.client("admin").post(remove_url(newest))
    spec = map_spec(world.client("anonymous").get(PUBLIC))
    assert spec is not None
    assert sorted(drawn_codes(spec)) == ["33.74", "64.02"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("national_viewer", 403),
        ("assessor", 403),
        ("coordinator", 403),
        ("viewer", 403),
        ("anonymous", 302),
    ],
)
def test_nobody_but_a_program_admin_removes(world: Any, persona: str, status: int) -> None:
    upload(world, geojson(*EVERY_CODE))
    stored = BoundaryFile.objects.get()
    assert world.client(persona).get(remove_url(stored)).status_code == status
    assert world.client(persona).post(remove_url(stored)).status_code == status
    assert BoundaryFile.objects.filter(pk=stored.pk).exists()
    assert not AuditEntry.objects.filter(action="regions.boundaries.removed").exists()


def test_an_unknown_file_is_404(world: Any) -> None:
    response = world.client("admin").post(reverse("dashboard:remove_boundaries", args=[999]))
    assert response.status_code == 404
