"""Discussion threads on an evaluation item, their posts (with the history of edits) and the
data requests one OPD sends another OPD of the same region.

Who reads and writes them: `access.py` (region-internal threads never reach the assessors).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    REGION = "region", _("Internal daerah")
    SHARED = "shared", _("Dibagikan dengan tim asesor")


class ThreadQuerySet(models.QuerySet["Thread"]):
    def with_context(self) -> ThreadQuerySet:
        return self.select_related(
            "item__indicator",
            "evaluation__region",
            "evaluation__cycle",
            "created_by",
            "resolved_by",
            "data_request__from_opd",
            "data_request__to_opd",
            "data_request__closed_by",
        )


class Thread(models.Model):
    """A conversation about one item of one evaluation."""

    item = models.ForeignKey(
        "evaluations.ItemValue", on_delete=models.CASCADE, related_name="threads"
    )
    # A copy of the item's evaluation: access filters on it without a join.
    evaluation = models.ForeignKey(
        "evaluations.Evaluation", on_delete=models.CASCADE, related_name="threads"
    )
    title = models.CharField(_("judul"), max_length=200, blank=True)
    visibility = models.CharField(
        _("visibilitas"), max_length=10, choices=Visibility.choices, default=Visibility.REGION
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="threads_started"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="threads_resolved",
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("utas diskusi")
        verbose_name_plural = _("utas diskusi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["item", "visibility"])]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.SHARED


class Post(models.Model):
    """One message of a thread; an edit keeps the former text as a `PostRevision`."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="discussion_posts"
    )
    body = models.TextField(_("pesan"))
    # Only evidence of the thread's own item (the service checks it).
    attachment = models.ForeignKey(
        "evidence.Evidence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="discussion_posts",
        verbose_name=_("lampiran"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pesan")
        verbose_name_plural = _("pesan")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class PostRevision(models.Model):
    """The text a post had before one edit, who changed it and when."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(_("pesan sebelumnya"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat pesan")
        verbose_name_plural = _("riwayat pesan")
        ordering = ["edited_at", "id"]

    def __str__(self) -> str:
        return f"{self.post_id} · {self.edited_at:%Y-%m-%d %H:%M}"


class DataRequestQuerySet(models.QuerySet["DataRequest"]):
    def open(self) -> DataRequestQuerySet:
        return self.filter(closed_at__isnull=True)


class DataRequest(models.Model):
    """One OPD asks another OPD of the same region for data on an item, by a due date.

    The exchange runs in the request's own (region-internal) thread.
    """

    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="data_request")
    from_opd = models.ForeignKey(
        "regions.OPD", on_delete=models.PROTECT, related_name="data_requests_sent"
    )
    to_opd = models.ForeignKey(
        "regions.OPD", on_delete=models.PROTECT, related_name="data_requests_received"
    )
    due_on = models.DateField(_("batas waktu"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DataRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("permintaan data")
        verbose_name_plural = _("permintaan data")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.from_opd_id} → {self.to_opd_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()
