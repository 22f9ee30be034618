"""The assessors' edits of a report: summary and findings, recommendations, proposals.

Every edit locks the evaluation row first: edits of one report are serialised, and none can slip
in after the lead assessor finalised. Stale edits are refused with the version numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import models, transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cityeval.accounts.access import Actor
from cityeval.audit.log import audited
from cityeval.evaluations.access import Can, capabilities
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.frameworks.dimensions import report_dimensions
from cityeval.regions.models import OPD
from cityeval.reports.access import edit_lock_reason
from cityeval.reports.models import AssessorReport, Finding, FindingKind, Priority, Recommendation
from cityeval.reports.proposals import PER_DIMENSION, proposals_for
from cityeval.reports.texts import proposal_text
from scoring.errors import ScoringError

FindingTexts = Mapping[tuple[str, FindingKind], Sequence[str]]


class StaleReportError(WorkflowError):
    def __init__(self, report: AssessorReport) -> None:
        self.current = report
        super().__init__(
            _(
                "Laporan ini sudah diubah oleh %(who)s sejak Anda membukanya. Isian Anda belum "
                "disimpan: periksa isi terbaru di bawah, lalu simpan lagi."
            )
            % {"who": report.updated_by or _("orang lain")}
        )


class StaleRecommendationError(WorkflowError):
    def __init__(self, recommendation: Recommendation) -> None:
        self.current = recommendation
        super().__init__(
            _(
                "Rekomendasi ini sudah diubah oleh %(who)s sejak Anda membukanya. Isian Anda "
                "belum disimpan: periksa isi terbaru, lalu simpan lagi."
            )
            % {"who": recommendation.updated_by or _("orang lain")}
        )


@transaction.atomic
def save_report(
    *,
    evaluation: Evaluation,
    user: Actor,
    summary: str,
    findings: FindingTexts,
    expected_version: int,
) -> AssessorReport:
    """Save the summary and every dimension's strengths and weaknesses as one version."""
    current = _lock_for_editing(evaluation, user)
    dimensions = report_dimensions(current.cycle.framework_version)
    unknown = sorted({dimension for dimension, _kind in findings} - set(dimensions))
    if unknown:
        raise WorkflowError(_("Dimensi tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)})
    report, _created = AssessorReport.objects.select_for_update(of=("self",)).get_or_create(
        evaluation=current
    )
    if report.version != expected_version:
        raise StaleReportError(report)
    wanted = {
        f"{dimension}:{kind}": [line.strip() for line in lines if line.strip()]
        for (dimension, kind), lines in sorted(findings.items())
    }
    wanted = {key: lines for key, lines in wanted.items() if lines}
    summary = summary.strip()
    before = {"summary": report.summary, "findings": finding_texts(report)}
    after = {"summary": summary, "findings": wanted}
    if before == after:
        return report  # saving an unchanged form is not a change
    report.findings.all().delete()
    Finding.objects.bulk_create(
        [
            Finding(
                report=report,
                dimension=key.split(":")[0],
                kind=key.split(":")[1],
                text=text,
                order=order,
            )
            for key, lines in wanted.items()
            for order, text in enumerate(lines)
        ]
    )
    report.summary = summary
    report.version += 1
    report.updated_by = user
    report.save(update_fields=["summary", "version", "updated_by", "updated_at"])
    _audit(user, "report.save", report, before, after)
    return report


@transaction.atomic
def add_recommendation(
    *,
    evaluation: Evaluation,
    user: Actor,
    dimension: str,
    text: str,
    priority: Priority,
    item: ItemValue | None = None,
    responsible_opd: OPD | None = None,
    target_date: date | None = None,
) -> Recommendation:
    current = _lock_for_editing(evaluation, user)
    _check(current, dimension=dimension, text=text, item=item)
    _check_owner(current, responsible_opd, target_date, was=None)
    recommendation = Recommendation.objects.create(
        evaluation=current,
        dimension=dimension,
        item=item,
        text=text.strip(),
        priority=priority,
        responsible_opd=responsible_opd,
        target_date=target_date,
        order=_next_order(current, dimension),
        updated_by=user,
    )
    _audit(user, "recommendation.add", recommendation, None, _fields(recommendation))
    return recommendation


@transaction.atomic
def update_recommendation(
    *,
    recommendation: Recommendation,
    user: Actor,
    text: str,
    priority: Priority,
    item: ItemValue | None,
    expected_version: int,
    responsible_opd: OPD | None = None,
    target_date: date | None = None,
) -> Recommendation:
    current = _lock_for_editing(recommendation.evaluation, user)
    locked = _locked(recommendation, current, expected_version)
    _check(current, dimension=locked.dimension, text=text, item=item)
    _check_owner(current, responsible_opd, target_date, was=locked.target_date)
    before = _fields(locked)
    text = text.strip()
    item_id = item.pk if item is not None else None
    opd_id = responsible_opd.pk if responsible_opd is not None else None
    now = (text, priority, item_id, opd_id, target_date)
    if (
        locked.text,
        locked.priority,
        locked.item_id,
        locked.responsible_opd_id,
        locked.target_date,
    ) == now:
        return locked
    # A proposal is shown from the rubric in the reader's language until the assessor changes
    # its words or its item; from then on their text is the recommendation.
    if text != locked.text or item_id != locked.item_id:
        locked.edited = True
    locked.text, locked.priority, locked.item = text, priority, item
    locked.responsible_opd, locked.target_date = responsible_opd, target_date
    locked.version += 1
    locked.updated_by = user
    locked.save()
    _audit(user, "recommendation.update", locked, before, _fields(locked))
    return locked


@transaction.atomic
def delete_recommendation(
    *, recommendation: Recommendation, user: Actor, expected_version: int
) -> None:
    current = _lock_for_editing(recommendation.evaluation, user)
    locked = _locked(recommendation, current, expected_version)
    if locked.follow_ups.exists():
        raise WorkflowError(
            _(
                "Daerah sudah melaporkan tindak lanjut rekomendasi ini pada siklus berikutnya, "
                "sehingga rekomendasi ini tidak dapat dihapus. Ubah teksnya bila perlu."
            )
        )
    before = _fields(locked)
    _audit(user, "recommendation.delete", locked, before, None)
    locked.delete()


@transaction.atomic
def move_recommendation(*, recommendation: Recommendation, user: Actor, up: bool) -> None:
    """Move a recommendation one place up or down within its dimension."""
    current = _lock_for_editing(recommendation.evaluation, user)
    siblings = list(
        Recommendation.objects.select_for_update(of=("self",))
        .filter(evaluation=current, dimension=recommendation.dimension)
        .order_by("order", "pk")
    )
    position = next(i for i, r in enumerate(siblings) if r.pk == recommendation.pk)
    other = position - 1 if up else position + 1
    if not 0 <= other < len(siblings):
        return
    before = [r.pk for r in siblings]
    siblings[position], siblings[other] = siblings[other], siblings[position]
    for order, sibling in enumerate(siblings):
        if sibling.order != order:
            Recommendation.objects.filter(pk=sibling.pk).update(order=order)
    _audit(
        user,
        "recommendation.reorder",
        recommendation,
        {"order": before},
        {"order": [r.pk for r in siblings]},
    )


@transaction.atomic
def propose_recommendations(
    *, evaluation: Evaluation, user: Actor, per_dimension: int = PER_DIMENSION
) -> list[Recommendation]:
    """Add the steps that raise the index most, per dimension, as proposed recommendations."""
    current = _lock_for_editing(evaluation, user)
    try:
        picks = proposals_for(current, per_dimension=per_dimension)
    except ScoringError as error:
        raise WorkflowError(
            _("Usulan rekomendasi tidak dapat dihitung: %(error)s") % {"error": error}
        ) from error
    items = {
        item.indicator.code: item
        for item in ItemValue.objects.filter(evaluation=current).select_related("indicator")
    }
    created = []
    next_order: dict[str, int] = {}
    for chosen in picks:
        item = items[chosen.code]
        if chosen.dimension not in next_order:
            next_order[chosen.dimension] = _next_order(current, chosen.dimension)
        order = next_order[chosen.dimension]
        next_order[chosen.dimension] = order + 1
        # Stored in Indonesian, the report's language; shown in the reader's language while
        # unedited (see Recommendation.display_text).
        with translation.override("id"):
            text = proposal_text(item.indicator, chosen.level)
        created.append(
            Recommendation(
                evaluation=current,
                dimension=chosen.dimension,
                item=item,
                text=text,
                priority=chosen.priority,
                proposed=True,
                target_level=chosen.level,
                order=order,
                updated_by=user,
            )
        )
    Recommendation.objects.bulk_create(created)
    if created:
        _audit(
            user,
            "recommendation.propose",
            current,
            None,
            {"items": [f"{r.item.indicator.code}→{r.target_level}" for r in created if r.item]},
        )
    return created


def finding_texts(report: AssessorReport) -> dict[str, list[str]]:
    """The report's findings as "dimension:kind" -> texts in order (the audit's shape)."""
    found: dict[str, list[str]] = {}
    for finding in report.findings.order_by("dimension", "kind", "order", "pk"):
        found.setdefault(f"{finding.dimension}:{finding.kind}", []).append(finding.text)
    return dict(sorted(found.items()))


def _lock_for_editing(evaluation: Evaluation, user: Actor) -> Evaluation:
    current = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("cycle__framework_version")
        .get(pk=evaluation.pk)
    )
    if Can.REVIEW not in capabilities(user, current):
        raise WorkflowError(_("Hanya asesor dalam tim daerah ini yang dapat mengubah laporan."))
    reason = edit_lock_reason(current)
    if reason:
        raise WorkflowError(reason)
    return current


def _locked(
    recommendation: Recommendation, evaluation: Evaluation, expected_version: int
) -> Recommendation:
    # Through the evaluation's manager: the row knows its evaluation, its audit scope.
    locked = (
        evaluation.recommendations.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(pk=recommendation.pk)
        .first()
    )
    if locked is None:
        raise WorkflowError(_("Rekomendasi ini sudah dihapus."))
    if locked.version != expected_version:
        raise StaleRecommendationError(locked)
    return locked


def _check(evaluation: Evaluation, *, dimension: str, text: str, item: ItemValue | None) -> None:
    if dimension not in report_dimensions(evaluation.cycle.framework_version):
        raise WorkflowError(_("Dimensi tidak dikenal: %(codes)s.") % {"codes": dimension})
    if not text.strip():
        raise WorkflowError(_("Tuliskan isi rekomendasi."))
    if item is not None and item.evaluation_id != evaluation.pk:
        raise WorkflowError(_("Butir itu bukan bagian dari evaluasi ini."))


def _check_owner(
    evaluation: Evaluation, opd: OPD | None, target: date | None, *, was: date | None
) -> None:
    """The responsible OPD is one of the region's own; a new target date is not already past."""
    if opd is not None and opd.region_id != evaluation.region_id:
        raise WorkflowError(_("Perangkat daerah itu bukan bagian dari daerah ini."))
    if target is not None and target != was and target < timezone.localdate():
        raise WorkflowError(
            _("Target selesai %(date)s sudah lewat; pilih hari ini atau sesudahnya.")
            % {"date": formats.date_format(target, "SHORT_DATE_FORMAT")}
        )


def _next_order(evaluation: Evaluation, dimension: str) -> int:
    last = Recommendation.objects.filter(evaluation=evaluation, dimension=dimension).aggregate(
        last=Max("order")
    )["last"]
    return 0 if last is None else last + 1


def _fields(recommendation: Recommendation) -> dict[str, Any]:
    return {
        "dimension": recommendation.dimension,
        "item": recommendation.item_id,
        "text": recommendation.text,
        "priority": recommendation.priority,
        "responsible_opd": recommendation.responsible_opd_id,
        "target_date": recommendation.target_date,
        "proposed": recommendation.proposed,
        "edited": recommendation.edited,
    }


def _audit(
    user: Actor,
    action: str,
    target: models.Model,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> None:
    audited(actor=user, action=action, target=target, before=before, after=after)
