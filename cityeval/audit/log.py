"""Writing audit entries. Services call `record` inside their transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from cityeval.audit.models import AuditEntry


def record(
    *,
    # The acting person (accounts.Actor). Typed by Django's base class: `audit` sits below
    # `accounts` (accounts' services record entries), so it may not import it.
    actor: AbstractBaseUser | None,
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


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of a model instance, for `before`/`after`."""
    return {name: getattr(instance, name) for name in fields}


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
