"""Field visit and interview workflows of the assessor team.

Each is a typed function with keyword-only arguments, one transaction and one audit entry.
Who may call them is decided by `access.visits_evaluation_for(..., write=True)`; when is
decided here: only while the evaluation is in review, clarification or field visit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityeval.accounts.access import Actor
from cityeval.audit.log import Changes, audited
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import Evaluation, EvaluationStatus, ItemValue
from cityeval.evidence.filetypes import IMAGE_TYPES
from cityeval.evidence.models import FieldVisit, FieldVisitPhoto, VisitKind
from cityeval.evidence.uploads import display_name, stage_upload
from cityeval.masterplans.models import Program

# What an entry about a visit record says (the photos have entries of their own).
VISIT_FIELDS = [
    "kind",
    "date",
    "place",
    "latitude",
    "longitude",
    "accuracy_m",
    "participants",
    "findings",
    "items",
    "programs",
]

VISIT_STATES = (
    EvaluationStatus.DOCUMENT_REVIEW,
    EvaluationStatus.CLARIFICATION,
    EvaluationStatus.FIELD_VISIT,
)


@dataclass(frozen=True)
class VisitData:
    kind: VisitKind
    date: date
    place: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    accuracy_m: Decimal | None = None
    participants: str = ""
    findings: str = ""
    items: Sequence[ItemValue] = field(default_factory=tuple)
    programs: Sequence[Program] = field(default_factory=tuple)


class StaleVisitError(WorkflowError):
    """Someone saved the visit after this person opened it; nothing was overwritten."""

    def __init__(self, visit: FieldVisit) -> None:
        self.current = visit
        super().__init__(
            _(
                "Catatan kunjungan ini sudah diubah oleh %(who)s sejak Anda membukanya. Isian "
                "Anda belum disimpan: bandingkan dengan versi terbaru di bawah, lalu simpan lagi."
            )
            % {"who": visit.updated_by or _("orang lain")}
        )


def coordinates_problem(
    latitude: Decimal | None, longitude: Decimal | None, accuracy_m: Decimal | None
) -> str:
    """What is wrong with a position ('' when nothing is)."""
    if (latitude is None) != (longitude is None):
        return _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya.")
    if latitude is not None and not Decimal(-90) <= latitude <= Decimal(90):
        return _("Lintang harus di antara -90 dan 90.")
    if longitude is not None and not Decimal(-180) <= longitude <= Decimal(180):
        return _("Bujur harus di antara -180 dan 180.")
    if accuracy_m is not None and not Decimal(0) <= accuracy_m <= Decimal(100_000):
        return _("Akurasi harus di antara 0 dan 100.000 meter.")
    return ""


@transaction.atomic
def record_field_visit(*, evaluation: Evaluation, user: Actor, data: VisitData) -> FieldVisit:
    locked = _open_evaluation(evaluation)
    _check(data, locked)
    visit = FieldVisit(evaluation=locked, recorded_by=user, updated_by=user)
    _apply(visit, data)
    visit.save()
    visit.items.set(data.items)
    visit.programs.set(data.programs)
    changes = Changes(visit, VISIT_FIELDS, created=True)
    audited(actor=user, action="field_visit.record", target=visit, changes=changes)
    return visit


@transaction.atomic
def update_field_visit(
    *, visit: FieldVisit, user: Actor, data: VisitData, expected_version: int
) -> FieldVisit:
    # `of`: PostgreSQL cannot lock the nullable side of the join to `updated_by`.
    rows = FieldVisit.objects.select_for_update(of=("self",)).select_related("updated_by")
    locked = rows.get(pk=visit.pk)
    evaluation = _open_evaluation(locked.evaluation)
    if locked.version != expected_version:
        raise StaleVisitError(locked)
    _check(data, evaluation)
    changes = Changes(locked, VISIT_FIELDS)
    _apply(locked, data)
    locked.version += 1
    locked.updated_by = user
    locked.save()
    locked.items.set(data.items)
    locked.programs.set(data.programs)
    audited(actor=user, action="field_visit.update", target=locked, changes=changes)
    return locked


def add_visit_photo(
    *, visit: FieldVisit, user: Actor, upload: UploadedFile[bytes], caption: str
) -> FieldVisitPhoto:
    """Attach a photo (JPEG, PNG or WebP, checked by content) to a visit."""
    _open_evaluation(visit.evaluation, lock=False)  # refuse before writing the file
    kind, staged = stage_upload(upload, IMAGE_TYPES)
    name = display_name(upload.name)
    try:
        with transaction.atomic():
            locked = FieldVisit.objects.select_for_update(of=("self",)).get(pk=visit.pk)
            _open_evaluation(locked.evaluation)
            if locked.photos.current().filter(sha256=staged.sha256).exists():
                raise WorkflowError(
                    _("Foto “%(name)s” sudah ada pada kunjungan ini.") % {"name": name}
                )
            photo = FieldVisitPhoto.objects.create(
                visit=locked,
                original_name=name,
                stored_path=staged.stored_path,
                content_type=kind.content_type,
                size=staged.size,
                sha256=staged.sha256,
                caption=caption.strip()[:300],
                uploaded_by=user,
            )
            audited(actor=user, action="field_visit.photo_add", target=locked, after=_photo(photo))
            staged.commit()
    except BaseException:
        staged.discard()
        raise
    return photo


@transaction.atomic
def remove_visit_photo(*, photo: FieldVisitPhoto, user: Actor) -> FieldVisitPhoto:
    rows = FieldVisitPhoto.objects.select_for_update(of=("self",)).select_related("visit")
    locked = rows.get(pk=photo.pk)
    _open_evaluation(locked.visit.evaluation)
    if locked.removed_at is not None:
        raise WorkflowError(_("Foto ini sudah dihapus."))
    locked.removed_at = timezone.now()
    locked.removed_by = user
    locked.save(update_fields=["removed_at", "removed_by"])
    audited(
        actor=user,
        action="field_visit.photo_remove",
        target=locked.visit,
        before={"removed_at": None},
        after=_photo(locked),
    )
    return locked


def _open_evaluation(evaluation: Evaluation, *, lock: bool = True) -> Evaluation:
    """The evaluation re-read (under a lock) if visits may be written now; WorkflowError if not."""
    rows = Evaluation.objects.select_for_update(of=("self",)) if lock else Evaluation.objects.all()
    current = rows.get(pk=evaluation.pk)
    status = EvaluationStatus(current.status)
    if status not in VISIT_STATES:
        raise WorkflowError(
            _(
                "Catatan wawancara dan peninjauan lapangan hanya dapat diubah selama reviu "
                "dokumen, klarifikasi, atau peninjauan lapangan; evaluasi ini berstatus "
                "“%(status)s”."
            )
            % {"status": status.label}
        )
    return current


def _check(data: VisitData, evaluation: Evaluation) -> None:
    if not data.place.strip():
        raise WorkflowError(_("Isi nama tempat."))
    problem = coordinates_problem(data.latitude, data.longitude, data.accuracy_m)
    if problem:
        raise WorkflowError(problem)
    if any(item.evaluation_id != evaluation.pk for item in data.items):
        raise WorkflowError(_("Butir yang dipilih harus butir evaluasi ini."))
    region_ids = {p.masterplan.region_id for p in data.programs}
    if region_ids - {evaluation.region_id}:
        raise WorkflowError(_("Program yang dipilih harus program masterplan daerah ini."))


def _apply(visit: FieldVisit, data: VisitData) -> None:
    visit.kind = data.kind
    visit.date = data.date
    visit.place = data.place.strip()
    visit.latitude = data.latitude
    visit.longitude = data.longitude
    visit.accuracy_m = data.accuracy_m
    visit.participants = data.participants.strip()
    visit.findings = data.findings.strip()


def _photo(photo: FieldVisitPhoto) -> dict[str, Any]:
    return {
        "photo": photo.pk,
        "name": photo.original_name,
        "size": photo.size,
        "sha256": photo.sha256,
        "caption": photo.caption,
    }
