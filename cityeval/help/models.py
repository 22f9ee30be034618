"""Questions a region asks (or an assessor records during a visit), the FAQ built from the
general ones, and which first-login checklists a person has dismissed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionSource(models.TextChoices):
    REGION = "region", _("Dikirim oleh daerah")
    VISIT = "visit", _("Dicatat asesor saat kunjungan")


class QuestionQuerySet(models.QuerySet["Question"]):
    def with_context(self) -> QuestionQuerySet:
        return self.select_related("region", "evaluation__cycle", "asked_by", "answered_by")


class Question(models.Model):
    """One question of one region, tied to the evaluation it was asked in (which gives the
    program and the assessor team who answers). Never shown to another region."""

    evaluation = models.ForeignKey(
        "evaluations.Evaluation", on_delete=models.CASCADE, related_name="questions"
    )
    # Copies of the evaluation's region and program: the FAQ and the lists filter on them.
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="questions")
    program = models.CharField(_("program"), max_length=20)
    source = models.CharField(
        _("asal"), max_length=10, choices=QuestionSource.choices, default=QuestionSource.REGION
    )
    text = models.TextField(_("pertanyaan"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions_asked"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("jawaban"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions_answered",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    is_general = models.BooleanField(_("umum (terbitkan di FAQ)"), default=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("pertanyaan")
        verbose_name_plural = _("pertanyaan")
        ordering = ["-asked_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)


class FaqEntryQuerySet(models.QuerySet["FaqEntry"]):
    def of_program(self, program: str) -> FaqEntryQuerySet:
        return self.filter(program=program) if program else self


class FaqEntry(models.Model):
    """A published, anonymised question and answer for every region of a program.

    It keeps no region and no person: the text is anonymised when it is published
    (`anonymise.py`) and the link back to the question is for the assessors' records only.
    """

    program = models.CharField(_("program"), max_length=20, db_index=True)
    question = models.TextField(_("pertanyaan"))
    answer = models.TextField(_("jawaban"))
    source = models.OneToOneField(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="faq_entry"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    objects = FaqEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entri FAQ")
        verbose_name_plural = _("entri FAQ")
        ordering = ["program", "-published_at", "-id"]

    def __str__(self) -> str:
        return self.question[:60]


class ChecklistDismissal(models.Model):
    """A person closed the first-login checklist of one role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checklist_dismissals"
    )
    role = models.CharField(_("peran"), max_length=20)
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("daftar periksa ditutup")
        verbose_name_plural = _("daftar periksa ditutup")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_dismissal_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.role}"
