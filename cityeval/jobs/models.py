"""Our thin layer over django-tasks: one row per piece of work, keyed so it is done once.

django-tasks (with django-tasks-db's database backend and `db_worker` processes) runs the work;
these rows say *what* must be done and whether it is: a `Job` is unique by its idempotency key
(enqueueing the same key again does nothing), carries a lease that the worker running it holds,
and belongs to a `JobBatch` when it is one of many (a batch of PDFs) so progress is done/total.
The library marks a task RUNNING when a worker claims it and never looks at it again if that
worker dies; the lease here is what lets another worker take the job over (`runner.recover`).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("menunggu")
    RUNNING = "running", _("berjalan")
    DONE = "done", _("selesai")
    FAILED = "failed", _("gagal")


class JobBatch(models.Model):
    """Many jobs started together (a cycle's scorecard PDFs): progress is done/total."""

    title = models.CharField(_("judul"), max_length=200)
    total = models.PositiveIntegerField(_("jumlah"), default=0)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("kumpulan pekerjaan")
        verbose_name_plural = _("kumpulan pekerjaan")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Job(models.Model):
    kind = models.CharField(_("jenis"), max_length=40)
    key = models.CharField(_("kunci"), max_length=200, unique=True)
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    batch = models.ForeignKey(
        JobBatch, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    attempts = models.PositiveIntegerField(_("percobaan"), default=0)
    worker = models.CharField(_("pekerja"), max_length=100, blank=True)
    lease_until = models.DateTimeField(_("sewa sampai"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    error = models.TextField(_("galat"), blank=True)
    # What a finished job reports to the page that waits for it (an import's counts or problems).
    result = models.JSONField(_("hasil"), default=dict, blank=True)

    class Meta:
        verbose_name = _("pekerjaan")
        verbose_name_plural = _("pekerjaan")
        indexes = [models.Index(fields=["status", "lease_until"])]

    def __str__(self) -> str:
        return self.key


class SentMail(models.Model):
    """An e-mail that left: written in the same transaction that marks its job done, so a job run
    again after its worker died finds the record and does not send the mail twice."""

    key = models.CharField(_("kunci"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("dikirim"), default=timezone.now)

    class Meta:
        verbose_name = _("surel terkirim")
        verbose_name_plural = _("surel terkirim")

    def __str__(self) -> str:
        return self.key
