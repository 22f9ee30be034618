"""Field visits and interviews: who, when, stale edits, positions and photos."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import EvaluationStatus, ItemValue
from cityeval.evidence.models import FieldVisit, FieldVisitPhoto, VisitKind
from cityeval.evidence.visit_services import (
    StaleVisitError,
    VisitData,
    add_visit_photo,
    record_field_visit,
    remove_visit_photo,
    update_field_visit,
)
from tests.evidence.conftest import PDF_BYTES, PNG_BYTES, upload
from tests.world import TeamWorld as World

READ = {
    "admin": 200,
    "lead": 200,
    "member": 200,
    "stranger_assessor": 404,
    "coordinator": 200,
    "other_coordinator": 404,
    "contributor": 404,
    "roads_contributor": 404,
    "other_contributor": 404,
    "viewer": 200,
    "national_viewer": 200,
    "anonymous": 302,
}
WRITE = {
    **READ,
    "coordinator": 403,
    "viewer": 403,
    "national_viewer": 403,
}


def data(world: World, **changes: Any) -> VisitData:
    values: dict[str, Any] = {
        "kind": VisitKind.FIELD_VISIT,
        "date": date(2024, 5, 14),
        "place": "Mal Pelayanan Publik Tenggarong",
        "latitude": Decimal("-0.423456"),
        "longitude": Decimal("116.987654"),
        "accuracy_m": Decimal("12.5"),
        "participants": "Kepala Diskominfo\nKepala DPMPTSP",
        "findings": "Layanan perizinan daring berjalan.",
        "items": list(ItemValue.objects.filter(evaluation=world.evaluation).order_by("id")[:2]),
    }
    values.update(changes)
    return VisitData(**values)


def visit_in_progress(world: World) -> FieldVisit:
    world.set_status(EvaluationStatus.FIELD_VISIT)
    return record_field_visit(
        evaluation=world.evaluation, user=world.people["lead"], data=data(world)
    )


def form(world: World, **changes: Any) -> dict[str, Any]:
    item = ItemValue.objects.filter(evaluation=world.evaluation).order_by("id").first()
    assert item is not None
    values: dict[str, Any] = {
        "kind": "interview",
        "date": "2024-05-15",
        "place": "Ruang rapat Diskominfo",
        "latitude": "-0.42345678912",
        "longitude": "116.98765432",
        "accuracy_m": "8.25",
        "participants": "Kepala Diskominfo",
        "findings": "Dasbor command center berjalan.",
        "items": [str(item.pk)],
        "photo_caption": "Ruang command center",
    }
    values.update(changes)
    return values


@pytest.mark.parametrize(
    ("url_name", "table"),
    [
        ("visits", READ),
        ("visit_new", WRITE),
        ("visit", READ),
        ("visit_edit", WRITE),
        ("photo", READ),
    ],
)
@pytest.mark.parametrize("persona", list(READ))
def test_who_reaches_which_visit_page(
    world: World, url_name: str, table: dict[str, int], persona: str
) -> None:
    visit = visit_in_progress(world)
    photo = add_visit_photo(
        visit=visit, user=world.people["lead"], upload=upload("f.png", PNG_BYTES), caption=""
    )
    target = {
        "visits": world.evaluation.pk,
        "visit_new": world.evaluation.pk,
        "visit": visit.pk,
        "visit_edit": visit.pk,
        "photo": photo.pk,
    }[url_name]
    response = world.client(persona).get(reverse(f"evidence:{url_name}", args=[target]))
    assert response.status_code == table[persona]
    if persona == "anonymous":
        assert "/login/" in response["Location"]


@pytest.mark.parametrize("persona", list(WRITE))
def test_who_records_a_visit(world: World, persona: str) -> None:
    world.set_status(EvaluationStatus.FIELD_VISIT)
    response = world.client(persona).post(
        reverse("evidence:visit_new", args=[world.evaluation.pk]), form(world)
    )
    expected = {200: 302}.get(WRITE[persona], WRITE[persona])
    assert response.status_code == expected
    assert FieldVisit.objects.exists() == (WRITE[persona] == 200)


def test_a_visit_recorded_from_a_phone_keeps_position_items_and_photo(
    world: World, media: Path
) -> None:
    world.set_status(EvaluationStatus.DOCUMENT_REVIEW)
    values = form(world, kind="field_visit")
    values["photos"] = [upload("IMG_0001.png", PNG_BYTES)]
    response = world.client("member").post(
        reverse("evidence:visit_new", args=[world.evaluation.pk]), values
    )
    visit = FieldVisit.objects.get()
    assert response["Location"] == visit.get_absolute_url()
    assert visit.kind == VisitKind.FIELD_VISIT
    assert visit.date == date(2024, 5, 15)
    # A phone gives many decimals: kept to a micro-degree, not refused.
    assert visit.latitude == Decimal("-0.423457")
    assert visit.longitude == Decimal("116.987654")
    assert visit.accuracy_m == Decimal("8.3")
    assert visit.geo_uri == "geo:-0.423457,116.987654;u=8.3"
    assert [i.pk for i in visit.items.all()] == [int(values["items"][0])]
    photo = FieldVisitPhoto.objects.get()
    assert photo.caption == "Ruang command center"
    assert photo.content_type == "image/png"
    assert visit.recorded_by == world.people["member"]
    assert AuditEntry.objects.filter(action="field_visit.record", target_id=str(visit.pk)).exists()
    page = world.client("viewer").get(visit.get_absolute_url()).content.decode()
    assert 'href="geo:-0.423457,116.987654;u=8.3"' in page
    assert "Dasbor command center berjalan." in page


@pytest.mark.parametrize(
    ("latitude", "longitude", "accuracy", "message"),
    [
        ("91", "116", "", "Lintang harus di antara -90 dan 90"),
        ("-90.5", "116", "", "Lintang harus di antara -90 dan 90"),
        ("0", "180.1", "", "Bujur harus di antara -180 dan 180"),
        ("0", "", "", "Isi lintang dan bujur bersama-sama"),
        ("0", "0", "-1", "Akurasi harus di antara 0"),
        ("utara", "116", "", "Tulis angka desimal dengan titik"),
    ],
)
def test_it_refuses_an_impossible_position(
    world: World, latitude: str, longitude: str, accuracy: str, message: str
) -> None:
    world.set_status(EvaluationStatus.FIELD_VISIT)
    response = world.client("lead").post(
        reverse("evidence:visit_new", args=[world.evaluation.pk]),
        form(world, latitude=latitude, longitude=longitude, accuracy_m=accuracy),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FieldVisit.objects.exists()


def test_the_service_refuses_an_impossible_position_too(world: World) -> None:
    world.set_status(EvaluationStatus.FIELD_VISIT)
    with pytest.raises(WorkflowError, match="Lintang harus"):
        record_field_visit(
            evaluation=world.evaluation,
            user=world.people["lead"],
            data=data(world, latitude=Decimal(95)),
        )
    assert not FieldVisit.objects.exists()


@pytest.mark.parametrize(
    "status",
    [
        EvaluationStatus.SELF_ASSESSMENT,
        EvaluationStatus.SUBMITTED,
        EvaluationStatus.FINALISED,
        EvaluationStatus.PUBLISHED,
    ],
)
def test_it_refuses_visits_outside_review_and_field_visit(
    world: World, status: EvaluationStatus
) -> None:
    world.set_status(status)
    with pytest.raises(WorkflowError, match="hanya dapat diubah selama reviu dokumen"):
        record_field_visit(evaluation=world.evaluation, user=world.people["lead"], data=data(world))
    response = world.client("lead").post(
        reverse("evidence:visit_new", args=[world.evaluation.pk]), form(world)
    )
    assert "hanya dapat diubah selama reviu dokumen" in response.content.decode()
    assert not FieldVisit.objects.exists()


def test_a_finalised_evaluation_keeps_its_visits_read_only(world: World, media: Path) -> None:
    visit = visit_in_progress(world)
    photo = add_visit_photo(
        visit=visit, user=world.people["lead"], upload=upload("f.png", PNG_BYTES), caption=""
    )
    world.set_status(EvaluationStatus.FINALISED)
    with pytest.raises(WorkflowError, match="berstatus “Final”"):
        update_field_visit(
            visit=visit, user=world.people["lead"], data=data(world), expected_version=1
        )
    with pytest.raises(WorkflowError, match="berstatus “Final”"):
        add_visit_photo(
            visit=visit, user=world.people["lead"], upload=upload("g.png", PNG_BYTES), caption=""
        )
    with pytest.raises(WorkflowError, match="berstatus “Final”"):
        remove_visit_photo(photo=photo, user=world.people["lead"])
    assert FieldVisitPhoto.objects.current().count() == 1
    assert world.client("viewer").get(visit.get_absolute_url()).status_code == 200


def test_a_stale_edit_is_refused_and_the_typed_text_kept(world: World) -> None:
    visit = visit_in_progress(world)
    update_field_visit(
        visit=visit,
        user=world.people["member"],
        data=data(world, findings="Temuan anggota tim."),
        expected_version=1,
    )
    with pytest.raises(StaleVisitError):
        update_field_visit(
            visit=visit,
            user=world.people["lead"],
            data=data(world, findings="Temuan ketua."),
            expected_version=1,
        )
    visit.refresh_from_db()
    assert visit.findings == "Temuan anggota tim."
    assert visit.version == 2
    response = world.client("lead").post(
        reverse("evidence:visit_edit", args=[visit.pk]),
        form(world, findings="Temuan ketua.", version="1"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "sudah diubah oleh member" in page
    assert "Temuan ketua." in page  # what the lead typed is still in the form
    assert "Temuan anggota tim." in page  # beside the newer saved text
    assert 'name="version" value="2"' in page
    visit.refresh_from_db()
    assert visit.findings == "Temuan anggota tim."


def test_an_edit_is_audited_with_before_and_after(world: World) -> None:
    visit = visit_in_progress(world)
    response = world.client("lead").post(
        reverse("evidence:visit_edit", args=[visit.pk]),
        form(world, place="Command Center Tenggarong", version="1"),
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.place == "Command Center Tenggarong"
    assert visit.version == 2
    entry = AuditEntry.objects.get(action="field_visit.update")
    assert entry.before is not None
    assert entry.before["place"] == "Mal Pelayanan Publik Tenggarong"
    assert entry.after is not None
    assert entry.after["place"] == "Command Center Tenggarong"


def test_it_refuses_items_of_another_evaluation(world: World) -> None:
    world.set_status(EvaluationStatus.FIELD_VISIT)
    foreign = list(ItemValue.objects.filter(evaluation=world.other)[:1])
    with pytest.raises(WorkflowError, match="butir evaluasi ini"):
        record_field_visit(
            evaluation=world.evaluation, user=world.people["lead"], data=data(world, items=foreign)
        )
    response = world.client("lead").post(
        reverse("evidence:visit_new", args=[world.evaluation.pk]),
        form(world, items=[str(foreign[0].pk)]),
    )
    assert response.status_code == 200
    assert not FieldVisit.objects.exists()


def test_photos_are_checked_by_content_deduplicated_and_removed_softly(
    world: World, media: Path
) -> None:
    visit = visit_in_progress(world)
    lead = world.people["lead"]
    with pytest.raises(WorkflowError, match="tidak diterima"):
        add_visit_photo(visit=visit, user=lead, upload=upload("dokumen.pdf", PDF_BYTES), caption="")
    with pytest.raises(WorkflowError, match="bukan PNG"):
        add_visit_photo(visit=visit, user=lead, upload=upload("foto.png", PDF_BYTES), caption="")
    photo = add_visit_photo(
        visit=visit, user=lead, upload=upload("foto.png", PNG_BYTES), caption="Depan MPP"
    )
    with pytest.raises(WorkflowError, match="sudah ada"):
        add_visit_photo(visit=visit, user=lead, upload=upload("lagi.png", PNG_BYTES), caption="")
    response = world.client("member").post(reverse("evidence:photo_remove", args=[photo.pk]))
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.removed_at is not None
    actions = list(
        AuditEntry.objects.filter(target_id=str(visit.pk)).values_list("action", flat=True)
    )
    assert actions.count("field_visit.photo_add") == 1
    assert actions.count("field_visit.photo_remove") == 1
    response = world.client("viewer").get(reverse("evidence:photo", args=[photo.pk]))
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_reader_cannot_remove_or_add_photos(world: World) -> None:
    visit = visit_in_progress(world)
    photo = add_visit_photo(
        visit=visit, user=world.people["lead"], upload=upload("f.png", PNG_BYTES), caption=""
    )
    viewer = world.client("coordinator")
    assert viewer.post(reverse("evidence:photo_remove", args=[photo.pk])).status_code == 403
    response = viewer.post(
        reverse("evidence:photo_add", args=[visit.pk]), {"photos": [upload("g.png", PNG_BYTES)]}
    )
    assert response.status_code == 403
    assert FieldVisitPhoto.objects.current().count() == 1
    contributor = world.client("contributor")
    assert contributor.post(reverse("evidence:photo_remove", args=[photo.pk])).status_code == 404


def test_the_form_is_made_for_a_phone(world: World) -> None:
    world.set_status(EvaluationStatus.FIELD_VISIT)
    page = (
        world.client("lead")
        .get(reverse("evidence:visit_new", args=[world.evaluation.pk]))
        .content.decode()
    )
    assert 'type="date"' in page
    assert 'accept="image/*"' in page
    assert 'capture="environment"' in page
    assert "Gunakan lokasi saya" in page
    assert 'inputmode="decimal"' in page
    assert "<details" in page
    assert 'name="items"' in page
