"""Good practices a region shares from a published result, for other regions to learn from.

A practice copies what it needs to be found (the item's code and dimension, the published level,
the region) so the library is one query; its result is the snapshot it was shared from, and it
is listed only while that snapshot is the published result (`listed`): a reopened result
(a retired snapshot or an unpublished evaluation) takes its practices off the list.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityeval.results.models import ResultSnapshot


class GoodPracticeQuerySet(models.QuerySet["GoodPractice"]):
    def active(self) -> GoodPracticeQuerySet:
        """Not withdrawn by the region (hidden ones included: the admin's view)."""
        return self.filter(withdrawn_at__isnull=True)

    def listed(self) -> GoodPracticeQuerySet:
        """What every signed-in person finds: shared, not hidden, its result published now
        (`ResultSnapshot.published()`, the one visibility policy)."""
        return self.active().filter(
            hidden_at__isnull=True, snapshot__in=ResultSnapshot.objects.published()
        )

    def for_list(self) -> GoodPracticeQuerySet:
        return self.select_related("region__province", "indicator", "evaluation__cycle")


class GoodPractice(models.Model):
    item = models.ForeignKey(
        "evaluations.ItemValue", on_delete=models.PROTECT, related_name="good_practices"
    )
    evaluation = models.ForeignKey(
        "evaluations.Evaluation", on_delete=models.PROTECT, related_name="good_practices"
    )
    snapshot = models.ForeignKey(ResultSnapshot, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="good_practices"
    )
    indicator = models.ForeignKey(
        "frameworks.FrameworkNode", on_delete=models.PROTECT, related_name="+"
    )
    program = models.CharField(_("program"), max_length=20, db_index=True)
    item_code = models.CharField(_("kode butir"), max_length=40, db_index=True)
    # The member of the framework's comparison axis (G100SC: smart dimension) and its name.
    dimension = models.CharField(_("dimensi"), max_length=40, blank=True, db_index=True)
    dimension_name = models.CharField(_("nama dimensi"), max_length=200, blank=True)
    # The value the published result scored for the item (its verified level).
    level = models.DecimalField(_("tingkat"), max_digits=14, decimal_places=4, null=True)
    narrative = models.TextField(_("narasi praktik"))
    evidence = models.ManyToManyField(
        "evidence.Evidence", blank=True, related_name="+", verbose_name=_("bukti dukung")
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.TextField(_("alasan disembunyikan"), blank=True)

    objects = GoodPracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("praktik baik")
        verbose_name_plural = _("praktik baik")
        ordering = ["-shared_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_shared_practice_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} · {self.item_code}"

    @property
    def level_number(self) -> int | None:
        return int(self.level) if self.level is not None else None
