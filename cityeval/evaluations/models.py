"""A yearly cycle, each participating region's evaluation in it, and the items' values."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Round(models.TextChoices):
    ANNUAL = "annual", _("Tahunan")
    TAHAP_1 = "tahap_1", _("Tahap I")
    TAHAP_2 = "tahap_2", _("Tahap II")


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


class Evaluation(models.Model):
    """One region's evaluation in one cycle."""

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
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluasi")
        verbose_name_plural = _("evaluasi")
        ordering = ["cycle", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "region"], name="unique_evaluation")
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.cycle}"


class ItemValue(models.Model):
    """A region's value for one indicator: self-assessed by the region, verified by assessors.

    `version` grows with every save so that a stale edit can be detected (optimistic locking).
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(
        "frameworks.FrameworkNode", on_delete=models.PROTECT, related_name="values"
    )
    self_value = models.DecimalField(
        _("nilai mandiri"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    narrative = models.TextField(_("narasi"), blank=True)
    verified_value = models.DecimalField(
        _("nilai verifikasi"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("nilai butir")
        verbose_name_plural = _("nilai butir")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "indicator"], name="unique_item_value")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.indicator_id}"
