"""Writing audit entries. Services call `audited` inside their transaction.

`audited` derives the entry's evaluation and region from its target (`scopes.py`), and takes
the before/after of named fields from a `Changes` read before the change; `record` is the
low-level writer underneath, which writes the entry exactly as given (kept for the audit app and
its tests; a source scan in `tests/audit/test_scopes.py` keeps other apps off it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from cityeval.audit.models import AuditEntry
from cityeval.audit.scopes import scope_of

# The acting person (accounts.Actor). Typed by Django's base class: `audit` sits below
# `accounts` (accounts' services record entries), so it may not import it.
Person = AbstractBaseUser | None


class Changes:
    """Named fields of one instance, read now (`before`) and again when the entry is written.

    A foreign key is read as its id, a many-to-many field as the sorted ids of its rows.
    `created=True`: the instance is new, so there is no before. `only_changed=True`: the entry
    keeps only the fields whose value changed.
    """

    def __init__(
        self,
        instance: models.Model,
        fields: Iterable[str],
        *,
        created: bool = False,
        only_changed: bool = False,
    ) -> None:
        self.instance = instance
        self.fields = list(fields)
        self.only_changed = only_changed
        self.before: dict[str, Any] | None = None if created else self.now()

    def now(self) -> dict[str, Any]:
        return snapshot(self.instance, self.fields)

    @property
    def changed(self) -> bool:
        return self.before != self.now()

    def pair(self) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        """(before, after) as the entry stores them."""
        after = self.now()
        if self.before is None or not self.only_changed:
            return self.before, after
        names = [name for name in self.fields if self.before[name] != after[name]]
        return {name: self.before[name] for name in names}, {name: after[name] for name in names}


def audited(
    *,
    actor: Person,
    action: str,
    target: models.Model,
    changes: Changes | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Append one entry about `target`, in the evaluation and region it belongs to.

    `before`/`after` given here are added to (and override) what `changes` read.
    """
    if changes is not None:
        was, now = changes.pair()
        before = was if before is None else {**(was or {}), **before}
        after = {**now, **(after or {})}
    scope = scope_of(target, actor=actor)
    return record(
        actor=actor,
        action=action,
        target=target,
        before=before,
        after=after,
        evaluation_id=scope.evaluation_id,
        region_id=scope.region_id,
        note=note,
    )


def record(
    *,
    actor: Person,
    action: str,
    target: models.Model,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    evaluation_id: int | None = None,
    region_id: int | None = None,
    note: str = "",
) -> AuditEntry:
    """Append one entry. Values are stored as JSON: decimals as strings, dates in ISO form."""
    return AuditEntry.objects.create(
        actor=cast(Any, actor) if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        evaluation_id=evaluation_id,
        region_id=region_id,
        before=_jsonable(before),
        after=_jsonable(after),
        note=note,
    )


def snapshot(instance: models.Model, names: list[str]) -> dict[str, Any]:
    """The named fields of a model instance, as `Changes` reads them."""
    values: dict[str, Any] = {}
    for name in names:
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            values[name] = getattr(instance, name)
            continue
        if field.many_to_many:
            values[name] = sorted(getattr(instance, name).values_list("pk", flat=True))
        elif field.is_relation and field.concrete:
            values[name] = getattr(instance, field.attname)  # the id: no query for the row
        else:
            values[name] = getattr(instance, name)
    return values


def _jsonable(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {key: _plain(value) for key, value in values.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
