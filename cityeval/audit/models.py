"""The append-only audit log: who changed what, when, from what, to what.

Entries are chained by hashes (see `chain.py`): each carries the hash of the one before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connections, models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityeval.audit.chain import GENESIS, NATIONAL, chain_for, hash_fields

# Sent with every batch of new entries, one saved or many bulk-created, inside the writer's
# transaction (`entries`, `using`): the one hook for whoever follows new entries (post_save is not
# sent for a bulk_create). The publication marker (results/publication.py) listens here.
entries_written = Signal()


class AppendOnlyError(Exception):
    """Audit entries are never changed or deleted."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit entries are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are append-only")

    def bulk_create(
        self, objs: Iterable[AuditEntry], *args: Any, **kwargs: Any
    ) -> list[AuditEntry]:
        entries = list(objs)
        # No savepoint: a failed audit insert must fail the writer's whole transaction anyway.
        with transaction.atomic(using=self.db, savepoint=False):
            AuditChainHead.objects.link(entries)
            created = super().bulk_create(entries, *args, **kwargs)
            entries_written.send(AuditEntry, entries=created, using=self.db)
            return created

    def for_target(self, target: models.Model) -> AuditQuerySet:
        return self.filter(target_type=target._meta.label_lower, target_id=str(target.pk))

    def for_evaluation(self, evaluation_id: int) -> AuditQuerySet:
        return self.filter(evaluation_id=evaluation_id)


class AuditEntry(models.Model):
    # Set before saving (not auto_now_add) because the time is part of the entry's hash.
    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    # A dotted verb, e.g. "item.self_value", "evaluation.submit", "evidence.add".
    action = models.CharField(_("tindakan"), max_length=60, db_index=True)
    target_type = models.CharField(_("jenis objek"), max_length=60)
    target_id = models.CharField(_("id objek"), max_length=40)
    # Denormalised scopes so a region's or an evaluation's log is one indexed query.
    evaluation = models.ForeignKey(
        "evaluations.Evaluation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    # The hash chain (chain.py): the chain (a region's id, 0 national) and 1, 2, 3, … in the
    # order the entries of that chain were written.
    chain = models.PositiveBigIntegerField(_("rantai"), default=NATIONAL)
    position = models.PositiveBigIntegerField(_("urutan dalam rantai"))
    previous_hash = models.CharField(_("hash entri sebelumnya"), max_length=64, blank=True)
    entry_hash = models.CharField(_("hash entri"), max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("entri audit")
        verbose_name_plural = _("entri audit")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            # The verifier walks each chain in id order.
            models.Index(fields=["chain", "id"], name="audit_chain_id_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["chain", "position"], name="audit_chain_position")
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit entries are append-only")
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            AuditChainHead.objects.link([self])
            super().save(*args, **kwargs)
            entries_written.send(AuditEntry, entries=[self], using=self._state.db)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are append-only")

    def chain_hash(self) -> str:
        """The hash this entry should carry, given its fields and its previous hash."""
        return hash_fields(
            chain=self.chain,
            position=self.position or 0,
            at=self.at,
            actor_id=self.actor_id,
            action=self.action,
            target_type=self.target_type,
            target_id=self.target_id,
            evaluation_id=self.evaluation_id,
            region_id=self.region_id,
            before=self.before,
            after=self.after,
            note=self.note,
            previous_hash=self.previous_hash,
        )


class AuditChainHeadManager(models.Manager["AuditChainHead"]):
    def locked(self, key: int = NATIONAL) -> AuditChainHead:
        """A chain's head row, created on first use, locked until the writer's transaction ends."""
        head, _created = self.select_for_update().get_or_create(
            chain=key, defaults={"length": 0, "last_hash": GENESIS}
        )
        return head

    def link(self, entries: Sequence[AuditEntry]) -> None:
        """Give new entries their chain, position and hashes, moving the locked head along.

        Call inside the transaction that inserts the entries: the head row stays locked until it
        commits, so the next writer of that chain links to these entries. Every entry of one
        transaction goes to the chain of its first entry (`_transaction_chain`).
        """
        if not entries:
            return
        head = self.locked(_transaction_chain(self.db, entries[0].region_id))
        for entry in entries:
            if entry.at is None:
                entry.at = timezone.now()
            head.length += 1
            entry.chain = head.chain
            entry.position = head.length
            entry.previous_hash = head.last_hash
            entry.entry_hash = entry.chain_hash()
            head.last_hash = entry.entry_hash
        head.save(update_fields=["length", "last_hash"])


def _transaction_chain(using: str, region_id: int | None) -> int:
    """The chain of the current transaction: the one its first entry chose, while it lasts.

    The choice is remembered with a no-op commit callback: Django drops the transaction's
    callbacks when it commits or rolls back, and a rolled-back savepoint's own (PostgreSQL then
    also releases the head lock taken inside it), so a remembered chain whose marker is gone is
    not held any more. A test's whole body is one transaction (it never commits), so there every
    entry joins the first entry's chain.
    """
    connection = connections[using]
    remembered = getattr(connection, "_audit_chain", None)
    if remembered is not None:
        held, key = remembered
        # Each registered callback is (savepoint ids, function, robust).
        callbacks: list[Any] = connection.run_on_commit
        if any(registered[1] is held for registered in callbacks):
            return int(key)

    def marker() -> None:
        """Only marks the transaction (see above)."""

    key = chain_for(region_id)
    transaction.on_commit(marker, using=using)
    connection._audit_chain = (marker, key)  # type: ignore[attr-defined]
    return key


class AuditChainHead(models.Model):
    """The end of one hash chain (one per region, 0 national); appending locks it."""

    chain = models.PositiveBigIntegerField(unique=True, default=NATIONAL)
    length = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    objects = AuditChainHeadManager()

    class Meta:
        verbose_name = _("ujung rantai audit")
        verbose_name_plural = _("ujung rantai audit")

    def __str__(self) -> str:
        return f"{self.chain}: {self.length} {self.last_hash[:12]}"
