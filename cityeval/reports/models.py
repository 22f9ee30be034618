"""The assessor report of an evaluation and the region's follow-up of its recommendations.

A report holds a summary and, per smart dimension, strengths and weaknesses (`Finding`) and
recommendations. Recommendations hang on the evaluation rather than the report because they
outlive it: the region reports their follow-up in the next cycle (`RecommendationFollowUp`).
Every editable row carries a version number so that a stale edit is refused, not lost.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityeval.frameworks.models import FrameworkNode
from cityeval.reports.texts import proposal_text


class AssessorReport(models.Model):
    evaluation = models.OneToOneField(
        "evaluations.Evaluation", on_delete=models.CASCADE, related_name="assessor_report"
    )
    summary = models.TextField(_("ringkasan"), blank=True)
    # Covers the summary and the findings, which are saved together as one form.
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("laporan asesor")
        verbose_name_plural = _("laporan asesor")

    def __str__(self) -> str:
        return str(self.evaluation)


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("Kekuatan")
    WEAKNESS = "weakness", _("Kelemahan")


class Finding(models.Model):
    """One strength or weakness the assessors saw in one smart dimension."""

    report = models.ForeignKey(AssessorReport, on_delete=models.CASCADE, related_name="findings")
    dimension = models.CharField(_("dimensi"), max_length=40)
    kind = models.CharField(_("jenis"), max_length=10, choices=FindingKind.choices)
    text = models.TextField(_("temuan"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("temuan")
        verbose_name_plural = _("temuan")
        ordering = ["report", "dimension", "kind", "order"]

    def __str__(self) -> str:
        return f"{self.dimension} · {self.get_kind_display()} · {self.text[:40]}"


class Priority(models.TextChoices):
    HIGH = "high", _("Tinggi")
    MEDIUM = "medium", _("Sedang")
    LOW = "low", _("Rendah")


class Recommendation(models.Model):
    evaluation = models.ForeignKey(
        "evaluations.Evaluation", on_delete=models.CASCADE, related_name="recommendations"
    )
    dimension = models.CharField(_("dimensi"), max_length=40)
    item = models.ForeignKey(
        "evaluations.ItemValue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("butir"),
    )
    text = models.TextField(_("rekomendasi"))
    # Who in the region carries it out, and by when; the next cycle's follow-up tracks both.
    responsible_opd = models.ForeignKey(
        "regions.OPD",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("perangkat daerah penanggung jawab"),
    )
    target_date = models.DateField(_("target selesai"), null=True, blank=True)
    priority = models.CharField(
        _("prioritas"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    # Proposed by the system from the item's rubric (one level up); the assessor accepted it by
    # keeping it. `target_level` is that level, so an unedited proposal can be shown in the
    # reader's language; once `edited`, the assessor's own words are shown as written.
    proposed = models.BooleanField(_("usulan sistem"), default=False)
    edited = models.BooleanField(_("disunting asesor"), default=False)
    target_level = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rekomendasi")
        verbose_name_plural = _("rekomendasi")
        ordering = ["evaluation", "dimension", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.dimension} · {self.text[:40]}"

    @property
    def display_text(self) -> str:
        """The text in the reader's language where that is possible (see `target_level`)."""
        if self.proposed and not self.edited and self.item is not None and self.target_level:
            return proposal_text(self.item.indicator, self.target_level)
        return self.text

    @property
    def indicator(self) -> FrameworkNode | None:
        return self.item.indicator if self.item is not None else None


class FollowUpStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Belum dimulai")
    IN_PROGRESS = "in_progress", _("Sedang berjalan")
    DONE = "done", _("Selesai")


class RecommendationFollowUp(models.Model):
    """What the region did about one recommendation, reported with its next evaluation."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="follow_ups"
    )
    evaluation = models.ForeignKey(
        "evaluations.Evaluation", on_delete=models.CASCADE, related_name="follow_ups"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.NOT_STARTED,
    )
    note = models.TextField(_("keterangan"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("tindak lanjut rekomendasi")
        verbose_name_plural = _("tindak lanjut rekomendasi")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "evaluation"], name="one_follow_up_per_evaluation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} · {self.get_status_display()}"
