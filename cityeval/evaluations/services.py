"""Workflow services of the self-assessment: open a cycle, assign items, fill, submit.

Each is a typed function with keyword-only arguments that runs in one transaction and writes
audit entries. Review, field visit and finalisation services live in their own apps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cityeval.accounts.access import Actor, require_admin
from cityeval.audit.log import Changes, audited
from cityeval.evaluations.access import Can, item_lock_reason, require_can
from cityeval.evaluations.errors import StaleEditError, WorkflowError
from cityeval.evaluations.models import (
    AssessorAssignment,
    Cycle,
    Evaluation,
    EvaluationStatus,
    ItemValue,
    Round,
)
from cityeval.evaluations.notify import notify_assigned, notify_submitted
from cityeval.evaluations.programs import sync_program_items
from cityeval.evaluations.values import check_value
from cityeval.evaluations.workflow import move
from cityeval.frameworks.models import FrameworkNode, FrameworkVersion
from cityeval.regions.models import OPD, Region


@dataclass(frozen=True)
class Deadlines:
    self_assessment: date | None = None
    review: date | None = None
    field_visit: date | None = None
    finalisation: date | None = None


@transaction.atomic
def open_cycle(
    *,
    year: int,
    round: Round,
    framework_version: FrameworkVersion,
    regions: Sequence[Region],
    deadlines: Deadlines,
    user: Actor,
) -> Cycle:
    """Open a cycle and create every participating region's evaluation with empty items."""
    require_admin(user)
    if not regions:
        raise WorkflowError(_("Pilih setidaknya satu daerah peserta."))
    if Cycle.objects.filter(program=framework_version.code, year=year, round=round).exists():
        raise WorkflowError(
            _("Siklus %(program)s %(year)s %(round)s sudah ada.")
            % {"program": framework_version.code, "year": year, "round": Round(round).label}
        )
    cycle = Cycle.objects.create(
        year=year,
        round=round,
        framework_version=framework_version,
        self_assessment_deadline=deadlines.self_assessment,
        review_deadline=deadlines.review,
        field_visit_deadline=deadlines.field_visit,
        finalisation_deadline=deadlines.finalisation,
    )
    evaluations = Evaluation.objects.bulk_create(
        [Evaluation(cycle=cycle, region=region) for region in regions]
    )
    indicators = list(
        FrameworkNode.objects.filter(version=framework_version)
        .exclude(kind="group")
        .values_list("pk", flat=True)
    )
    ItemValue.objects.bulk_create(
        [
            ItemValue(evaluation=evaluation, indicator_id=indicator)
            for evaluation in evaluations
            for indicator in indicators
        ],
        batch_size=5000,
    )
    audited(
        actor=user,
        action="cycle.open",
        target=cycle,
        after={
            "year": year,
            "round": round,
            "framework": framework_version.ref,
            "regions": [region.code for region in regions],
        },
    )
    return cycle


@transaction.atomic
def assign_items(
    *, evaluation: Evaluation, items: Iterable[ItemValue], opd: OPD | None, user: Actor
) -> int:
    """Assign items to one of the region's OPDs (or clear the assignment with None)."""
    require_can(user, evaluation, Can.COORDINATE)
    if opd is not None and opd.region_id != evaluation.region_id:
        raise WorkflowError(_("Perangkat daerah itu bukan milik daerah ini."))
    if evaluation.status not in (EvaluationStatus.SELF_ASSESSMENT, EvaluationStatus.CLARIFICATION):
        raise WorkflowError(_("Penugasan hanya dapat diubah selama penilaian mandiri."))
    changed = 0
    for item in items:
        if item.evaluation_id != evaluation.pk or item.opd_id == (opd.pk if opd else None):
            continue
        changes = Changes(item, ["opd"])
        item.opd = opd
        item.version += 1
        item.save(update_fields=["opd", "version", "updated_at"])
        item.evaluation = evaluation  # checked above; its audit scope needs no query then
        audited(actor=user, action="item.assign", target=item, changes=changes)
        changed += 1
    if opd is not None and changed:
        notify_assigned(evaluation, opd, changed)
    return changed


@transaction.atomic
def save_self_assessment(
    *,
    item: ItemValue,
    user: Actor,
    value: Decimal | None,
    narrative: str,
    expected_version: int,
) -> ItemValue:
    """Save a region's value and narrative for one item, refusing a stale or locked edit."""
    locked = (
        ItemValue.objects.select_for_update(of=("self",))
        .select_related("evaluation__cycle", "indicator", "updated_by")
        .get(pk=item.pk)
    )
    evaluation = locked.evaluation
    reason = item_lock_reason(user, locked, evaluation)
    if reason:
        raise WorkflowError(reason)
    if locked.version != expected_version:
        raise StaleEditError(locked, user)
    if locked.indicator.data_source == "programs":
        raise WorkflowError(
            _("Nilai butir ini dihitung dari daftar program masterplan, bukan diisi langsung.")
        )
    problem = check_value(locked.indicator, value)
    if problem:
        raise WorkflowError(problem)
    changes = Changes(locked, ["self_value", "narrative"])
    if changes.before == {"self_value": value, "narrative": narrative}:
        return locked  # saving an unchanged form is not a change
    locked.self_value = value
    locked.narrative = narrative
    locked.version += 1
    locked.updated_by = user
    locked.save(update_fields=["self_value", "narrative", "version", "updated_by", "updated_at"])
    audited(actor=user, action="item.self_assessment", target=locked, changes=changes)
    return locked


@transaction.atomic
def submit_evaluation(*, evaluation: Evaluation, user: Actor) -> Evaluation:
    """The coordinator hands the self-assessment to the assessors; entry locks.

    Items computed from the masterplan registry are refreshed first, so the submitted values are
    the registry's at the moment of submission.
    """
    require_can(user, evaluation, Can.COORDINATE)
    sync_program_items(evaluation=evaluation, user=user)
    missing = ItemValue.objects.filter(evaluation=evaluation, self_value__isnull=True).count()
    moved = move(
        evaluation=evaluation,
        to=EvaluationStatus.SUBMITTED,
        user=user,
        extra={"missing_items": missing},
    )
    notify_submitted(moved)
    return moved


@transaction.atomic
def assign_assessor(
    *, cycle: Cycle, region: Region, assessor: Any, is_lead: bool, user: Actor
) -> AssessorAssignment:
    """Put an assessor on a region's team; a new lead replaces the old one, who stays a member."""
    require_admin(user)
    replaced = None
    if is_lead:
        previous = AssessorAssignment.objects.filter(cycle=cycle, region=region, is_lead=True)
        replaced = previous.exclude(user=assessor).values_list("user_id", flat=True).first()
        previous.update(is_lead=False)
    assignment, _created = AssessorAssignment.objects.update_or_create(
        cycle=cycle, region=region, user=assessor, defaults={"is_lead": is_lead}
    )
    audited(
        actor=user,
        action="cycle.assign_assessor",
        target=assignment,
        before={"lead": replaced} if replaced is not None else None,
        after={"assessor": assessor.pk, "region": region.code, "is_lead": is_lead},
    )
    return assignment


@transaction.atomic
def grant_entry_exception(
    *, evaluation: Evaluation, until: date | None, reason: str, user: Actor
) -> Evaluation:
    """Let one region enter data after the cycle's deadline (None removes the exception)."""
    require_admin(user)
    if until is not None and not reason.strip():
        raise WorkflowError(_("Tuliskan alasan pengecualian batas waktu."))
    changes = Changes(evaluation, ["entry_deadline_override"])
    evaluation.entry_deadline_override = until
    evaluation.save(update_fields=["entry_deadline_override", "updated_at"])
    audited(
        actor=user,
        action="evaluation.entry_exception",
        target=evaluation,
        changes=changes,
        note=reason,
    )
    return evaluation


@dataclass(frozen=True)
class WorkbookRow:
    """One change read from an offline workbook, as `save_self_assessment` takes it."""

    item_id: int
    code: str
    value: Decimal | None
    narrative: str
    expected_version: int


@transaction.atomic
def save_workbook_rows(
    *, evaluation: Evaluation, user: Actor, rows: Sequence[WorkbookRow], filename: str
) -> int:
    """Write the confirmed changes of an uploaded workbook: all of them, or none.

    Each row goes through `save_self_assessment`, the service behind the item page, so the locks,
    the version check and the audit entries are the same; one more entry records the import.
    A row that became stale or locked since the preview rolls everything back. The person must
    fill this evaluation (the upload page's `Can.FILL`), even for a workbook without changes.
    """
    require_can(user, evaluation, Can.FILL)
    items = {item.pk: item for item in ItemValue.objects.filter(evaluation=evaluation)}
    written = []
    for row in rows:
        item = items.get(row.item_id)
        if item is None:
            raise WorkflowError(_("Butir %(code)s bukan milik evaluasi ini.") % {"code": row.code})
        try:
            save_self_assessment(
                item=item,
                user=user,
                value=row.value,
                narrative=row.narrative,
                expected_version=row.expected_version,
            )
        except StaleEditError as error:
            raise WorkflowError(
                _(
                    "Butir %(code)s diubah oleh %(who)s pada %(when)s setelah pratinjau dibuat; "
                    "tidak ada yang disimpan. Unggah buku kerja lagi untuk melihat konfliknya."
                )
                % {"code": row.code, "who": error.change.who, "when": error.change.when}
            ) from error
        except WorkflowError as error:
            raise WorkflowError(
                _("Butir %(code)s: %(problem)s") % {"code": row.code, "problem": error}
            ) from error
        written.append(row.code)
    audited(
        actor=user,
        action="evaluation.workbook_import",
        target=evaluation,
        after={"file": filename, "items": written},
    )
    return len(written)
