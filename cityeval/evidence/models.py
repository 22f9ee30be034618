"""Evidence (*data dukung*) on an item, and the assessors' field visits and interviews.

Files are stored privately under MEDIA_ROOT with random names (see storage.py) and are served
only by permission-checked views, so the models keep the stored path, never a public URL.
Nothing here is deleted: removing evidence or a photo stamps `removed_at`, so that the audit log
and the reviewers can still see what the region once showed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Berkas")
    LINK = "link", _("Tautan")


class StoredFile(models.Model):
    """The fields of a file kept by storage.py; shared by evidence and visit photos."""

    original_name = models.CharField(_("nama berkas"), max_length=255)
    # Relative to MEDIA_ROOT; random, so it says nothing about the original name.
    stored_path = models.CharField(max_length=200, blank=True, editable=False)
    # Detected from the content, never taken from the browser.
    content_type = models.CharField(_("jenis"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("ukuran"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    uploaded_at = models.DateTimeField(_("diunggah pada"), default=timezone.now)
    removed_at = models.DateTimeField(_("dihapus pada"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class EvidenceQuerySet(models.QuerySet["Evidence"]):
    def current(self) -> EvidenceQuerySet:
        return self.filter(removed_at__isnull=True)

    def files(self) -> EvidenceQuerySet:
        return self.filter(kind=EvidenceKind.FILE)

    def links(self) -> EvidenceQuerySet:
        return self.filter(kind=EvidenceKind.LINK)

    def for_panel(self) -> EvidenceQuerySet:
        return self.select_related("uploaded_by").order_by("uploaded_at", "pk")


class Evidence(StoredFile):
    """One file or link a region attaches to an item to support its self-assessed value."""

    item = models.ForeignKey(
        "evaluations.ItemValue",
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name=_("butir"),
    )
    kind = models.CharField(_("bentuk"), max_length=4, choices=EvidenceKind.choices)
    url = models.URLField(_("tautan"), max_length=2000, blank=True)
    description = models.CharField(_("keterangan"), max_length=500, blank=True)
    # Nullable for data brought in by an import or the demonstration set, which has no person.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        ordering = ["item", "uploaded_at", "pk"]
        constraints = [
            # The same content twice on one item is a mistake; the database refuses it too.
            models.UniqueConstraint(
                fields=["item", "sha256"],
                condition=models.Q(removed_at__isnull=True, kind="file"),
                name="evidence_file_once_per_item",
            ),
            models.UniqueConstraint(
                fields=["item", "url"],
                condition=models.Q(removed_at__isnull=True, kind="link"),
                name="evidence_link_once_per_item",
            ),
            models.CheckConstraint(
                name="evidence_file_or_link",
                condition=(
                    models.Q(kind="file", url="") & ~models.Q(stored_path="")
                    | models.Q(kind="link", stored_path="") & ~models.Q(url="")
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        """Where the evidence opens: the permission-checked download, or the link itself."""
        if self.is_file:
            return reverse("evidence:download", args=[self.pk])
        return self.url

    @property
    def is_file(self) -> bool:
        return self.kind == EvidenceKind.FILE


class VisitKind(models.TextChoices):
    INTERVIEW = "interview", _("Wawancara")
    FIELD_VISIT = "field_visit", _("Peninjauan lapangan")


LATITUDE_VALIDATORS = [MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))]
LONGITUDE_VALIDATORS = [MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))]
# A phone's fix is metres to a few kilometres; beyond 100 km the value is a typo.
ACCURACY_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100_000))]


class FieldVisitQuerySet(models.QuerySet["FieldVisit"]):
    def of_evaluation(self, evaluation_id: int) -> FieldVisitQuerySet:
        return self.filter(evaluation_id=evaluation_id)

    def for_list(self) -> FieldVisitQuerySet:
        return (
            self.select_related("recorded_by")
            .annotate(
                item_count=models.Count("items", distinct=True),
                photo_count=models.Count(
                    "photos", filter=models.Q(photos__removed_at__isnull=True), distinct=True
                ),
            )
            .order_by("-date", "-pk")
        )


class FieldVisit(models.Model):
    """An interview or field visit of the assessor team, with what they found.

    `version` grows with every save so that a stale edit is refused (optimistic locking).
    """

    evaluation = models.ForeignKey(
        "evaluations.Evaluation",
        on_delete=models.PROTECT,
        related_name="field_visits",
        verbose_name=_("evaluasi"),
    )
    kind = models.CharField(
        _("jenis"), max_length=12, choices=VisitKind.choices, default=VisitKind.FIELD_VISIT
    )
    date = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=200)
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=LATITUDE_VALIDATORS,
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=LONGITUDE_VALIDATORS,
    )
    accuracy_m = models.DecimalField(
        _("akurasi (meter)"),
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=ACCURACY_VALIDATORS,
    )
    participants = models.TextField(_("peserta"), blank=True, help_text=_("Satu orang per baris."))
    findings = models.TextField(_("temuan"), blank=True)
    items = models.ManyToManyField(
        "evaluations.ItemValue", related_name="field_visits", blank=True, verbose_name=_("butir")
    )
    programs = models.ManyToManyField(
        "masterplans.Program",
        related_name="field_visits",
        blank=True,
        verbose_name=_("program masterplan"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    recorded_at = models.DateTimeField(_("dicatat pada"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = FieldVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("kunjungan lapangan")
        verbose_name_plural = _("kunjungan lapangan")
        ordering = ["evaluation", "-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="field_visit_latitude_range",
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
            ),
            models.CheckConstraint(
                name="field_visit_longitude_range",
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
            ),
            # A position is both coordinates or none.
            models.CheckConstraint(
                name="field_visit_coordinates_pair",
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.place} · {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("evidence:visit", args=[self.pk])

    @property
    def participant_list(self) -> list[str]:
        return [line.strip() for line in self.participants.splitlines() if line.strip()]

    @property
    def geo_uri(self) -> str:
        """A geo: URI (RFC 5870) that opens the phone's own map app; no tiles needed."""
        if self.latitude is None or self.longitude is None:
            return ""
        uri = f"geo:{self.latitude},{self.longitude}"
        if self.accuracy_m is not None:
            uri += f";u={self.accuracy_m}"
        return uri


class FieldVisitPhotoQuerySet(models.QuerySet["FieldVisitPhoto"]):
    def current(self) -> FieldVisitPhotoQuerySet:
        return self.filter(removed_at__isnull=True)


class FieldVisitPhoto(StoredFile):
    visit = models.ForeignKey(FieldVisit, on_delete=models.PROTECT, related_name="photos")
    caption = models.CharField(_("keterangan"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = FieldVisitPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("foto kunjungan")
        verbose_name_plural = _("foto kunjungan")
        ordering = ["visit", "uploaded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "sha256"],
                condition=models.Q(removed_at__isnull=True),
                name="visit_photo_once_per_visit",
            )
        ]

    def __str__(self) -> str:
        return self.caption or self.original_name

    def get_absolute_url(self) -> str:
        return reverse("evidence:photo", args=[self.pk])
