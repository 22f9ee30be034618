"""A region's smart city masterplan, its programs, and how far each program runs each year.

Evaluation asks how many masterplan programs really run (Outcome); `shares.py` computes that
from `ProgramYear` rows, so the figures are entered once, here.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cityeval.masterplans.dimensions import smart_axis

FIRST_YEAR, LAST_YEAR = 2000, 2100
# A masterplan is a ten-year plan; some regions write both ends (2020–2030), so allow 10.
MAX_SPAN_YEARS = 10
_year_validators = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
_percent_validators = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class MasterplanQuerySet(models.QuerySet["Masterplan"]):
    def current(self) -> MasterplanQuerySet:
        return self.filter(is_current=True)

    def current_of(self, region_id: int) -> Masterplan | None:
        return self.filter(region_id=region_id, is_current=True).first()

    def in_force(self, *, region_id: int, year: int) -> Masterplan | None:
        """The masterplan covering `year`: the current one when it does, else the latest."""
        return (
            self.filter(region_id=region_id, start_year__lte=year, end_year__gte=year)
            .order_by("-is_current", "-start_year", "-pk")
            .first()
        )


class Masterplan(models.Model):
    """A region's masterplan smart city, enacted by a regulation.

    A region has at most one current masterplan (a database constraint). A revised plan is a new
    masterplan; the old one stays, no longer current, with its programs and history.
    """

    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="masterplans",
        verbose_name=_("kabupaten/kota"),
    )
    title = models.CharField(_("judul"), max_length=255)
    start_year = models.PositiveSmallIntegerField(_("tahun awal"), validators=_year_validators)
    end_year = models.PositiveSmallIntegerField(_("tahun akhir"), validators=_year_validators)
    regulation = models.CharField(
        _("regulasi penetapan"),
        max_length=255,
        blank=True,
        help_text=_("Misalnya Peraturan Bupati Kutai Kartanegara No. 12 Tahun 2019."),
    )
    regulation_date = models.DateField(_("tanggal regulasi"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    is_current = models.BooleanField(_("berlaku"), default=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MasterplanQuerySet.as_manager()

    class Meta:
        verbose_name = _("masterplan")
        verbose_name_plural = _("masterplan")
        ordering = ["region__code", "-start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=models.Q(is_current=True),
                name="one_current_masterplan_per_region",
            ),
            models.CheckConstraint(
                name="masterplan_period_in_order",
                condition=models.Q(end_year__gte=models.F("start_year")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}–{self.end_year})"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    def clean(self) -> None:
        if self.start_year is None or self.end_year is None:
            return
        if self.end_year < self.start_year:
            raise ValidationError(
                {"end_year": gettext("Tahun akhir tidak boleh sebelum tahun awal.")}
            )
        if self.end_year - self.start_year > MAX_SPAN_YEARS:
            raise ValidationError(
                {
                    "end_year": gettext("Masterplan mencakup paling lama %(n)s tahun.")
                    % {"n": MAX_SPAN_YEARS}
                }
            )


class ProgramStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    RUNNING = "running", _("Berjalan")
    COMPLETED = "completed", _("Selesai")
    STALLED = "stalled", _("Terhenti")
    CANCELLED = "cancelled", _("Dibatalkan")


# What the evaluation counts as "berjalan" (running): a finished program ran.
RUNNING_STATUSES = (ProgramStatus.RUNNING, ProgramStatus.COMPLETED)

CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    _("Kode hanya berisi huruf, angka, titik, garis bawah dan tanda hubung."),
)


class ProgramQuerySet(models.QuerySet["Program"]):
    def of_masterplan(self, masterplan: Masterplan) -> ProgramQuerySet:
        return self.filter(masterplan=masterplan)

    def for_page(self) -> ProgramQuerySet:
        return self.select_related("owner").order_by("dimension", "code")


class Program(models.Model):
    """One masterplan program, owned by one OPD of the same region.

    `version` grows with every save so that a stale edit is refused (optimistic locking).
    """

    masterplan = models.ForeignKey(
        Masterplan, on_delete=models.PROTECT, related_name="programs", verbose_name=_("masterplan")
    )
    code = models.CharField(_("kode"), max_length=30, validators=[CODE_VALIDATOR])
    name = models.CharField(_("nama program"), max_length=255)
    description = models.TextField(_("deskripsi"), blank=True)
    # Codes of the G100SC tag axis (GOV, GOV-PS, ...); checked in `clean` against the framework.
    dimension = models.CharField(_("dimensi"), max_length=40)
    element = models.CharField(_("elemen"), max_length=40)
    owner = models.ForeignKey(
        "regions.OPD",
        on_delete=models.PROTECT,
        related_name="masterplan_programs",
        verbose_name=_("OPD pengampu"),
    )
    quick_win = models.BooleanField(_("quick win"), default=False)
    budget = models.DecimalField(
        _("anggaran (Rp)"),
        max_digits=18,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    start_year = models.PositiveSmallIntegerField(_("tahun mulai"), validators=_year_validators)
    end_year = models.PositiveSmallIntegerField(_("tahun selesai"), validators=_year_validators)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["masterplan", "dimension", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["masterplan", "code"], name="unique_program_code_per_masterplan"
            ),
            models.CheckConstraint(
                name="program_years_in_order",
                condition=models.Q(end_year__gte=models.F("start_year")),
            ),
            models.CheckConstraint(
                name="program_budget_not_negative", condition=models.Q(budget__gte=0)
            ),
        ]
        indexes = [models.Index(fields=["masterplan", "dimension"], name="program_dimension_idx")]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def clean(self) -> None:
        # Errors name only fields the program form shows, so the form can place them.
        errors: dict[str, list[str]] = {}
        problem = smart_axis().problem(self.dimension, self.element)
        if problem:
            errors.setdefault(problem[0], []).append(problem[1])
        masterplan = self.masterplan if self.masterplan_id else None
        if (
            masterplan is not None
            and self.owner_id is not None
            and self.owner.region_id != masterplan.region_id
        ):
            errors.setdefault("owner", []).append(
                gettext("OPD pengampu harus perangkat daerah %(region)s.")
                % {"region": masterplan.region}
            )
        if self.start_year is not None and self.end_year is not None:
            if self.end_year < self.start_year:
                errors.setdefault("end_year", []).append(
                    gettext("Tahun selesai tidak boleh sebelum tahun mulai.")
                )
            elif masterplan is not None and not (
                masterplan.start_year <= self.start_year and self.end_year <= masterplan.end_year
            ):
                errors.setdefault("start_year", []).append(
                    gettext("Program harus berada dalam periode masterplan %(start)s–%(end)s.")
                    % {"start": masterplan.start_year, "end": masterplan.end_year}
                )
        if errors:
            raise ValidationError(errors)


class ProgramYear(models.Model):
    """How far one program ran in one year."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("tahun"), validators=_year_validators)
    status = models.CharField(
        _("status"), max_length=12, choices=ProgramStatus.choices, default=ProgramStatus.PLANNED
    )
    progress = models.DecimalField(
        _("progres (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=_percent_validators,
    )
    note = models.TextField(_("catatan"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("status program tahunan")
        verbose_name_plural = _("status program tahunan")
        ordering = ["program", "year"]
        constraints = [
            models.UniqueConstraint(fields=["program", "year"], name="unique_program_year"),
            models.CheckConstraint(
                name="program_progress_is_a_percentage",
                condition=models.Q(progress__gte=0, progress__lte=100),
            ),
            models.CheckConstraint(
                name="completed_program_is_at_100",
                condition=~models.Q(status="completed") | models.Q(progress=100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.code} {self.year}: {self.get_status_display()}"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    def clean(self) -> None:
        if self.status == ProgramStatus.COMPLETED and self.progress != 100:
            raise ValidationError(
                {"progress": gettext("Program berstatus selesai harus berprogres 100%.")}
            )
        masterplan = self._masterplan()
        if masterplan is not None and self.year not in masterplan.years:
            # Not tied to a field: the year comes from the page (or the column), not the form.
            raise ValidationError(
                gettext("Tahun %(year)s di luar periode masterplan %(start)s–%(end)s.")
                % {"year": self.year, "start": masterplan.start_year, "end": masterplan.end_year}
            )

    def _masterplan(self) -> Masterplan | None:
        # An import validates years of programs it has not saved yet (no program_id), so go
        # through the related object rather than the id.
        try:
            return self.program.masterplan
        except ObjectDoesNotExist:
            return None
