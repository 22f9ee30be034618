"""The evidence panel, uploads through the page, and the permission-checked download."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from cityeval.evaluations.models import EvaluationStatus
from cityeval.evidence.models import Evidence
from cityeval.evidence.services import add_file_evidence, add_link_evidence
from tests.evidence.conftest import PDF_BYTES, PNG_BYTES, upload
from tests.world import TeamWorld as World

# Who gets what for evidence on an item of the health OPD (Kutai Kartanegara).
READ = {
    "admin": 200,
    "lead": 200,
    "member": 200,
    "stranger_assessor": 404,
    "coordinator": 200,
    "other_coordinator": 404,
    "contributor": 200,
    "roads_contributor": 404,
    "other_contributor": 404,
    "viewer": 200,
    "national_viewer": 200,
    "anonymous": 302,
}
# Adding answers with a redirect back to the item when allowed; viewers and assessors lack FILL.
WRITE = {
    "admin": 403,
    "lead": 403,
    "member": 403,
    "stranger_assessor": 404,
    "coordinator": 302,
    "other_coordinator": 404,
    "contributor": 302,
    "roads_contributor": 404,
    "other_contributor": 404,
    "viewer": 403,
    "national_viewer": 403,
    "anonymous": 302,
}


def stored_pdf(world: World) -> Evidence:
    return add_file_evidence(
        item=world.item(),
        user=world.people["contributor"],
        upload=upload("perbup.pdf", PDF_BYTES),
        description="",
    )


@pytest.mark.parametrize(("persona", "status"), READ.items())
def test_download_follows_the_items_visibility(world: World, persona: str, status: int) -> None:
    evidence = stored_pdf(world)
    response = world.client(persona).get(reverse("evidence:download", args=[evidence.pk]))
    assert response.status_code == status
    if status == 302:
        assert "/login/" in response["Location"]
    if status == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]


@pytest.mark.parametrize(("persona", "status"), WRITE.items())
def test_only_people_who_may_fill_the_item_add_files(
    world: World, persona: str, status: int
) -> None:
    item = world.item()
    response = world.client(persona).post(
        reverse("evidence:add_files", args=[item.pk]),
        {"uploads": [upload("perbup.pdf", PDF_BYTES)]},
    )
    assert response.status_code == status
    added = Evidence.objects.filter(item=item).count()
    if persona == "anonymous":
        assert "/login/" in response["Location"]
    assert added == (1 if persona in ("coordinator", "contributor") else 0)


@pytest.mark.parametrize(("persona", "status"), WRITE.items())
def test_only_people_who_may_fill_the_item_add_links(
    world: World, persona: str, status: int
) -> None:
    item = world.item()
    response = world.client(persona).post(
        reverse("evidence:add_link", args=[item.pk]),
        {"url": "https://kukarkab.go.id/", "description": ""},
    )
    assert response.status_code == status
    assert Evidence.objects.filter(item=item).count() == (
        1 if persona in ("coordinator", "contributor") else 0
    )


@pytest.mark.parametrize(("persona", "status"), WRITE.items())
def test_only_people_who_may_fill_the_item_remove(world: World, persona: str, status: int) -> None:
    evidence = stored_pdf(world)
    response = world.client(persona).post(reverse("evidence:remove", args=[evidence.pk]))
    assert response.status_code == status
    evidence.refresh_from_db()
    assert (evidence.removed_at is not None) == (persona in ("coordinator", "contributor"))


def test_the_download_is_inert_and_named_after_the_original(world: World) -> None:
    evidence = stored_pdf(world)
    response = world.client("viewer").get(
        reverse("evidence:download", args=[evidence.pk]) + "?download=1"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="perbup.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Length"] == str(len(PDF_BYTES))


def test_an_image_opens_inline_in_a_sandbox(world: World) -> None:
    evidence = add_file_evidence(
        item=world.item(),
        user=world.people["contributor"],
        upload=upload("foto kegiatan.png", PNG_BYTES),
        description="",
    )
    response = world.client("lead").get(reverse("evidence:download", args=[evidence.pk]))
    assert response["Content-Disposition"].startswith("inline;")
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PNG_BYTES  # type: ignore[attr-defined]


def test_a_link_has_no_download(world: World) -> None:
    link = add_link_evidence(
        item=world.item(), user=world.people["contributor"], url="https://a.id/", description=""
    )
    assert (
        world.client("contributor").get(reverse("evidence:download", args=[link.pk])).status_code
        == 404
    )


def test_media_is_not_served_at_any_url(world: World) -> None:
    evidence = stored_pdf(world)
    client = world.client("admin")
    assert client.get("/media/" + evidence.stored_path).status_code == 404
    assert client.get("/media-not-served/" + evidence.stored_path).status_code == 404


def test_uploading_several_files_through_the_page(world: World, media: Path) -> None:
    item = world.item()
    response = world.client("contributor").post(
        reverse("evidence:add_files", args=[item.pk]),
        {
            "uploads": [
                upload("perbup.pdf", PDF_BYTES),
                upload("foto.png", PNG_BYTES),
                upload("virus.pdf", PNG_BYTES),
            ],
            "description": "Dokumen pendukung",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "2 berkas ditambahkan" in page
    assert "berkas ini bukan PDF" in page
    names = set(Evidence.objects.filter(item=item).values_list("original_name", flat=True))
    assert names == {"perbup.pdf", "foto.png"}
    evidence = Evidence.objects.get(original_name="perbup.pdf")
    assert evidence.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert evidence.description == "Dokumen pendukung"


def test_an_oversized_upload_is_dropped_while_it_arrives(
    world: World, media: Path, settings: Settings
) -> None:
    settings.EVIDENCE_MAX_BYTES = 64
    item = world.item()
    response = world.client("contributor").post(
        reverse("evidence:add_files", args=[item.pk]),
        {"uploads": [upload("besar.pdf", PDF_BYTES)]},
        follow=True,
    )
    assert "“besar.pdf”: Berkas terlalu besar: paling besar 64" in response.content.decode()
    assert not Evidence.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_the_upload_still_checks_csrf(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["contributor"])
    response = client.post(
        reverse("evidence:add_files", args=[world.item().pk]),
        {"uploads": [upload("p.pdf", PDF_BYTES)]},
    )
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_the_item_page_shows_the_panel_with_forms_for_a_filler(world: World) -> None:
    stored_pdf(world)
    item = world.item()
    page = world.client("contributor").get(
        reverse("evaluations:item", args=[world.evaluation.pk, item.pk])
    )
    html = page.content.decode()
    assert 'data-testid="evidence-panel"' in html
    assert "perbup.pdf" in html
    assert 'data-testid="evidence-upload"' in html
    assert reverse("evidence:remove", args=[Evidence.objects.get().pk]) in html


def test_the_item_page_shows_evidence_without_forms_to_a_reader(world: World) -> None:
    stored_pdf(world)
    item = world.item()
    html = (
        world.client("viewer")
        .get(reverse("evaluations:item", args=[world.evaluation.pk, item.pk]))
        .content.decode()
    )
    assert "perbup.pdf" in html
    assert 'data-testid="evidence-upload"' not in html
    assert "/remove/" not in html


def test_after_submission_the_panel_says_why_and_refuses(world: World) -> None:
    stored_pdf(world)
    item = world.item()
    world.set_status(EvaluationStatus.SUBMITTED)
    client = world.client("contributor")
    html = client.get(
        reverse("evaluations:item", args=[world.evaluation.pk, item.pk])
    ).content.decode()
    assert 'data-testid="evidence-upload"' not in html
    assert "Bukti dukung tidak dapat diubah." in html
    response = client.post(
        reverse("evidence:add_files", args=[item.pk]),
        {"uploads": [upload("f.png", PNG_BYTES)]},
        follow=True,
    )
    assert "Terkunci: evaluasi berstatus" in response.content.decode()
    assert Evidence.objects.count() == 1


def test_the_overview_links_to_field_visits_for_readers_only(world: World) -> None:
    url = reverse("evaluations:overview", args=[world.evaluation.pk])
    visits = reverse("evidence:visits", args=[world.evaluation.pk])
    assert visits in world.client("lead").get(url).content.decode()
    assert visits in world.client("viewer").get(url).content.decode()
    assert visits not in world.client("contributor").get(url).content.decode()
