"""The evaluation visit as one event: plan, invitations, attendance, minutes, agreed actions.

In the model case the ministry's *asesor pembimbing* holds a *pembahasan evaluasi* with
*bimbingan teknis* for every OPD of the region, then a *peninjauan lapangan* the next day. A
`Visit` belongs to one evaluation (one region in one cycle), so that its access follows the
evaluation's: the region's assessor team and program admins write, the region reads.
The field visits recorded in `evidence` attach through `AttachedFieldVisit`, owned here because
`evidence` sits below this app and must not know it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.evidence.models import FieldVisit, StoredFile
from cityeval.regions.models import OPD


class VisitQuerySet(models.QuerySet["Visit"]):
    def of_evaluation(self, evaluation_id: int) -> VisitQuerySet:
        return self.filter(evaluation_id=evaluation_id).order_by("-starts_on", "-pk")


class Visit(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="mentoring_visits"
    )
    title = models.CharField(_("judul"), max_length=200)
    venue = models.CharField(_("tempat"), max_length=200)
    starts_on = models.DateField(_("tanggal mulai"))
    ends_on = models.DateField(_("tanggal selesai"))
    notes = models.TextField(_("catatan"), blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    planned_at = models.DateTimeField(default=timezone.now)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("kunjungan pendampingan")
        verbose_name_plural = _("kunjungan pendampingan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="mentoring_visit_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mentoring:visit", args=[self.pk])

    def days(self) -> list[date]:
        """Every day of the visit, the first to the last."""
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + timedelta(days=n) for n in range(count)]


class AgendaKind(models.TextChoices):
    DISCUSSION = "discussion", _("Pembahasan evaluasi")
    GUIDANCE = "guidance", _("Bimbingan teknis")
    FIELD_REVIEW = "field_review", _("Peninjauan lapangan")
    OTHER = "other", _("Lainnya")


class AgendaItem(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="agenda")
    day = models.DateField(_("hari"))
    sequence = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("jenis"), max_length=20, choices=AgendaKind.choices)
    title = models.CharField(_("acara"), max_length=200)

    class Meta:
        ordering = ["day", "sequence", "pk"]

    def __str__(self) -> str:
        return self.title


class VisitInvitation(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="invitations")
    opd = models.ForeignKey(OPD, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "opd"], name="mentoring_invitation_once")
        ]

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.opd_id}"


class Attendance(models.Model):
    """One person present; `user` is empty for someone not (yet) registered in the app."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="attendances")
    # The day of the visit the person was present (a two-day visit has a list per day).
    day = models.DateField(_("hari"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("nama"), max_length=150)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    # Empty: the person attends for the region as a whole (e.g. the coordinator) or the ministry.
    opd = models.ForeignKey(OPD, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "opd__name", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "day", "user"],
                condition=models.Q(user__isnull=False),
                name="mentoring_attendance_once",
            )
        ]

    def __str__(self) -> str:
        return self.name


class MinutePoint(models.Model):
    """One point of the minutes (*notulen*): what was discussed, a question and its answer."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="points")
    sequence = models.PositiveIntegerField(default=0)
    # A smart dimension's tag code (frameworks.tags) or empty for general points.
    dimension = models.CharField(_("dimensi"), max_length=40, blank=True)
    item = models.ForeignKey(
        ItemValue, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    discussion = models.TextField(_("pembahasan"))
    question = models.TextField(_("pertanyaan"), blank=True)
    answer = models.TextField(_("jawaban"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sequence", "pk"]

    def __str__(self) -> str:
        return self.discussion[:60]


class ActionQuerySet(models.QuerySet["AgreedAction"]):
    def open(self) -> ActionQuerySet:
        return self.filter(done_at__isnull=True)


class AgreedAction(models.Model):
    """A follow-up agreed at the visit, owned by one OPD, due on a date."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="actions")
    point = models.ForeignKey(
        MinutePoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    text = models.TextField(_("tindak lanjut"))
    opd = models.ForeignKey(OPD, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("batas waktu"))
    done_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class VisitMaterial(StoredFile):
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="materials")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("mentoring:material", args=[self.pk])


class AttachedFieldVisit(models.Model):
    """A field visit (GPS, photos) recorded during this visit; one visit at most."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="field_links")
    field_visit = models.OneToOneField(
        FieldVisit, on_delete=models.PROTECT, related_name="mentoring_link"
    )

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.field_visit_id}"
