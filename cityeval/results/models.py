"""Finalised results: immutable snapshots of what the engine computed and from which inputs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityeval.accounts.access import AnyUser
from cityeval.evaluations.models import EvaluationStatus
from cityeval.evaluations.visibility import results_visible
from cityeval.results.figures import decimal_of, decimals, published_figure


class ImmutableSnapshotError(Exception):
    """A finalised result is never edited: reopening creates a new snapshot."""


class ResultSnapshotQuerySet(models.QuerySet["ResultSnapshot"]):
    def current(self) -> ResultSnapshotQuerySet:
        """The result that stands (a reopened evaluation keeps its retired ones)."""
        return self.filter(is_current=True)

    def published(self) -> ResultSnapshotQuerySet:
        """Current results of published evaluations: what the public and the ranks read."""
        return self.current().filter(evaluation__status=EvaluationStatus.PUBLISHED)

    def visible_to(self, user: AnyUser) -> ResultSnapshotQuerySet:
        """Current results this person may see (`evaluations.visibility`, the one policy)."""
        return self.current().filter(results_visible(user, via="evaluation__"))

    def for_cycle(self, cycle_id: int) -> ResultSnapshotQuerySet:
        return self.current().filter(evaluation__cycle_id=cycle_id)


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

    def published_index(self, places: int) -> Decimal | None:
        """The index as the results letter prints it (`FrameworkVersion.rounding_places`)."""
        return published_figure(self.index, places)

    def node_index(self, code: str) -> Decimal | None:
        """The exact stored index of a framework node (evaluation dimension, aspect...)."""
        return decimal_of(self.node_indices.get(code))

    def tag_index(self, code: str) -> Decimal | None:
        """The exact stored index of a smart dimension or element."""
        return decimal_of(self.tag_indices.get(code))

    def input_values(self) -> dict[str, Decimal | None]:
        """Indicator code -> the value the engine scored, as it takes them."""
        return decimals(self.inputs)


class RankScope(models.TextChoices):
    NATIONAL = "national", _("Nasional")
    PROVINCE = "province", _("Provinsi")
    PEER = "peer", _("Kelompok pembanding")


class RankAnalysis(models.Model):
    """The Monte Carlo analysis of a cycle's official ranks (`cityeval.results.uncertainty`).

    It always describes the cycle's PUBLISHED results as they are: it is replaced, in the same
    transaction, whenever that set changes (publishing, reopening a published result).
    """

    cycle = models.OneToOneField(
        "evaluations.Cycle", on_delete=models.CASCADE, related_name="rank_analysis"
    )
    draws = models.PositiveIntegerField(_("jumlah simulasi"))
    seed = models.PositiveIntegerField(_("benih acak"))
    weight_spread = models.FloatField(_("rentang bobot"))  # factors in [1 - spread, 1 + spread]
    geometric_share = models.FloatField(_("peluang agregasi geometrik"))
    policies = models.JSONField(default=list)  # missing-value policies drawn from
    interval = models.JSONField(default=list)  # [low, high] percentiles, e.g. [0.05, 0.95]
    regions = models.PositiveIntegerField(_("jumlah hasil"))
    mean_shift = models.FloatField(_("rata-rata pergeseran peringkat"))
    # The inputs that move ranks most first: [{"input", "mean_shift", "max_shift"}, ...]
    sensitivity = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("analisis ketidakpastian peringkat")
        verbose_name_plural = _("analisis ketidakpastian peringkat")

    def __str__(self) -> str:
        return f"{self.cycle} · {self.draws}"


class RankInterval(models.Model):
    """One published result's rank in one scope: the official rank, the median rank over the
    draws and the interval of ranks between the low and high percentiles (5–95%)."""

    analysis = models.ForeignKey(RankAnalysis, on_delete=models.CASCADE, related_name="intervals")
    evaluation = models.ForeignKey(
        "evaluations.Evaluation", on_delete=models.CASCADE, related_name="rank_intervals"
    )
    scope = models.CharField(max_length=10, choices=RankScope.choices)
    group = models.CharField(max_length=50, blank=True)  # province or peer group code
    nominal = models.PositiveIntegerField()  # 0: unranked
    median = models.PositiveIntegerField()
    low = models.PositiveIntegerField()  # the best rank of the interval
    high = models.PositiveIntegerField()  # the worst rank of the interval
    of = models.PositiveIntegerField()  # published results in the scope

    class Meta:
        verbose_name = _("rentang peringkat")
        verbose_name_plural = _("rentang peringkat")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "scope", "group"], name="one_rank_interval_per_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.scope} {self.group}: {self.low}–{self.high}"
