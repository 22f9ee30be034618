"""Finalised results: immutable snapshots of what the engine computed and from which inputs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableSnapshotError(Exception):
    """A finalised result is never edited: reopening creates a new snapshot."""


class ResultSnapshotQuerySet(models.QuerySet["ResultSnapshot"]):
    def for_cycle(self, cycle_id: int) -> ResultSnapshotQuerySet:
        return self.filter(evaluation__cycle_id=cycle_id, is_current=True)

    def with_region(self) -> ResultSnapshotQuerySet:
        return self.select_related("evaluation__region__province")


class ResultSnapshot(models.Model):
    evaluation = models.ForeignKey(
        "evaluations.Evaluation", on_delete=models.PROTECT, related_name="snapshots"
    )
    # A reopened evaluation keeps its old snapshots; only one is current.
    is_current = models.BooleanField(default=True)
    framework_version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="+"
    )
    index = models.DecimalField(_("indeks"), max_digits=8, decimal_places=4)
    predicate = models.CharField(_("predikat"), max_length=40, blank=True)
    node_indices = models.JSONField(default=dict)  # node code -> decimal string
    tag_indices = models.JSONField(default=dict)  # smart dimension/element code -> decimal string
    missing = models.JSONField(default=list)  # indicator codes without a value
    inputs = models.JSONField(default=dict)  # indicator code -> the value the engine used
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ResultSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("hasil final")
        verbose_name_plural = _("hasil final")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=models.Q(is_current=True),
                name="one_current_snapshot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.index}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The only change allowed after creation is retiring it when a newer snapshot replaces it.
        if self.pk is not None and kwargs.get("update_fields") != ["is_current"]:
            raise ImmutableSnapshotError(_("Hasil final tidak dapat diubah."))
        super().save(*args, **kwargs)
