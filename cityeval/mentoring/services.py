"""The visit's workflows: plan and invite, attendance, minutes, agreed actions, materials.

Each is a typed function with keyword-only arguments, one transaction and one audit entry. Each
checks its actor itself with `access.require_visit_writer`, the rule of the views'
`access.visit_for(..., write=True)` (PermissionDenied, nothing written); what is consistent is
decided here (an OPD of another region, an item of another evaluation, dates out of order are
refused).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from cityeval.accounts.access import Actor
from cityeval.accounts.models import User
from cityeval.audit.log import audited
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.evidence.filetypes import EVIDENCE_TYPES
from cityeval.evidence.models import FieldVisit
from cityeval.evidence.storage import Staged
from cityeval.evidence.uploads import display_name, stage_upload
from cityeval.mentoring.access import require_visit_writer
from cityeval.mentoring.models import (
    AgendaItem,
    AgendaKind,
    AgreedAction,
    AttachedFieldVisit,
    Attendance,
    MinutePoint,
    Visit,
    VisitInvitation,
    VisitMaterial,
)
from cityeval.mentoring.notify import notify_visit_invited
from cityeval.mentoring.queries import expected_people
from cityeval.regions.models import OPD


@dataclass(frozen=True)
class AgendaEntry:
    day: date
    kind: AgendaKind
    title: str


@dataclass(frozen=True)
class VisitPlan:
    title: str
    venue: str
    starts_on: date
    ends_on: date
    agenda: Sequence[AgendaEntry]
    # None: every active OPD of the region (the model case invites them all).
    opds: Sequence[OPD] | None = None
    notes: str = ""
    # Materials sent with the plan: the same checks as an upload on the visit page.
    materials: Sequence[UploadedFile[bytes]] = ()


@dataclass(frozen=True)
class PointData:
    discussion: str
    dimension: str = ""
    item: ItemValue | None = None
    question: str = ""
    answer: str = ""


@dataclass(frozen=True)
class ActionData:
    text: str
    opd: OPD
    due_on: date
    point: MinutePoint | None = None


@dataclass(frozen=True)
class Walkin:
    name: str
    opd: OPD | None
    position: str = ""
    day: date | None = None  # the visit's day (None: its first)


@transaction.atomic
def plan_visit(*, evaluation: Evaluation, user: Actor, plan: VisitPlan) -> Visit:
    """Plan a visit, invite its OPDs and (after commit) notify the invitees."""
    require_visit_writer(user, evaluation)
    region_opds = OPD.objects.of_region(evaluation.region).active()
    opds = list(region_opds) if plan.opds is None else list(plan.opds)
    if not plan.title.strip() or not plan.venue.strip():
        raise WorkflowError(_("Isi judul dan tempat kunjungan."))
    if plan.ends_on < plan.starts_on:
        raise WorkflowError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    for entry in plan.agenda:
        if not plan.starts_on <= entry.day <= plan.ends_on:
            raise WorkflowError(
                _("Acara “%(title)s” berada di luar tanggal kunjungan.") % {"title": entry.title}
            )
    _same_region(evaluation, opds)
    if not opds:
        raise WorkflowError(_("Undang sedikitnya satu perangkat daerah."))
    visit = Visit.objects.create(
        evaluation=evaluation,
        title=plan.title.strip(),
        venue=plan.venue.strip(),
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        notes=plan.notes.strip(),
        planned_by=user,
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(visit=visit, day=e.day, kind=e.kind, title=e.title.strip(), sequence=n)
        for n, e in enumerate(plan.agenda)
    )
    VisitInvitation.objects.bulk_create(VisitInvitation(visit=visit, opd=opd) for opd in opds)
    _audit(
        visit,
        user,
        "mentoring.plan",
        {
            "title": visit.title,
            "venue": visit.venue,
            "starts_on": visit.starts_on,
            "ends_on": visit.ends_on,
            "agenda": [f"{e.day.isoformat()} {e.kind} {e.title}" for e in plan.agenda],
            "opds": sorted(opd.pk for opd in opds),
        },
    )
    _attach_materials(visit, user, plan.materials)  # a refused file refuses the whole plan
    notify_visit_invited(visit)
    return visit


@transaction.atomic
def mark_present(
    *, visit: Visit, user: Actor, person: User, present: bool, day: date | None = None
) -> Attendance | None:
    """Tick (or untick) a registered person of the region on the attendance list of one day of
    the visit (None: its first day)."""
    require_visit_writer(user, visit.evaluation)
    on = _visit_day(visit, day)
    expected = {row.user.pk: row for row in expected_people(visit, on)}
    row = expected.get(person.pk)
    if row is None:
        raise WorkflowError(_("Orang ini tidak termasuk dalam daftar undangan."))
    existing = (
        Attendance.objects.select_for_update(of=("self",))
        .filter(visit=visit, user=person, day=on)
        .order_by()  # the default order joins the OPD: PostgreSQL locks no nullable side
        .first()
    )
    change = {"person": person.pk, "day": on.isoformat()}
    if present and existing is None:
        attendance = Attendance.objects.create(
            visit=visit, day=on, user=person, name=str(person), opd=row.opd, recorded_by=user
        )
        _audit(visit, user, "mentoring.attend", {**change, "present": True})
        return attendance
    if not present and existing is not None:
        existing.delete()
        _audit(visit, user, "mentoring.attend", {**change, "present": False})
    return existing if present else None


def _visit_day(visit: Visit, day: date | None) -> date:
    """The day asked for, if it is one of the visit's (None: the first)."""
    if day is None:
        return visit.starts_on
    if day not in visit.days():
        raise WorkflowError(_("Tanggal ini di luar tanggal kunjungan."))
    return day


@transaction.atomic
def add_walkin(*, visit: Visit, user: Actor, walkin: Walkin) -> Attendance:
    """Record someone present who has no account yet, by name (and OPD, if any)."""
    require_visit_writer(user, visit.evaluation)
    name = " ".join(walkin.name.split())
    if not name:
        raise WorkflowError(_("Isi nama peserta."))
    if walkin.opd is not None:
        _same_region(visit.evaluation, [walkin.opd])
    on = _visit_day(visit, walkin.day)
    attendance = Attendance.objects.create(
        visit=visit,
        day=on,
        name=name[:150],
        position=" ".join(walkin.position.split())[:150],
        opd=walkin.opd,
        recorded_by=user,
    )
    _audit(
        visit,
        user,
        "mentoring.walkin",
        {
            "name": attendance.name,
            "opd": walkin.opd.pk if walkin.opd else None,
            "day": on.isoformat(),
        },
    )
    return attendance


@transaction.atomic
def add_point(*, visit: Visit, user: Actor, data: PointData) -> MinutePoint:
    require_visit_writer(user, visit.evaluation)
    if not data.discussion.strip():
        raise WorkflowError(_("Isi pokok pembahasan."))
    if data.item is not None and data.item.evaluation_id != visit.evaluation_id:
        raise WorkflowError(_("Butir ini bukan bagian dari evaluasi kunjungan ini."))
    sequence = visit.points.count() + 1
    point = MinutePoint.objects.create(
        visit=visit,
        sequence=sequence,
        dimension=data.dimension,
        item=data.item,
        discussion=data.discussion.strip(),
        question=data.question.strip(),
        answer=data.answer.strip(),
        recorded_by=user,
    )
    _audit(
        visit,
        user,
        "mentoring.point",
        {
            "sequence": sequence,
            "dimension": point.dimension,
            "item": point.item_id,
            "discussion": point.discussion,
            "question": point.question,
            "answer": point.answer,
        },
    )
    return point


@transaction.atomic
def agree_action(*, visit: Visit, user: Actor, data: ActionData) -> AgreedAction:
    require_visit_writer(user, visit.evaluation)
    if not data.text.strip():
        raise WorkflowError(_("Isi tindak lanjut yang disepakati."))
    _same_region(visit.evaluation, [data.opd])
    if data.point is not None and data.point.visit_id != visit.pk:
        raise WorkflowError(_("Pokok bahasan ini bukan bagian dari kunjungan ini."))
    action = AgreedAction.objects.create(
        visit=visit,
        point=data.point,
        text=data.text.strip(),
        opd=data.opd,
        due_on=data.due_on,
        recorded_by=user,
    )
    _audit(
        visit,
        user,
        "mentoring.action",
        {"text": action.text, "opd": data.opd.pk, "due_on": data.due_on},
    )
    return action


def add_material(*, visit: Visit, user: Actor, upload: UploadedFile[bytes]) -> VisitMaterial:
    """Attach a material (checked by content like evidence) to the visit."""
    require_visit_writer(user, visit.evaluation)
    (material,) = _attach_materials(visit, user, [upload])
    return material


def _attach_materials(
    visit: Visit, user: Actor, uploads: Sequence[UploadedFile[bytes]]
) -> list[VisitMaterial]:
    """The one way a material reaches a visit (its page's upload, the plan form): each file is
    checked by size and content like evidence, stored, given its row and audited; all or none
    (a refused file raises WorkflowError and keeps no file). The caller checked the rights."""
    staged_files: list[Staged] = []
    try:
        checked = []
        for upload in uploads:
            kind, staged = stage_upload(upload, EVIDENCE_TYPES)
            staged_files.append(staged)
            checked.append((display_name(upload.name), kind, staged))
        materials = []
        with transaction.atomic():
            for name, kind, staged in checked:
                materials.append(
                    VisitMaterial.objects.create(
                        visit=visit,
                        original_name=name,
                        stored_path=staged.stored_path,
                        content_type=kind.content_type,
                        size=staged.size,
                        sha256=staged.sha256,
                        uploaded_by=user,
                    )
                )
                _audit(
                    visit,
                    user,
                    "mentoring.material",
                    {"name": name, "sha256": staged.sha256, "size": staged.size},
                )
            for staged in staged_files:
                staged.commit()
    except BaseException:
        for staged in staged_files:
            staged.discard()
        raise
    return materials


@transaction.atomic
def attach_field_visit(*, visit: Visit, user: Actor, field_visit: FieldVisit) -> None:
    require_visit_writer(user, visit.evaluation)
    if field_visit.evaluation_id != visit.evaluation_id:
        raise WorkflowError(_("Peninjauan lapangan ini bukan bagian dari evaluasi kunjungan ini."))
    if AttachedFieldVisit.objects.filter(field_visit=field_visit).exists():
        raise WorkflowError(_("Peninjauan lapangan ini sudah terlampir pada sebuah kunjungan."))
    AttachedFieldVisit.objects.create(visit=visit, field_visit=field_visit)
    _audit(visit, user, "mentoring.field_visit", {"field_visit": field_visit.pk})


def _same_region(evaluation: Evaluation, opds: Sequence[OPD]) -> None:
    foreign = [opd for opd in opds if opd.region_id != evaluation.region_id]
    if foreign:
        raise WorkflowError(
            _("Perangkat daerah %(name)s bukan bagian dari daerah ini.") % {"name": foreign[0]}
        )


def _audit(visit: Visit, user: Actor, action: str, after: dict[str, Any]) -> None:
    audited(actor=user, action=action, target=visit, after=after)
