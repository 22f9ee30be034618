"""A yearly cycle, each participating region's evaluation in it, and the items' values."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Round(models.TextChoices):
    ANNUAL = "annual", _("Tahunan")
    TAHAP_1 = "tahap_1", _("Tahap I")
    TAHAP_2 = "tahap_2", _("Tahap II")


# Rounds of one year in the order they happen (the order in which `Round` declares them).
ROUND_ORDER = {value: position for position, value in enumerate(Round.values)}


def cycle_order(year: int, round_: str) -> tuple[int, int]:
    """Sort key of a cycle of a program: earlier years first, then rounds in their order."""
    return (year, ROUND_ORDER.get(round_, 0))


class Cycle(models.Model):
    """One evaluation round of a program. It pins the framework version it uses.

    `program` is the framework's code (G100SC, SPBE): two programs may run in the same year and
    round, but one program has one cycle per year and round.
    """

    program = models.CharField(_("program"), max_length=20, editable=False)
    year = models.PositiveSmallIntegerField(_("tahun"))
    round = models.CharField(_("tahap"), max_length=10, choices=Round.choices, default=Round.ANNUAL)
    framework_version = models.ForeignKey(
        "frameworks.FrameworkVersion",
        on_delete=models.PROTECT,
        related_name="cycles",
        verbose_name=_("versi instrumen"),
    )
    self_assessment_deadline = models.DateField(_("batas penilaian mandiri"), null=True, blank=True)
    review_deadline = models.DateField(_("batas reviu dokumen"), null=True, blank=True)
    field_visit_deadline = models.DateField(_("batas peninjauan lapangan"), null=True, blank=True)
    finalisation_deadline = models.DateField(_("batas finalisasi"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("siklus")
        verbose_name_plural = _("siklus")
        ordering = ["-year", "-round"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year", "round"], name="unique_cycle_per_program"
            )
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.year} · {self.get_round_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.program = self.framework_version.code
        super().save(*args, **kwargs)


class EvaluationStatus(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("Penilaian mandiri")
    SUBMITTED = "submitted", _("Diserahkan")
    DOCUMENT_REVIEW = "document_review", _("Reviu dokumen")
    CLARIFICATION = "clarification", _("Klarifikasi")
    FIELD_VISIT = "field_visit", _("Wawancara dan peninjauan lapangan")
    FINALISED = "finalised", _("Final")
    PUBLISHED = "published", _("Dipublikasikan")


class EvaluationQuerySet(models.QuerySet["Evaluation"]):
    def with_region(self) -> EvaluationQuerySet:
        # Without the version's ~250 kB document: read where needed, once per process
        # (frameworks.models.FrameworkVersion.refresh_from_db).
        return self.select_related("region__province", "cycle__framework_version").defer(
            "cycle__framework_version__document"
        )

    def in_cycle(self, cycle: Cycle) -> EvaluationQuerySet:
        return self.filter(cycle=cycle)


class Evaluation(models.Model):
    """One region's evaluation in one cycle. Its status moves only through `workflow.py`."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="evaluations")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="evaluations"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.SELF_ASSESSMENT,
    )
    # A lock exception (as in DHIS2): the program admin lets this region enter data after the
    # cycle's self-assessment deadline, until this date.
    entry_deadline_override = models.DateField(_("batas pengisian khusus"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("diserahkan pada"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("difinalkan pada"), null=True, blank=True)
    published_at = models.DateTimeField(_("dipublikasikan pada"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluasi")
        verbose_name_plural = _("evaluasi")
        ordering = ["cycle", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "region"], name="unique_evaluation")
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.cycle}"

    @property
    def entry_deadline(self) -> date | None:
        return self.entry_deadline_override or self.cycle.self_assessment_deadline


class AssessorAssignment(models.Model):
    """An assessor on the team that evaluates one region in one cycle; one of them leads."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assessor_assignments")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="assessor_assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessor_assignments"
    )
    is_lead = models.BooleanField(_("ketua tim"), default=False)

    class Meta:
        verbose_name = _("penugasan asesor")
        verbose_name_plural = _("penugasan asesor")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "region", "user"], name="unique_assessor_assignment"
            ),
            models.UniqueConstraint(
                fields=["cycle", "region"],
                condition=models.Q(is_lead=True),
                name="one_lead_assessor_per_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.region} · {self.cycle}"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Belum direviu")
    ACCEPTED = "accepted", _("Diterima")
    ADJUSTED = "adjusted", _("Disesuaikan")
    CLARIFICATION = "clarification", _("Perlu klarifikasi")
    ANSWERED = "answered", _("Klarifikasi dijawab")


class EvidenceState(models.TextChoices):
    """What an item still lacks: a value, or evidence (*bukti dukung*) behind the value."""

    EMPTY = "empty", _("Belum diisi")
    NO_EVIDENCE = "no_evidence", _("Terisi tanpa bukti dukung")
    COMPLETE = "complete", _("Terisi dengan bukti dukung")


class ItemValueQuerySet(models.QuerySet["ItemValue"]):
    def with_indicator(self) -> ItemValueQuerySet:
        return self.select_related("indicator", "opd")

    def for_list(self) -> ItemValueQuerySet:
        """The rows of an item list: indicator and OPD joined, in document order."""
        return self.with_indicator().order_by("indicator__sequence")

    def unsettled(self) -> ItemValueQuerySet:
        """Items without a final verdict yet (not accepted or adjusted)."""
        return self.exclude(review_status__in=[ReviewStatus.ACCEPTED, ReviewStatus.ADJUSTED])

    def with_evidence_state(self) -> ItemValueQuerySet:
        """Annotate `evidence_count`: the item's current (not removed) files and links."""
        return self.annotate(
            evidence_count=models.Count(
                "evidence", filter=models.Q(evidence__removed_at__isnull=True), distinct=True
            )
        )

    def for_opds(self, opd_ids: Iterable[int]) -> ItemValueQuerySet:
        return self.filter(opd_id__in=list(opd_ids))


class ItemValue(models.Model):
    """A region's value for one indicator: self-assessed by the region, verified by assessors.

    Opening a cycle creates one row per indicator for every evaluation, so that assignment,
    progress and locking work on rows that exist. `version` grows with every save so that a
    stale edit is detected (optimistic locking).
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(
        "frameworks.FrameworkNode", on_delete=models.PROTECT, related_name="values"
    )
    self_value = models.DecimalField(
        _("nilai mandiri"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    narrative = models.TextField(_("narasi"), blank=True)
    # The OPD the coordinator assigned this item to; its contributors may fill it.
    opd = models.ForeignKey(
        "regions.OPD",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="item_values",
        verbose_name=_("perangkat daerah"),
    )
    review_status = models.CharField(
        _("status reviu"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_note = models.TextField(_("catatan reviu"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_value = models.DecimalField(
        _("nilai verifikasi"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ItemValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("nilai butir")
        verbose_name_plural = _("nilai butir")
        ordering = ["evaluation", "indicator__sequence"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "indicator"], name="unique_item_value")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.indicator_id}"

    @property
    def is_filled(self) -> bool:
        return self.self_value is not None

    @property
    def evidence_state(self) -> EvidenceState:
        """Read from `with_evidence_state()`; a row fetched without it counts its evidence."""
        if self.self_value is None:
            return EvidenceState.EMPTY
        count = getattr(self, "evidence_count", None)
        if count is None:
            count = self.evidence.filter(removed_at__isnull=True).count()
        return EvidenceState.COMPLETE if count else EvidenceState.NO_EVIDENCE
