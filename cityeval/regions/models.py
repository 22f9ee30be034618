"""Provinces, regencies/cities and the groupings the program compares them in.

Provinces and regions are national reference data shared by every tenant: they come from the
Kemendagri list (loaded by `loadregions`), never from a tenant. An OPD belongs to one region.
"""

from __future__ import annotations

from django.apps import apps
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PROVINCE_CODE_PATTERN = r"^\d{2}$"
REGION_CODE_PATTERN = r"^\d{2}\.\d{2}$"
# Wide bounds (G100SC's first cohort is 2017): they only catch typos such as 20177 or 17.
FIRST_COHORT_YEAR, LAST_COHORT_YEAR = 2000, 2100


class ProvinceQuerySet(models.QuerySet["Province"]):
    def with_region_counts(self) -> ProvinceQuerySet:
        return self.annotate(region_count=Count("regions"))


class Province(models.Model):
    code = models.CharField(
        _("kode Kemendagri"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(PROVINCE_CODE_PATTERN, _("Kode provinsi berbentuk NN."))],
    )
    name = models.CharField(_("nama"), max_length=100)

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    """The group of regions that joined the program in one year (2017: the first 25)."""

    year = models.PositiveSmallIntegerField(
        _("tahun bergabung"),
        unique=True,
        validators=[MinValueValidator(FIRST_COHORT_YEAR), MaxValueValidator(LAST_COHORT_YEAR)],
    )
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["year"]
        verbose_name = _("angkatan")
        verbose_name_plural = _("angkatan")
        constraints = [
            models.CheckConstraint(
                name="cohort_year_in_range",
                condition=models.Q(year__gte=FIRST_COHORT_YEAR, year__lte=LAST_COHORT_YEAR),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RegionQuerySet(models.QuerySet["Region"]):
    def in_province(self, code: str) -> RegionQuerySet:
        return self.filter(province__code=code)

    def kabupaten(self) -> RegionQuerySet:
        return self.filter(kind=Region.Kind.KABUPATEN)

    def kota(self) -> RegionQuerySet:
        return self.filter(kind=Region.Kind.KOTA)

    def with_province(self) -> RegionQuerySet:
        return self.select_related("province")

    def in_cohort(self, year: int) -> RegionQuerySet:
        return self.filter(cohort__year=year)

    def in_program(self) -> RegionQuerySet:
        """Regions of a cohort, and regions evaluated in any cycle (a cycle may name regions by
        hand, outside every cohort)."""
        evaluated = models.Exists(
            apps.get_model("evaluations", "Evaluation").objects.filter(region=models.OuterRef("pk"))
        )
        return self.filter(models.Q(cohort__isnull=False) | evaluated)

    def with_population(self) -> RegionQuerySet:
        return self.filter(population__isnull=False)


class Region(models.Model):
    """A kabupaten (regency) or kota (city): the unit the program evaluates."""

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    code = models.CharField(
        _("kode Kemendagri"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(REGION_CODE_PATTERN, _("Kode kabupaten/kota berbentuk NN.NN."))],
    )
    # Short names repeat across kinds ("Bogor" is both a kabupaten and a kota), so anything
    # shown alone must use `full_name`.
    name = models.CharField(_("nama"), max_length=100)
    full_name = models.CharField(_("nama resmi"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regions", verbose_name=_("provinsi")
    )
    # A foreign key (not a join table) because a region joins the program once: the database
    # then enforces "at most one cohort" without an extra unique constraint.
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regions",
        verbose_name=_("angkatan"),
    )
    population = models.PositiveIntegerField(_("jumlah penduduk"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("tahun data penduduk"), null=True, blank=True
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")

    def __str__(self) -> str:
        return self.full_name


class PeerGroup(models.Model):
    """Regions compared with each other, as the IMD Smart City Index compares peers.

    Groups built by `rebuild_automatic_peer_groups` are marked `automatic` and rebuilt from the
    data; groups an admin defines by hand are never touched by that service.
    """

    code = models.SlugField(_("kode"), max_length=50, unique=True)
    # Indonesian is the source language of the project, so the plain `name` is Indonesian.
    name = models.CharField(_("nama"), max_length=150)
    name_en = models.CharField(_("nama (bahasa Inggris)"), max_length=150, blank=True)
    description = models.TextField(_("deskripsi"), blank=True)
    regions = models.ManyToManyField(
        Region, related_name="peer_groups", blank=True, verbose_name=_("kabupaten/kota")
    )
    automatic = models.BooleanField(_("dibangun otomatis"), default=False, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kelompok pembanding")
        verbose_name_plural = _("kelompok pembanding")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        language = translation.get_language() or ""
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name


class OPDQuerySet(models.QuerySet["OPD"]):
    def active(self) -> OPDQuerySet:
        return self.filter(active=True)

    def of_region(self, region: Region) -> OPDQuerySet:
        return self.filter(region=region)

    def of_region_id(self, region_id: int) -> OPDQuerySet:
        """The region's OPDs, active ones first (an inactive one may still own old work)."""
        return self.filter(region_id=region_id).order_by("-active", "name")


class OPD(models.Model):
    """An Organisasi Perangkat Daerah: one agency of one region (e.g. its Diskominfo)."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="opds", verbose_name=_("kabupaten/kota")
    )
    # Codes vary by region (SIPD nomenclature such as 2.16.2.20.2.21.01.0000, or local ones).
    code = models.CharField(
        _("kode"),
        max_length=40,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                _("Kode hanya berisi huruf, angka, titik, garis bawah dan tanda hubung."),
            )
        ],
    )
    name = models.CharField(_("nama"), max_length=255)
    short_name = models.CharField(
        _("singkatan"), max_length=50, blank=True, help_text=_("Misalnya Diskominfo.")
    )
    # Agencies merge and split; an inactive OPD keeps its history instead of being deleted.
    active = models.BooleanField(_("aktif"), default=True)

    objects = OPDQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", "code"]
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="unique_opd_code_per_region"),
        ]
        indexes = [models.Index(fields=["code"], name="opd_code_idx")]

    def __str__(self) -> str:
        return self.short_name or self.name


class RegionSourceQuerySet(models.QuerySet["RegionSource"]):
    def current(self) -> RegionSource | None:
        return self.order_by("-loaded_at").first()


class RegionSource(models.Model):
    """Where the province and region list came from, for attribution (ODbL asks for it)."""

    name = models.CharField(_("nama"), max_length=100, unique=True)
    version = models.CharField(_("versi"), max_length=40, blank=True)
    author = models.CharField(_("penyusun"), max_length=200, blank=True)
    licence = models.CharField(_("lisensi data"), max_length=100, blank=True)
    url = models.URLField(_("tautan"), blank=True)
    # Tells a re-run of the same files (nothing to record) from a changed list.
    checksum = models.CharField(_("SHA-256 berkas"), max_length=64)
    loaded_at = models.DateTimeField(_("dimuat pada"))

    objects = RegionSourceQuerySet.as_manager()

    class Meta:
        ordering = ["-loaded_at"]
        verbose_name = _("sumber data wilayah")
        verbose_name_plural = _("sumber data wilayah")

    def __str__(self) -> str:
        return self.attribution

    @property
    def attribution(self) -> str:
        text = " ".join(part for part in (self.name, self.version) if part)
        if self.author:
            text = gettext("%(source)s oleh %(author)s") % {"source": text, "author": self.author}
        if self.licence:
            text = gettext("%(source)s, data %(licence)s") % {
                "source": text,
                "licence": self.licence,
            }
        return text
