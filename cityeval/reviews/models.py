"""The assessors' review: a history of verdicts per item and the clarification loop.

`ItemValue` keeps only the current verdict (review_status, verified_value, review_note); the
rows here keep how it came about, so that a region and a later assessor can read who decided
what and why, and so that the assessor sees what the region changed after a clarification.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VerdictKind(models.TextChoices):
    ACCEPT = "accept", _("Diterima")
    ADJUST = "adjust", _("Disesuaikan")
    # An assessor's question noted while reading; it reaches the region only when the
    # clarification request is sent (then a CLARIFY verdict follows).
    FLAG = "flag", _("Ditandai untuk klarifikasi")
    CLARIFY = "clarify", _("Diminta klarifikasi")


class VerdictQuerySet(models.QuerySet["Verdict"]):
    def latest_per_item(self, item_ids: list[int]) -> dict[int, Verdict]:
        """The newest verdict of each of these items (items without verdicts are absent)."""
        latest: dict[int, Verdict] = {}
        for verdict in self.filter(item_id__in=item_ids).order_by("item_id", "-created_at", "-pk"):
            latest.setdefault(verdict.item_id, verdict)
        return latest


class Verdict(models.Model):
    """One decision of an assessor about one item, in the order they were made."""

    item = models.ForeignKey(
        "evaluations.ItemValue", on_delete=models.CASCADE, related_name="verdicts"
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=VerdictKind.choices)
    # What the region claimed when the verdict was made, and the value the assessor set.
    self_value = models.DecimalField(
        _("nilai mandiri"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    value = models.DecimalField(
        _("nilai verifikasi"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    reason = models.TextField(_("alasan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    objects = VerdictQuerySet.as_manager()

    class Meta:
        verbose_name = _("keputusan reviu")
        verbose_name_plural = _("keputusan reviu")
        ordering = ["item", "created_at", "pk"]
        indexes = [models.Index(fields=["item", "created_at"])]

    def __str__(self) -> str:
        return f"{self.item_id} · {self.kind}"


class ClarificationRequestQuerySet(models.QuerySet["ClarificationRequest"]):
    def open(self) -> ClarificationRequestQuerySet:
        return self.filter(answered_at__isnull=True)


class ClarificationRequest(models.Model):
    """The assessors' questions to the region about some items, and the region's answer."""

    evaluation = models.ForeignKey(
        "evaluations.Evaluation", on_delete=models.CASCADE, related_name="clarification_requests"
    )
    message = models.TextField(_("pesan asesor"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("diminta pada"))
    # The date the region is asked to answer by (shown to it; the coordinator's home lists it).
    due_date = models.DateField(_("batas jawaban"), null=True, blank=True)
    answer = models.TextField(_("jawaban daerah"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)

    objects = ClarificationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("permintaan klarifikasi")
        verbose_name_plural = _("permintaan klarifikasi")
        ordering = ["evaluation", "-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.evaluation_id} · {self.requested_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class ClarificationItem(models.Model):
    """A flagged item and what the region had for it when the request was made.

    The snapshot is what "changed since review" compares the item's current state with.
    """

    request = models.ForeignKey(
        ClarificationRequest, on_delete=models.CASCADE, related_name="items"
    )
    item = models.ForeignKey(
        "evaluations.ItemValue", on_delete=models.CASCADE, related_name="clarification_snapshots"
    )
    question = models.TextField(_("pertanyaan butir"), blank=True)
    self_value = models.DecimalField(
        _("nilai mandiri"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    narrative = models.TextField(_("narasi"), blank=True)
    # [{"sha256": "…", "name": "…"}, …]: the item's current evidence files at request time.
    evidence = models.JSONField(_("bukti dukung"), default=list, blank=True)

    class Meta:
        verbose_name = _("butir klarifikasi")
        verbose_name_plural = _("butir klarifikasi")
        ordering = ["request", "item__indicator__sequence"]
        constraints = [
            models.UniqueConstraint(fields=["request", "item"], name="unique_clarification_item")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.item_id}"
