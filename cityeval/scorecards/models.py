"""Published scorecard PDFs rendered by the job queue and kept with their result."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityeval.results.models import ResultSnapshot


class StoredScorecardPdf(models.Model):
    """One language's PDF of a published result, as of one state of the published results.

    The ranks on a scorecard change whenever any region of the cycle is published or reopened,
    so the PDF records the publication marker it was rendered for (`results.publication`); it is
    served only while that marker is the current one and the result is still published. The
    file lives under `MEDIA_ROOT/scorecards/`, named by the snapshot and the content's hash.
    """

    snapshot = models.ForeignKey(
        ResultSnapshot, on_delete=models.CASCADE, related_name="stored_pdfs"
    )
    language = models.CharField(_("bahasa"), max_length=8)
    marker = models.BigIntegerField(_("penanda publikasi"))
    path = models.CharField(_("berkas"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("ukuran"))
    rendered_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("PDF rapor tersimpan")
        verbose_name_plural = _("PDF rapor tersimpan")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "language"], name="one_stored_pdf_per_snapshot_language"
            )
        ]

    def __str__(self) -> str:
        return self.path
