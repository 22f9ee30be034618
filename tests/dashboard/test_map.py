"""The map: the admin's boundary file upload (dashboard/maps.py, views.boundaries) and the map panel
drawn from it on the public and ministry dashboards, on the national picture of tests/world.py.

Published there: 64.02, 33.74, 35.78; 31.71 is final but not published (ministry only).
"""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from cityeval.audit.models import AuditEntry
from cityeval.regions import boundaries
from cityeval.regions.models import BoundaryFile
from tests.regions.test_boundaries import geojson, topojson

pytestmark = pytest.mark.django_db

EVERY_CODE = ("64.02", "33.74", "35.78", "31.71", "32.73", "51.71", "34.71")
PUBLISHED = {"64.02", "33.74", "35.78"}
UPLOAD = reverse("dashboard:boundaries")


def upload(world: Any, content: bytes, persona: str = "admin", name: str = "batas.geojson") -> Any:
    return world.client(persona).post(
        UPLOAD, {"upload": SimpleUploadedFile(name, content, "application/geo+json")}
    )


def map_spec(response: HttpResponse) -> dict[str, Any] | None:
    """The map's Vega-Lite spec as the page embeds it, or None without a map; the geometry the
    page names by URL (never inline) is fetched as the browser does and put in its place."""
    html = response.content.decode()
    found = re.search(r'<script id="chart-map" type="application/json">(.*?)</script>', html, re.S)
    if found is None:
        assert 'data-testid="map"' not in html
        return None
    spec: dict[str, Any] = json.loads(found.group(1))
    assert set(spec["data"]) == {"url", "format"}
    fetched = Client().get(spec["data"]["url"], headers={"accept-encoding": "gzip"})
    assert fetched.status_code == 200
    assert fetched["Content-Encoding"] == "gzip"
    spec["data"] = {"values": json.loads(gzip.decompress(fetched.content)), **spec["data"]}
    return spec


def coloured(spec: dict[str, Any]) -> dict[str, float]:
    """Region code -> index of every region the map colours."""
    lookup = spec["layer"][1]["transform"][0]["from"]["data"]["values"]
    return {row["code"]: row["index"] for row in lookup}


def drawn_codes(spec: dict[str, Any]) -> list[str]:
    return [f["properties"]["kode_kemendagri"] for f in spec["data"]["values"]["features"]]


@pytest.mark.parametrize("name", ["dashboard:public", "dashboard:national"])
def test_without_a_boundary_file_there_is_no_map_and_no_error(world: Any, name: str) -> None:
    response = world.client("admin").get(reverse(name))
    assert response.status_code == 200
    assert map_spec(response) is None


def test_an_admins_upload_is_stored_with_who_and_when_and_audited(world: Any) -> None:
    response = upload(world, geojson(*EVERY_CODE, "99.99"))
    assert response.status_code == 302
    stored = BoundaryFile.objects.get()
    assert stored.uploaded_by == world.people["admin"]
    assert stored.uploaded_at is not None
    assert (stored.original_name, stored.kind, stored.features) == ("batas.geojson", "geojson", 8)
    assert stored.unknown == ["99.99"]
    assert set(stored.matched) == set(EVERY_CODE)
    entry = AuditEntry.objects.get(action="regions.boundaries.uploaded")
    assert (entry.actor, entry.target_id) == (world.people["admin"], str(stored.pk))

    page = world.client("admin").get(UPLOAD).content.decode()
    assert "batas.geojson" in page
    assert "99.99" in page  # the unknown code is listed for the admin


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
def test_nobody_but_a_program_admin_uploads(world: Any, persona: str, status: int) -> None:
    response = upload(world, geojson(*EVERY_CODE), persona=persona)
    assert response.status_code == status
    if status == 302:
        assert reverse("login") in response["Location"]
    assert not BoundaryFile.objects.exists()
    assert not AuditEntry.objects.filter(action="regions.boundaries.uploaded").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<svg>not json</svg>", "bukan JSON"),
        (b'{"type": "Feature", "properties": {}}', "GeoJSON FeatureCollection atau TopoJSON"),
        (geojson("99.99", "98.98"), "Tidak ada kode"),
        (geojson("64.02", "kota"), "Fitur ke-2"),
        (
            b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
            b'{"kode": "64.02"}, "geometry": {"type": "Polygon", "coordinates": [["a", "b"]]}}]}',
            "Geometri fitur ke-1",
        ),
    ],
)
def test_a_bad_file_gets_a_clear_error_and_changes_nothing(
    world: Any, content: bytes, message: str
) -> None:
    upload(world, geojson(*EVERY_CODE), name="lama.geojson")
    response = upload(world, content, name="baru.geojson")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(BoundaryFile.objects.values_list("original_name", flat=True)) == ["lama.geojson"]
    assert AuditEntry.objects.filter(action="regions.boundaries.uploaded").count() == 1


def test_an_oversized_file_is_refused_on_its_size(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = geojson(*EVERY_CODE)
    monkeypatch.setattr(boundaries, "MAX_BYTES", len(content) - 1)
    response = upload(world, content)
    assert response.status_code == 200
    assert "terlalu besar" in response.content.decode()
    assert not BoundaryFile.objects.exists()


def test_an_empty_post_names_the_missing_file(world: Any) -> None:
    response = world.client("admin").post(UPLOAD, {})
    assert response.status_code == 200
    assert 'data-testid="boundary-error"' in response.content.decode()
    assert not BoundaryFile.objects.exists()


def test_the_public_map_colours_published_results_only(world: Any) -> None:
    upload(world, geojson(*EVERY_CODE))
    spec = map_spec(world.client("anonymous").get(reverse("dashboard:public")))
    assert spec is not None
    assert sorted(drawn_codes(spec)) == sorted(EVERY_CODE)  # every shape, grey or coloured
    shown = coloured(spec)
    assert set(shown) == PUBLISHED  # 31.71's unpublished 4.80 is not on the public map
    assert shown["64.02"] == pytest.approx(3.46)


def test_the_ministry_map_shows_what_its_leaderboard_shows(world: Any) -> None:
    upload(world, topojson(*EVERY_CODE), name="batas.topojson")
    spec = map_spec(world.client("national_viewer").get(reverse("dashboard:national")))
    assert spec is not None
    assert spec["data"]["format"]["type"] == "topojson"
    assert set(coloured(spec)) == PUBLISHED | {"31.71"}


def test_the_map_follows_the_filters(world: Any) -> None:
    upload(world, geojson(*EVERY_CODE))
    east_java = world.evaluation("35.78").region.province.code
    spec = map_spec(
        world.client("anonymous").get(reverse("dashboard:public"), {"province": east_java})
    )
    assert spec is not None
    assert set(coloured(spec)) == {"35.78"}


def test_a_new_file_changes_the_cached_public_board(world: Any) -> None:
    client = world.client("anonymous")
    assert map_spec(client.get(reverse("dashboard:public"))) is None  # cached without a map
    upload(world, geojson("64.02", "33.74"))
    first = map_spec(client.get(reverse("dashboard:public")))
    assert first is not None
    assert sorted(drawn_codes(first)) == ["33.74", "64.02"]
    upload(world, geojson(*EVERY_CODE))
    second = map_spec(client.get(reverse("dashboard:public")))
    assert second is not None
    assert sorted(drawn_codes(second)) == sorted(EVERY_CODE)


def test_a_publication_changes_the_cached_map(world: Any) -> None:
    from cityeval.reports.services import publish_evaluation

    upload(world, geojson(*EVERY_CODE))
    client = world.client("anonymous")
    before = map_spec(client.get(reverse("dashboard:public")))
    assert before is not None
    assert "31.71" not in coloured(before)
    publish_evaluation(evaluation=world.evaluation("31.71"), user=world.people["admin"])
    after = map_spec(client.get(reverse("dashboard:public")))
    assert after is not None
    assert "31.71" in coloured(after)


def test_geometry_is_rounded_and_repeated_points_dropped() -> None:
    ring = [[110.12345, -7.0], [110.12349, -7.0], [111.0, -7.0], [111.0, -6.0], [110.12345, -7.0]]
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"kode": "33.74"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    prepared = boundaries.with_codes(json.dumps(document).encode())
    (kept,) = prepared["features"][0]["geometry"]["coordinates"]
    assert len(kept) == 4  # 110.12345 and 110.12349 are one point at 3 decimals
    assert {x for x, _y in kept} == {110.123, 111.0}


@pytest.mark.parametrize(("persona", "shown"), [("admin", True), ("national_viewer", False)])
def test_the_ministry_dashboard_links_the_upload_page_for_admins_only(
    world: Any, persona: str, shown: bool
) -> None:
    html = world.client(persona).get(reverse("dashboard:national")).content.decode()
    assert ('data-testid="map-admin-link"' in html) is shown
