"""Imported framework versions and their nodes: immutable once written.

A cycle pins a `FrameworkVersion`, and evaluation answers point at `FrameworkNode` rows, so a
version must never change under them: a change to a framework is a new version. The validated
document is kept as JSON next to the rows; it is the exact source for scoring (a database
decimal column may round a ratio such as 8/11, the JSON text does not).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cityeval.frameworks.frozenjson import FrozenJSONField
from cityeval.frameworks.schema import FrameworkDocument


class ImmutableError(Exception):
    """Raised when code tries to change an imported framework version or one of its nodes."""


def pick_language(indonesian: str, english: str) -> str:
    """The text for the active language; Indonesian when English is asked for but missing."""
    language = get_language() or "id"
    return english if language.startswith("en") and english else indonesian


_M = TypeVar("_M", bound=models.Model)


class _WriteOnceQuerySet(models.QuerySet[_M]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableError(_("Versi kerangka yang sudah diimpor tidak dapat diubah."))


class FrameworkVersionQuerySet(_WriteOnceQuerySet["FrameworkVersion"]):
    def get_by_ref(self, ref: str) -> FrameworkVersion:
        """`"G100SC@2022"` → that version; DoesNotExist when it was never imported."""
        code, version = parse_ref(ref)
        return self.get(code=code, version=version)

    def of_code(self, code: str) -> FrameworkVersionQuerySet:
        return self.filter(code=code).order_by("version")


def parse_ref(ref: str) -> tuple[str, str]:
    code, separator, version = ref.partition("@")
    if not separator or not code or not version:
        raise ValueError(_("Rujukan kerangka harus berbentuk KODE@VERSI, misalnya G100SC@2022."))
    return code, version


class _WriteOnce(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError(_("Versi kerangka yang sudah diimpor tidak dapat diubah."))
        super().save(*args, **kwargs)


# Deferred where a version is loaded with what refers to it (`Evaluation.objects.with_region()`):
# most pages need its code and name, not its document (FrameworkVersion.refresh_from_db).
DEFERRED = ("document",)
# (pk, content_sha256) → the decoded document (read-only, frozenjson.py), per process. Versions
# are few (a handful per program), so the memo stays small.
_documents: dict[tuple[object, object], Any] = {}


class FrameworkVersion(_WriteOnce):
    code = models.CharField(_("kode"), max_length=20)
    version = models.CharField(_("versi"), max_length=20)
    name_id = models.CharField(_("nama (Indonesia)"), max_length=300)
    name_en = models.CharField(_("nama (Inggris)"), max_length=300)
    source_notes_id = models.TextField(_("catatan sumber (Indonesia)"))
    source_notes_en = models.TextField(_("catatan sumber (Inggris)"))
    document = FrozenJSONField(_("dokumen tervalidasi"))
    content_sha256 = models.CharField(_("SHA-256 isi"), max_length=64)
    source_file = models.CharField(_("berkas asal"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("waktu impor"), auto_now_add=True)

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("versi kerangka")
        verbose_name_plural = _("versi kerangka")
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_version_unique_ref")
        ]

    def __str__(self) -> str:
        return self.ref

    @property
    def ref(self) -> str:
        return f"{self.code}@{self.version}"

    @property
    def name(self) -> str:
        return pick_language(self.name_id, self.name_en)

    @property
    def source_notes(self) -> str:
        return pick_language(self.source_notes_id, self.source_notes_en)

    def refresh_from_db(
        self, using: str | None = None, fields: Any = None, from_queryset: Any = None
    ) -> None:
        """A deferred `document` comes from this process's copy of the same content when it has
        one (a version is write-once, and the content hash names the content): listings and
        evaluation pages load versions without their ~250 kB document (`DEFERRED`), and the
        few that read it fetch it once per process, not on every request."""
        key = (self.pk, self.__dict__.get("content_sha256"))
        if fields is not None and list(fields) == ["document"] and None not in key:
            known = _documents.get(key)
            if known is None:
                super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
                _documents[key] = known = self.document
            self.document = known
            return
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)

    def parsed(self) -> FrameworkDocument:
        """The stored document as the validated model it was imported from."""
        return FrameworkDocument.model_validate(self.document)

    def rounding_places(self) -> int:
        """Decimal places of the published figures (two for G100SC), as the results letter has."""
        rounding = self.document.get("rounding") or {}
        return int(rounding.get("places", 2))

    def predicate_label(self, code: str | None) -> str:
        """The name of a predicate band in the active language; the code if the band is unknown,
        "" for no predicate."""
        if not code:
            return ""
        predicates: dict[str, Any] = self.document.get("predicates") or {}
        for band in predicates.get("bands") or []:
            if band.get("code") == code:
                label = band.get("label") or {}
                return pick_language(label.get("id", ""), label.get("en", "")) or code
        return code


class NodeKind(models.TextChoices):
    GROUP = "group", _("kelompok")
    MATURITY = "maturity", _("tingkat kematangan")
    PERCENTAGE = "percentage", _("persentase")
    QUANTITATIVE = "quantitative", _("kuantitatif")


class FrameworkNode(_WriteOnce):
    """One node of a version's tree (the root, a group, or an indicator that gets answers)."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("versi")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )
    code = models.CharField(_("kode"), max_length=40)
    kind = models.CharField(_("jenis"), max_length=12, choices=NodeKind.choices)
    # Share of the parent (the root has 1). Display copy: the document holds the exact value.
    weight = models.DecimalField(_("bobot"), max_digits=16, decimal_places=12)
    order = models.PositiveIntegerField(_("urutan di antara saudara"))
    sequence = models.PositiveIntegerField(_("urutan dalam dokumen"))
    depth = models.PositiveSmallIntegerField(_("kedalaman"))
    name_id = models.TextField(_("nama (Indonesia)"))
    name_en = models.TextField(_("nama (Inggris)"))
    question_id = models.TextField(_("pertanyaan (Indonesia)"), blank=True)
    question_en = models.TextField(_("pertanyaan (Inggris)"), blank=True)
    guidance_id = models.TextField(_("panduan (Indonesia)"), blank=True)
    guidance_en = models.TextField(_("panduan (Inggris)"), blank=True)
    tags = FrozenJSONField(_("tag"), default=list, blank=True)
    # {"1": {"rubric": {"id": .., "en": ..}, "evidence": {"id": .., "en": ..}}, ..}
    levels = FrozenJSONField(_("rubrik tingkat"), default=dict, blank=True)
    unit = models.CharField(_("satuan"), max_length=40, blank=True)
    direction = models.CharField(_("arah"), max_length=8, blank=True)
    normalisation = models.CharField(_("normalisasi"), max_length=20, blank=True)
    lower = models.DecimalField(_("batas bawah"), max_digits=30, decimal_places=8, null=True)
    upper = models.DecimalField(_("batas atas"), max_digits=30, decimal_places=8, null=True)
    target = models.DecimalField(_("target"), max_digits=30, decimal_places=8, null=True)
    data_source = models.CharField(_("sumber nilai"), max_length=12, blank=True)
    dimension = models.CharField(_("dimensi"), max_length=40, blank=True)
    verified = models.BooleanField(_("terverifikasi dari sumber publik"), null=True)

    objects = _WriteOnceQuerySet["FrameworkNode"].as_manager()

    class Meta:
        verbose_name = _("simpul kerangka")
        verbose_name_plural = _("simpul kerangka")
        ordering = ["version", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="framework_node_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def name(self) -> str:
        return pick_language(self.name_id, self.name_en)

    @property
    def question(self) -> str:
        return pick_language(self.question_id, self.question_en)

    @property
    def guidance(self) -> str:
        return pick_language(self.guidance_id, self.guidance_en)

    @property
    def is_indicator(self) -> bool:
        return self.kind != NodeKind.GROUP

    def rubric(self, level: int) -> str:
        return self._level_text(level, "rubric")

    def evidence(self, level: int) -> str:
        return self._level_text(level, "evidence")

    def _level_text(self, level: int, part: str) -> str:
        texts = self.levels.get(str(level), {}).get(part, {})
        return pick_language(texts.get("id", ""), texts.get("en", ""))
